/**
 * The simulated provider: an offline, deterministic stand-in for an LLM, for the demo, the tests
 * and the benchmarks. Scores it produces measure the simulation, never a real model; every report
 * that shows them says so (the terminal's SIMULATION_NOTICE, the Markdown's note).
 */
import type { ChatModel, ModelSet } from '../llm/chat-model.js'
import { createSimulatedJudge } from './judge-model.js'
import { createSimulatedOptimizer } from './optimizer-model.js'
import { createSimulatedTarget } from './target-model.js'

export { SIMULATED_MODEL_NAMES } from './names.js'

/** The three simulated roles, seeded alike. */
export function createSimulatedModels(seed: number, options: { noise?: number } = {}): ModelSet {
  return {
    target: createSimulatedTarget({ seed, noise: options.noise }),
    optimizer: createSimulatedOptimizer({ seed }),
    judge: createSimulatedJudge({ seed })
  }
}

/**
 * The simulated model to serve for a model name or role, e.g. from a fake OpenAI-compatible
 * server: a name containing "optimizer" or "judge" gets that role, anything else the target.
 */
export function simulatedModelFor(
  nameOrRole: string,
  seed: number,
  options: { noise?: number } = {}
): ChatModel {
  const name = nameOrRole.toLowerCase()
  if (name.includes('optimizer')) return createSimulatedOptimizer({ seed })
  if (name.includes('judge')) return createSimulatedJudge({ seed })
  return createSimulatedTarget({ seed, noise: options.noise })
}

export { ANSWER_TAG, CONTRACT_TAGS, REQUEST_TAGS } from './contract.js'
export type { ContractTag, RequestKind } from './contract.js'
export { createSimulatedTarget, decideAsTarget } from './target-model.js'
export type { SimulatedTargetOptions, TargetDecision } from './target-model.js'
export { answerAsOptimizer, createSimulatedOptimizer } from './optimizer-model.js'
export type { SimulatedOptimizerOptions } from './optimizer-model.js'
export { answerAsJudge, createSimulatedJudge } from './judge-model.js'
export { makeSyntheticTask, supportedTraits } from './tasks.js'
export type { SyntheticRow, SyntheticTask, SyntheticTaskSpec } from './tasks.js'
export { DEFAULT_SYSTEM_PROMPT, FAMILY_GLOBAL_TRAITS, makeDomainFamily } from './family.js'
export type { DomainFamily, DomainFamilySpec } from './family.js'
export { DEMO_CONFIG_FILE, DEMO_HEADER, writeDemoRepository } from './demo-repo.js'
export type { DemoRepository, DemoRepositoryOptions } from './demo-repo.js'
export { TRAIT_IDS, allTraits, detectTraits, getTrait, traitsAddressedBy } from './traits.js'
export type { Trait, TraitId, TraitScope } from './traits.js'
export { allHarmfulRules, harmfulRulesIn } from './harmful.js'
export type { HarmfulRule } from './harmful.js'
export { TASK_KINDS } from './lexicon.js'
export type { TaskKind } from './lexicon.js'
