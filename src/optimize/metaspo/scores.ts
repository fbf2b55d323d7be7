/**
 * What a MetaSPO run knows of each (task, system prompt, user prompt) pair: its results on the
 * task's train examples, each example at its place in one seeded order per task — the same order
 * for every pair, so means are summed alike and comparisons are paired. Nothing is ever asked of
 * the target twice: the reference code re-scored every unchanged pair it copied; here a known result
 * is read back, and only the examples not yet scored reach the score function (and the counters).
 */
import type { Example, LoadedTask } from '../../config/project-types.js'
import { InputError } from '../../errors.js'
import type { ExampleResult } from '../../eval/types.js'
import type { Random } from '../../util/random.js'
import { collectErrors, type ScoredError } from '../failing-examples.js'
import type { TaskScoreFn } from './types.js'
import type { PromptParts } from '../../config/prompt.js'

/** Mean of values summed in order; the racing bounds use the same summation so they stay exact. */
export function orderedMean(values: readonly number[]): number {
  if (values.length === 0) return 0
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

function pairKey(pair: PromptParts): string {
  return `${pair.system ?? '\u0000'}\u0001${pair.user}`
}

interface TaskBook {
  task: LoadedTask
  train: readonly Example[]
  position: Map<string, number>
  /** Per pair: results at their train positions (holes = not scored yet). */
  pairs: Map<string, Array<ExampleResult | undefined>>
}

export class ScoreBook {
  private readonly books = new Map<string, TaskBook>()
  private readonly locks = new Map<string, Promise<number>>()

  constructor(
    tasks: readonly LoadedTask[],
    private readonly scoreFor: TaskScoreFn,
    random: Random,
    trainLimit: number | undefined
  ) {
    for (const task of tasks) {
      const train = task.examples.filter((e) => e.split === 'train')
      if (train.length === 0) {
        throw new InputError(
          `task "${task.name}": MetaSPO scores prompts on train examples and found none; adjust the split`,
          { file: task.config.data }
        )
      }
      const order = random.fork(`train-order:${task.name}`).shuffle(train)
      const limit = trainLimit === undefined ? order.length : Math.max(1, Math.floor(trainLimit))
      const kept = order.slice(0, limit)
      this.books.set(task.name, {
        task,
        train: kept,
        position: new Map(kept.map((e, i) => [e.id, i])),
        pairs: new Map()
      })
    }
  }

  private book(task: string): TaskBook {
    const found = this.books.get(task)
    if (found === undefined) throw new Error(`unknown task ${task}`)
    return found
  }

  private slots(task: string, pair: PromptParts): Array<ExampleResult | undefined> {
    const book = this.book(task)
    const key = pairKey(pair)
    let slots = book.pairs.get(key)
    if (slots === undefined) {
      slots = new Array<ExampleResult | undefined>(book.train.length).fill(undefined)
      book.pairs.set(key, slots)
    }
    return slots
  }

  /** The task's train examples in the run's order. */
  examples(task: string): readonly Example[] {
    return this.book(task).train
  }

  size(task: string): number {
    return this.book(task).train.length
  }

  /** Scores known for the pair at their train positions (undefined = not scored yet). */
  scores(task: string, pair: PromptParts): Array<number | undefined> {
    return this.slots(task, pair).map((r) => r?.score)
  }

  isComplete(task: string, pair: PromptParts): boolean {
    return this.slots(task, pair).every((r) => r !== undefined)
  }

  /** Evaluations known for the pair. */
  known(task: string, pair: PromptParts): number {
    return this.slots(task, pair).filter((r) => r !== undefined).length
  }

  /** The pair's mean over all train examples; throws when it was not fully scored. */
  mean(task: string, pair: PromptParts): number {
    const scores = this.scores(task, pair)
    if (scores.some((s) => s === undefined)) {
      throw new Error(
        `pair not fully scored on ${task} (${this.known(task, pair)}/${scores.length})`
      )
    }
    return orderedMean(scores as number[])
  }

  /** The mean over the examples scored so far (0 when none). */
  partialMean(task: string, pair: PromptParts): number {
    return orderedMean(this.scores(task, pair).filter((s): s is number => s !== undefined))
  }

  /** The train examples the pair got wrong, in train order (only scored ones count). */
  errors(task: string, pair: PromptParts): ScoredError[] {
    const slots = this.slots(task, pair)
    const train = this.book(task).train
    const scored = train.filter((_, i) => slots[i] !== undefined)
    return collectErrors(
      scored,
      slots.filter((r): r is ExampleResult => r !== undefined)
    )
  }

  /**
   * Scores the pair on `examples` (train examples of the task), calling only for those not yet
   * scored; resolves with how many evaluations were asked of the target. Calls for one pair run one
   * after the other, so a result is never asked for twice.
   */
  scoreOn(
    task: string,
    pair: PromptParts,
    examples: readonly Example[],
    signal: AbortSignal | undefined
  ): Promise<number> {
    const lockKey = `${task}\u0002${pairKey(pair)}`
    const previous = this.locks.get(lockKey) ?? Promise.resolve(0)
    const run = previous.catch(() => 0).then(() => this.scoreNow(task, pair, examples, signal))
    this.locks.set(lockKey, run)
    return run
  }

  /** Scores the pair on every train example; resolves with the evaluations asked of the target. */
  complete(task: string, pair: PromptParts, signal: AbortSignal | undefined): Promise<number> {
    return this.scoreOn(task, pair, this.examples(task), signal)
  }

  private async scoreNow(
    task: string,
    pair: PromptParts,
    examples: readonly Example[],
    signal: AbortSignal | undefined
  ): Promise<number> {
    const book = this.book(task)
    const slots = this.slots(task, pair)
    const todo = examples.filter((e) => {
      const at = book.position.get(e.id)
      if (at === undefined) throw new Error(`example ${e.id} is not a train example of ${task}`)
      return slots[at] === undefined
    })
    if (todo.length === 0) return 0
    const results = await this.scoreFor(book.task)(pair, todo, { signal })
    const byId = new Map(results.map((r) => [r.id, r]))
    for (const example of todo) {
      const result = byId.get(example.id)
      if (result === undefined) {
        throw new Error(
          `task ${task}: the score function returned ${results.length} of ${todo.length} results`
        )
      }
      slots[book.position.get(example.id) as number] = result
    }
    return todo.length
  }
}
