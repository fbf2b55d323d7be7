/**
 * A minimal simulated judge (role `judge`), for judge metrics under `provider: simulated`. It reads
 * the reply to grade and the reference answer from the grading request (BEGIN/END blocks, or
 * <reference>/<response> tags) and gives the top score when the reply contains the reference, the
 * lowest when it does not; without a reference it grades by a hash of the reply, which says
 * nothing about quality — enough to run the pipeline offline, not to measure anything.
 */
import { throwIfAborted } from '../llm/abort.js'
import type {
  CallOptions,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse
} from '../llm/chat-model.js'
import { SIMULATED_MODEL_NAMES } from './names.js'
import { simulatedResponse, unitHash } from './chance.js'
import { taggedFirst } from './contract.js'

function block(text: string, name: string): string | undefined {
  const re = new RegExp(`-+ BEGIN ${name} -+\\n([\\s\\S]*?)\\n-+ END ${name} -+`)
  return re.exec(text)?.[1]
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The simulated judge's reply to one grading request. */
export function answerAsJudge(messages: readonly ChatMessage[], seed: number): string {
  const text = messages.map((m) => m.content).join('\n\n')
  const scale = Number.parseInt(/from 1 to (\d+)/i.exec(text)?.[1] ?? '5', 10)
  const reference = block(text, 'REFERENCE ANSWER') ?? taggedFirst(text, 'reference')
  const reply = block(text, 'REPLY TO GRADE') ?? taggedFirst(text, 'response') ?? ''
  let score: number
  let reason: string
  if (reference !== undefined && normalise(reference) !== '') {
    const match = normalise(reply).includes(normalise(reference))
    score = match ? scale : 1
    reason = match
      ? 'The reply gives the reference answer.'
      : 'The reply misses the reference answer.'
  } else {
    score = 1 + Math.floor(unitHash(seed, 'judge', reply) * scale)
    reason = 'Graded against the rubric alone.'
  }
  return `<reason>${reason}</reason>\n<score>${score}</score>`
}

export function createSimulatedJudge(options: { seed: number; name?: string }): ChatModel {
  return {
    model: options.name ?? SIMULATED_MODEL_NAMES.judge,
    role: 'judge',
    complete(request: ChatRequest, callOptions?: CallOptions): Promise<ChatResponse> {
      try {
        throwIfAborted(callOptions?.signal)
        const text = answerAsJudge(request.messages, options.seed)
        return Promise.resolve(simulatedResponse(request.messages, text))
      } catch (error) {
        return Promise.reject(error as Error)
      }
    }
  }
}
