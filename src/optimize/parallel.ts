/**
 * Running independent model calls at once without losing control of them: the first failure aborts
 * the siblings (through the shared controller, with the failure as the reason, so the model layer
 * rethrows the same typed error) and every branch has settled before the failure is rethrown, so no
 * call is still running when the caller stops. Results keep the order of `tasks`.
 */
import { BudgetExceededError } from '../errors.js'

export async function allOrAbort<T>(
  tasks: ReadonlyArray<() => Promise<T>>,
  controller: AbortController
): Promise<T[]> {
  const failures: unknown[] = []
  const settled = await Promise.allSettled(
    tasks.map(async (task) => {
      try {
        return await task()
      } catch (error) {
        failures.push(error)
        if (!controller.signal.aborted) controller.abort(error)
        throw error
      }
    })
  )
  if (failures.length > 0) {
    // A budget stop explains the aborts it caused in the siblings; report it rather than those.
    throw failures.find((e) => e instanceof BudgetExceededError) ?? failures[0]
  }
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value)
}
