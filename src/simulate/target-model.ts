/**
 * The simulated target model. It sees only the messages, like a real LLM: it finds the example in
 * the user message, the labels the prompt offers and the answer format it asks for, decodes the
 * true label from the example's text (./reader.ts) and spots the traits visible in it. It answers
 * right only when every trait is addressed by an instruction — a local trait anywhere in the system
 * + user prompt, or shown handled by a few-shot turn; a global trait in the system prompt — and no
 * over-broad rule in the prompt breaks
 * one of them; otherwise it falls for the first unheeded trait. A little noise, seeded by the
 * request text, flips some answers. An invoice asked for as JSON is answered by ./json-target.ts
 * instead. Nothing is registered between calls: every decision comes from
 * the text, so the model works the same over HTTP and in another process.
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
import { harmfulRulesIn } from './harmful.js'
import { decideAsJsonTarget } from './json-target.js'
import { kindForChoices, lexiconOf } from './lexicon.js'
import { findChoices, findExample, requestedAnswerTag } from './message.js'
import { trapOf, truthOf } from './reader.js'
import { detectTraits, getTrait, traitsAddressedBy } from './traits.js'
import type { TraitId } from './traits.js'

export interface SimulatedTargetOptions {
  seed: number
  /** Share of answers flipped at random (default 0.03). */
  noise?: number
  /** Model name reported in calls (default `simulated-target`). */
  name?: string
}

/** Everything the target decided about one request (for tests and the fake server's record). */
export interface TargetDecision {
  reply: string
  /** The label given, or null when the reply names none (unreadable, or no labels were offered). */
  answer: string | null
  /** The label read from the text, or null when the text carries no clear cue. */
  truth: string | null
  example: string | undefined
  choices: string[] | undefined
  traits: TraitId[]
  /** The trait the model fell for, if any. */
  missed: TraitId | undefined
  /** The answer was flipped by noise. */
  noisy: boolean
}

function contentOf(messages: readonly ChatMessage[], role: ChatMessage['role']): string {
  return messages
    .filter((m) => m.role === role)
    .map((m) => m.content)
    .join('\n\n')
}

/**
 * The traits that the conversation's few-shot turns show handled: a user turn whose text carries
 * the trait, answered by the next assistant turn with the label the text really means. A shown
 * trait helps as an instruction for it would (local traits only: a global trait needs the system
 * prompt). A turn answered wrongly, or with no readable label, shows nothing.
 */
function traitsShownBy(
  turns: readonly ChatMessage[],
  choices: readonly string[],
  lex: ReturnType<typeof lexiconOf>
): Set<TraitId> {
  const shown = new Set<TraitId>()
  turns.forEach((turn, i) => {
    const answer = turns[i + 1]
    if (turn.role !== 'user' || answer?.role !== 'assistant') return
    const text = findExample(turn.content)?.text ?? turn.content
    const truth = truthOf(text, lex)
    const given = labelIn(answer.content, choices)
    if (truth === null || given === undefined || given.toLowerCase() !== truth.toLowerCase()) return
    for (const trait of detectTraits(text)) if (getTrait(trait).scope !== 'global') shown.add(trait)
  })
  return shown
}

/** The label an answer turn gives: the last of the choices it names (tagged or not). */
function labelIn(text: string, choices: readonly string[]): string | undefined {
  let best: { label: string; at: number } | undefined
  for (const choice of choices) {
    const at = text.toLowerCase().lastIndexOf(choice.toLowerCase())
    if (at >= 0 && (best === undefined || at > best.at)) best = { label: choice, at }
  }
  return best?.label
}

/** Maps a label to the spelling the prompt used for it. */
function spelled(label: string, choices: readonly string[]): string {
  return choices.find((c) => c.toLowerCase() === label.toLowerCase()) ?? label
}

