/**
 * A fetch that bounds what a provider can make us read. The body is counted as it streams and cut
 * off once it passes `maxBytes` (a declared content-length over the cap is refused before a byte is
 * read), so memory is bounded by the cap, not by the reply; and an abort of the request's signal
 * errors the body at once, so a deadline bounds the body as well as the headers.
 */

/** The reply passed the byte cap; what was read so far is dropped. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the reply is larger than ${limitBytes} bytes`)
    this.name = 'ResponseTooLargeError'
  }
}

export function boundedFetch(inner: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init)
    if (response.body === null) return response
    const declared = Number(response.headers.get('content-length') ?? Number.NaN)
    const body =
      Number.isFinite(declared) && declared > maxBytes
        ? refused(response.body, maxBytes)
        : counted(response.body, maxBytes, init?.signal ?? undefined)
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers
    })
  }
}

/** A body that fails on its first read: the server said up front that it is over the cap. */
function refused(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  void body.cancel().catch(() => undefined)
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.error(new ResponseTooLargeError(maxBytes))
    }
  })
}

/** `body`, errored once more than `maxBytes` have come or when `signal` aborts. */
function counted(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  signal: AbortSignal | undefined
): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  let seen = 0
  let finished = false
  let fail: (reason: unknown) => void = () => undefined
  const onAbort = (): void => fail(signal?.reason)
  const cleanup = (): void => {
    finished = true
    signal?.removeEventListener('abort', onAbort)
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      fail = (reason) => {
        if (finished) return
        cleanup()
        controller.error(reason)
        void reader.cancel(reason).catch(() => undefined)
      }
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    },
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (error) {
        fail(error)
        return
      }
      if (finished) return
      if (chunk.done) {
        cleanup()
        controller.close()
        return
      }
      seen += chunk.value.byteLength
      if (seen > maxBytes) {
        fail(new ResponseTooLargeError(maxBytes))
        return
      }
      controller.enqueue(chunk.value)
    },
    cancel(reason) {
      cleanup()
      return reader.cancel(reason)
    }
  })
}
