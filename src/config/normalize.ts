/**
 * Maps the validated snake_case file to the camelCase Config, filling the defaults that depend on
 * other keys, and runs the checks that span several keys (unique task names, split fractions…).
 */
import type { PathIssue } from './schema-issues.js'
import type { RawConfig, RawTask } from './schema.js'
import { normalizeTask } from './normalize-task.js'
import { asJsonMap } from './model-extra.js'
import { DEFAULT_GATE } from './types.js'
import { checkSampling } from './normalize-samples.js'
import type { Config, ModelConfig, ModelParams } from './types.js'

/** Model names used with `provider.type: simulated` when the file names none. */
export const SIMULATED_MODELS = {
  target: 'sim-target',
  optimizer: 'sim-optimizer',
  judge: 'sim-judge'
} as const

export function normalizeConfig(raw: RawConfig): { config: Config; issues: PathIssue[] } {
  const issues: PathIssue[] = []
  const simulated = raw.provider.type === 'simulated'
  const m = raw.models

  let targetModel = m.target.model
  if (targetModel === undefined) {
    if (simulated) targetModel = SIMULATED_MODELS.target
    else
      issues.push({
        path: ['models', 'target', 'model'],
        message: 'required: expected the name of the model your application uses (e.g. gpt-4o-mini)'
      })
  }
  const optimizerModel =
    m.optimizer.model ?? (simulated && !m.target.model ? SIMULATED_MODELS.optimizer : targetModel)
  const judgeModel =
    m.judge.model ?? (simulated && !m.optimizer.model ? SIMULATED_MODELS.judge : optimizerModel)
  const model = (
    name: string | undefined,
    raw: RawConfig['models']['target'],
    temperature: number
  ): ModelConfig => {
    const config: ModelConfig = {
      model: name ?? '',
      temperature: raw.temperature ?? temperature,
      maxTokens: raw.max_tokens,
      ...(raw.samples !== undefined && { samples: raw.samples }),
      ...(raw.aggregate !== undefined && { aggregate: raw.aggregate })
    }
    const params = modelParams(raw)
    if (params !== undefined) config.params = params
    return config
  }

  const models = {
    target: model(targetModel, m.target, 0),
    optimizer: model(optimizerModel, m.optimizer, 1),
    judge: model(judgeModel, m.judge, 0)
  }
  const tasks = raw.tasks.map((task, index) => {
    const normalized = normalizeTask(task, index, raw.seed, issues)
    // `tasks[].model`: this task's target, with models.target's other settings.
    if (task.model !== undefined) normalized.target = { ...models.target, model: task.model }
    return normalized
  })
  checkUniqueNames(raw.tasks, issues)

  const names = new Set(raw.tasks.map((task) => task.name))
  const holdout = raw.optimize.metaspo.holdout
  holdout.forEach((name, i) => {
    const path = ['optimize', 'metaspo', 'holdout', i]
    if (!names.has(name))
      issues.push({ path, message: `no task is named "${name}" (tasks: ${[...names].join(', ')})` })
    else if (holdout.indexOf(name) !== i)
      issues.push({ path, message: `"${name}" is listed twice` })
  })
  const heldOut = new Set(holdout.filter((name) => names.has(name)))
  if (raw.optimize.method === 'metaspo' && heldOut.size > 0 && heldOut.size >= names.size)
    issues.push({
      path: ['optimize', 'metaspo', 'holdout'],
      message: 'expected at least one task left for meta-training, but every task is held out'
    })

  const p = raw.provider
  if (p.org !== undefined && p.type !== 'github-models')
    issues.push({
      path: ['provider', 'org'],
      message:
        'expected `org:` only with `type: github-models` (it bills GitHub Models calls to an organisation)'
    })
  const config: Config = {
    provider: {
      type: p.type,
      baseUrl: p.base_url,
      apiKeyEnv: p.api_key_env ?? (p.type === 'github-models' ? 'GITHUB_TOKEN' : 'OPENAI_API_KEY'),
      org: p.org,
      concurrency: p.concurrency,
      requestsPerMinute: p.requests_per_minute,
      tokensPerMinute: p.tokens_per_minute,
      timeoutMs: p.timeout_ms,
      maxResponseBytes: p.max_response_bytes,
      maxRetries: p.max_retries,
      prices: p.prices,
      headers: p.headers,
      apiVersion: p.api_version
    },
    models,
    systemPrompt: raw.system_prompt,
    tasks,
    budget: {
      usd: raw.budget.usd,
      tokens: raw.budget.tokens,
      calls: raw.budget.calls,
      minutes: raw.budget.minutes
    },
    gate:
      raw.gate === undefined
        ? DEFAULT_GATE
        : {
            source: 'config',
            minScore: raw.gate.min_score,
            maxDrop: raw.gate.max_drop,
            confidence: raw.gate.confidence,
            newTasks: raw.gate.new_tasks,
            sequential: raw.gate.sequential,
            firstLook: raw.gate.first_look,
            lookEvery: raw.gate.look_every
          },
    optimize: {
      method: raw.optimize.method,
      seed: raw.optimize.seed ?? raw.seed,
      edit: raw.optimize.edit ? [...raw.optimize.edit] : undefined,
      apo: {
        rounds: raw.optimize.apo.rounds,
        beam: raw.optimize.apo.beam,
        minibatch: raw.optimize.apo.minibatch,
        errorGroups: raw.optimize.apo.error_groups,
        errorsPerGroup: raw.optimize.apo.errors_per_group,
        paraphrases: raw.optimize.apo.paraphrases,
        successorsPerParent: raw.optimize.apo.successors_per_parent,
        bandit: raw.optimize.apo.bandit,
        selectionBudget: raw.optimize.apo.selection_budget,
        explorationC: raw.optimize.apo.exploration_c,
        pullSize: raw.optimize.apo.pull_size,
        settle: raw.optimize.apo.settle,
        target: raw.optimize.apo.target
      },
      metaspo: {
        iterations: raw.optimize.metaspo.iterations,
        userCandidates: raw.optimize.metaspo.user_candidates,
        userTopK: raw.optimize.metaspo.user_top_k,
        systemCandidates: raw.optimize.metaspo.system_candidates,
        examplesPerTask: raw.optimize.metaspo.examples_per_task,
        holdout: [...holdout],
        racing: raw.optimize.metaspo.racing
      },
      gepa: {
        preset: raw.optimize.gepa.preset,
        minibatch: raw.optimize.gepa.minibatch,
        confirm: raw.optimize.gepa.confirm,
        devRows: raw.optimize.gepa.dev_rows,
        maxCalls: raw.optimize.gepa.max_calls,
        selection: raw.optimize.gepa.selection,
        maxPromptChars: raw.optimize.gepa.max_prompt_chars,
        target: raw.optimize.gepa.target,
        components: raw.optimize.gepa.components,
        merge: raw.optimize.gepa.merge,
        mergeShare: raw.optimize.gepa.merge_share
      }
    },
    cache: { enabled: raw.cache.enabled, dir: raw.cache.dir },
    seed: raw.seed
  }
  checkSampling(config, issues)
  return { config, issues }
}

/** The parameters a role sets beyond temperature and max tokens; undefined when none. */
function modelParams(raw: RawConfig['models']['target']): ModelParams | undefined {
  const params: ModelParams = {}
  if (raw.top_p !== undefined) params.topP = raw.top_p
  if (raw.seed !== undefined) params.seed = raw.seed
  if (raw.stop !== undefined) params.stop = Array.isArray(raw.stop) ? [...raw.stop] : raw.stop
  if (raw.reasoning_effort !== undefined) params.reasoningEffort = raw.reasoning_effort
  if (raw.extra !== undefined && Object.keys(raw.extra).length > 0)
    params.extra = asJsonMap(raw.extra)
  return Object.keys(params).length > 0 ? params : undefined
}

function checkUniqueNames(tasks: readonly RawTask[], issues: PathIssue[]): void {
  const seen = new Map<string, number>()
  tasks.forEach((task, i) => {
    const first = seen.get(task.name)
    if (first !== undefined)
      issues.push({
        path: ['tasks', i, 'name'],
        message: `duplicate task name "${task.name}" (also tasks[${first}].name); names must be unique`
      })
    else seen.set(task.name, i)
  })
}
