/**
 * The state a MetaSPO run shares between its inner loop (./metaspo-inner.ts) and its outer loop
 * (./metaspo-outer.ts): the incumbent system prompt, each task's kept user prompts (best first
 * under the incumbent), every candidate with its lineage, and the call counters.
 */
import type { LoadedTask } from '../../config/project-types.js'
import type { MetaspoConfig } from '../../config/types.js'
import type { ChatMessage, ChatModel } from '../../llm/chat-model.js'
import type { Random } from '../../util/random.js'
import type { CandidateRegistry } from '../candidate-guard.js'
import type { ScoreBook } from './scores.js'
import type { MetaspoCandidateRecord, RacingRule } from './types.js'
import { metaScoreOf, type RaceTask } from './racing.js'
import type { PromptParts } from '../../config/prompt.js'

export interface UserNode {
  id: string
  prompt: string
}

export interface MetaspoSettings {
  rule: RacingRule
  raceOrder: 'hard-first' | 'train'
  delta: number
  raceSteps: number
  errorsPerUserCandidate: number
  repairSlots: boolean
  systemRewriteSeesExamples: boolean
}

export interface MetaspoContext {
  tasks: readonly LoadedTask[]
  config: MetaspoConfig
  settings: MetaspoSettings
  optimizer: ChatModel
  book: ScoreBook
  random: Random
  signal: AbortSignal | undefined
  /** The incumbent system prompt. */
  system: { id: string; text: string }
  /** Each task's kept user prompts, best first under the incumbent (stable: older wins ties). */
  beams: Map<string, UserNode[]>
  candidates: MetaspoCandidateRecord[]
  /** Per task: every user prompt proposed so far (duplicates are rejected unscored). */
  userRegistries: Map<string, CandidateRegistry>
  systemRegistry: CandidateRegistry
  /** The {{slots}} each task's user prompts must keep (its starting prompt's). */
  requiredSlots: Map<string, string[]>
  counters: { target: number; optimizer: number }
}

export function pairOf(system: string, user: string): PromptParts {
  return { system, user }
}

export function beamOf(ctx: MetaspoContext, task: string): UserNode[] {
  const beam = ctx.beams.get(task)
  if (beam === undefined) throw new Error(`no user prompts for task ${task}`)
  return beam
}

/** Nodes sorted by their train mean under `system`, best first; ties keep the given order. */
export function sortBySystem(
  ctx: MetaspoContext,
  task: string,
  system: string,
  nodes: readonly UserNode[]
): UserNode[] {
  const scored = nodes.map((node, index) => ({
    node,
    index,
    score: ctx.book.mean(task, pairOf(system, node.prompt))
  }))
  scored.sort((a, b) => b.score - a.score || a.index - b.index)
  return scored.map((s) => s.node)
}

/** The layout of the meta score: per task, its kept user prompts and its train size. */
export function layoutOf(ctx: MetaspoContext): RaceTask[] {
  return ctx.tasks.map((task) => ({
    cells: beamOf(ctx, task.name).length,
    size: ctx.book.size(task.name)
  }))
}

/** Known train scores of `system` over every task × kept user prompt. */
function cellScoresOf(ctx: MetaspoContext, system: string): Array<number | undefined>[][] {
  return ctx.tasks.map((task) =>
    beamOf(ctx, task.name).map((node) => ctx.book.scores(task.name, pairOf(system, node.prompt)))
  )
}

/** The incumbent's meta score (every pair of it is fully scored). */
export function incumbentMetaScore(ctx: MetaspoContext): number {
  return metaScoreOf(cellScoresOf(ctx, ctx.system.text), layoutOf(ctx))
}

/** One optimizer call, counted in the run's and the caller's counters. */
export async function ask(
  ctx: MetaspoContext,
  messages: ChatMessage[],
  sampleIndex: number,
  signal: AbortSignal | undefined,
  local: { optimizerCalls: number }
): Promise<string> {
  const reply = await ctx.optimizer.complete({ messages, sampleIndex }, { signal })
  ctx.counters.optimizer++
  local.optimizerCalls++
  return reply.text
}
