/**
 * Letting the event loop turn during CPU-bound work. A run whose answers come without I/O (the
 * simulated provider, an in-memory cache) is one long chain of promises: Node delivers SIGTERM and
 * SIGINT only when the loop turns, so without a pause now and then a cancelled job would run on
 * until the end. The pause is counted, not timed, so the order of work stays reproducible.
 */

/** Returns a function that, every `every`-th call, waits for one turn of the event loop. */
export function createYielder(every: number): () => Promise<void> {
  let calls = 0
  return async () => {
    calls += 1
    if (calls % every !== 0) return
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}
