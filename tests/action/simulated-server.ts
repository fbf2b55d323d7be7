/**
 * The fake OpenAI-compatible server answering as the simulated models (target, optimizer, judge by
 * model name), requiring the API key, so a run that did not pass the key on fails loudly.
 */
import { simulatedModelFor } from '../../src/simulate/index.js'
import type { ChatMessage } from '../../src/llm/chat-model.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeOpenAI, FakeRequestContext } from '../helpers/fake-openai-server.js'

/** A key that must never show up anywhere the action writes. */
export const SECRET_API_KEY = 'sk-e2e-Zq7XbW93pLkT0-never-print-me'

/**
 * Starts the server; the simulation's seed is fixed so every run sees the same model. `fault`, when
 * given, sees each request first and may throw a FakeHttpError instead of the answer.
 */
export function startSimulatedOpenAI(
  seed = 5,
  fault?: (context: FakeRequestContext) => void
): Promise<FakeOpenAI> {
  return startFakeOpenAI({
    apiKey: SECRET_API_KEY,
    respond: async (body, context) => {
      fault?.(context)
      const model = simulatedModelFor(body.model, seed)
      const reply = await model.complete({ messages: body.messages as ChatMessage[] })
      return reply.text
    }
  })
}