/** The simulated target's decision for one request. */
export function decideAsTarget(
  messages: readonly ChatMessage[],
  options: { seed: number; noise?: number; sampleIndex?: number }
): TargetDecision {
  const system = contentOf(messages, 'system')
  // The question is the last user message; user/assistant turns before it are few-shot examples.
  const last = messages.map((m) => m.role).lastIndexOf('user')
  const user = messages[last]?.content ?? ''
  const turns = messages.slice(0, Math.max(0, last)).filter((m) => m.role !== 'system')
  const found = findExample(user)
  const userInstructions = found ? user.replace(found.span, ' ') : user
  const instructions = `${system}\n\n${userInstructions}`
  const choices = findChoices(instructions)
  const tag = requestedAnswerTag(instructions)
  const sample = options.sampleIndex ? `#${options.sampleIndex}` : ''
  const draw = (what: string): number => unitHash(options.seed, what, system, user, sample)
  const base = { example: found?.text, choices, traits: [] as TraitId[], noisy: false }
  if (!choices) {
    const reply = 'I am not sure what answer is expected here.'
    return { ...base, reply, answer: null, truth: null, missed: undefined }
  }
  const kind = kindForChoices(choices)
  const lex = kind ? lexiconOf(kind) : undefined
  const text = found?.text ?? user
  const traits = detectTraits(text)
  const truth = lex ? truthOf(text, lex) : null
  let answer: string
  let missed: TraitId | undefined
  if (truth === null || !lex) {
    answer = choices[Math.floor(unitHash(options.seed, 'guess', text) * choices.length)] as string
  } else {
    const addressedAnywhere = new Set([
      ...traitsAddressedBy(instructions),
      ...traitsShownBy(turns, choices, lex)
    ])
    const addressedInSystem = new Set(traitsAddressedBy(system))
    const rules = harmfulRulesIn(instructions)
    const systemRules = harmfulRulesIn(system)
    const heeded = (t: TraitId): boolean =>
      getTrait(t).scope === 'global'
        ? addressedInSystem.has(t) || systemRules.some((r) => r.helps.includes(t))
        : addressedAnywhere.has(t) || rules.some((r) => r.helps.includes(t))
    const broken = (t: TraitId): boolean => rules.some((r) => r.hurts.includes(t))
    missed = traits.find((t) => !heeded(t) || broken(t))
    answer = missed ? trapOf(missed, text, truth, lex) : truth
  }
  let noisy = false
  if (draw('noise') < (options.noise ?? 0.03) && choices.length > 1) {
    const others = choices.filter((c) => c.toLowerCase() !== answer.toLowerCase())
    answer = others[Math.floor(draw('noise-label') * others.length)] ?? answer
    noisy = true
  }
  const label = spelled(answer, choices)
  const rationale = missed
    ? 'Going by the words of the text.'
    : traits.length > 0
      ? `Taking the ${traits.map((t) => getTrait(t).title).join(' and ')} into account.`
      : 'The text is clear.'
  if (tag) {
    return {
      ...base,
      traits,
      noisy,
      truth,
      missed,
      answer: label,
      reply: `${rationale}\n<${tag}>${label}</${tag}>`
    }
  }
  // No format asked for: loose prose, sometimes with a decoy label first, sometimes no label at all.
  const style = draw('style')
  const decoy = choices.find((c) => c !== label) ?? label
  let reply: string
  let given: string | null = label
  if (style < 0.7) {
    const forms = [`${label}.`, `The answer is ${label}.`, `I would classify this as ${label}.`]
    reply = forms[Math.floor(draw('form') * forms.length)] as string
  } else if (style < 0.88) {
    reply = `It might look like ${decoy} at first, but I think it is ${label}.`
  } else {
    reply = 'It is hard to say from this text alone.'
    given = null
  }
  return { ...base, traits, noisy, truth, missed, answer: given, reply }
}

/** The simulated target as a ChatModel (role `target`). */
export function createSimulatedTarget(options: SimulatedTargetOptions): ChatModel {
  return {
    model: options.name ?? SIMULATED_MODEL_NAMES.target,
    role: 'target',
    complete(request: ChatRequest, callOptions?: CallOptions): Promise<ChatResponse> {
      try {
        throwIfAborted(callOptions?.signal)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      const seeded = { seed: options.seed, noise: options.noise, sampleIndex: request.sampleIndex }
      // An invoice asked for as JSON is the extraction world (./json-target.ts); else labels.
      const decision =
        decideAsJsonTarget(request.messages, request.responseFormat, seeded) ??
        decideAsTarget(request.messages, seeded)
      return Promise.resolve(simulatedResponse(request.messages, decision.reply))
    }
  }
}
