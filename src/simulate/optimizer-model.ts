/**
 * The simulated optimizer model (role `optimizer`). Like a real LLM it reads only the messages our
 * meta-prompts send (src/optimize/meta-prompts.ts), so it is bound to them by this contract:
 *
 * THE META-PROMPT CONTRACT (tag names exported from ./contract.ts as CONTRACT_TAGS, equal to
 * META_TAGS in src/optimize/meta-tags.ts)
 *
 * 1. Pieces. The prompt under study is wrapped in `<prompt>…</prompt>` (a user prompt template, or
 *    the system prompt when APO edits one); MetaSPO's system prompt in `<system_prompt>…</system_prompt>`.
 *    Each failing example is `<example><input>…</input><expected>…</expected><output>…</output></example>`:
 *    `input` is what the target received (the rendered user message; the example text is found in
 *    it as the target finds it — a `Review:`/`Ticket:`/`Text:`… line, a `<text>`-like tag, or a
 *    `"""` block — else the whole input is taken as the example), `expected` the expected answer,
 *    `output` the target's whole reply. A critique sent to a rewrite is in `<critique>…</critique>`,
 *    an analysis in `<analysis>…</analysis>`.
 * 2. Request kind = the answer tag asked for, written literally as an empty pair somewhere outside
 *    the pieces above ("Wrap each critique in <critique></critique>"). Tried in this order, so a
 *    rewrite that carries a `<critique>` is still a rewrite:
 *      `<improved_system_prompt></improved_system_prompt>` → system rewrite
 *      `<improved_prompt></improved_prompt>`               → rewrite (APO edit, MetaSPO user rewrite)
 *      `<paraphrase></paraphrase>`                         → paraphrase
 *      `<analysis></analysis>`                             → analysis (MetaSPO, user or system)
 *      `<critique></critique>`                             → critique (APO gradient)
 *    (`<tag>...</tag>` or "in <tag> tags" are accepted as the ask too.)
 * 3. Counts: "Give N critiques" (digits or one…six); default 1. Paraphrases: "Give N paraphrases",
 *    default 1 (one per call is the usual; use sampleIndex for more).
 * 4. Replies:
 *    - critique: N `<critique>…</critique>` items. Each names one or two traits visible in the
 *      failing inputs (in words that any rewrite can act on), or asks to remove an over-broad rule the prompt
 *      carries that breaks a visible trait, or asks for `<answer>` tags when replies had none; at
 *      seeded rates it is useless ("The prompt could be clearer.") or harmful (proposes an
 *      over-broad rule). Defaults 60 / 25 / 15 %. Quoted excerpts of inputs are in double quotes.
 *    - analysis: one `<analysis>…</analysis>`: up to three numbered items drawn as critiques are.
 *      A system analysis (a `<system_prompt>` and no `<prompt>`) favours the traits shared by all
 *      tasks (global ones).
 *    - rewrite: one `<improved_prompt>…</improved_prompt>`: the `<prompt>` (else `<system_prompt>`)
 *      with one instruction added per trait the critique/analysis names, placed just before the
 *      paragraph holding the first `{{slot}}` (at the end when there is none); every other line and
 *      every `{{slot}}` kept. At a seeded rate (default 5 %) the reply is malformed: no closing tag,
 *      a `{{slot}}` lost, or the `<answer>` format line lost.
 *    - paraphrase: `<paraphrase>…</paraphrase>` items: sentences reworded with synonyms, lines with
 *      a `{{slot}}` or a tag kept verbatim, every instruction kept — except at a seeded rate
 *      (default 5 %) one instruction sentence is dropped.
 *    - system rewrite: one `<improved_system_prompt>…</improved_system_prompt>`: the system prompt
 *      with a general instruction appended per analysed trait (malformed at the same rate: unclosed).
 *    - reflect (GEPA; asks for `<new_prompt></new_prompt>`, examples carry `<feedback>`): one
 *      `<new_prompt>…</new_prompt>`: the `<prompt>` edited as a rewrite would be for the critique
 *      drawn from the failing examples only (feedback other than "correct"); at a seeded rate
 *      (default 10 %) it copies a failing example's text, bloats the prompt, or leaves the tag open.
 *      With a `<system_prompt>` and no `<prompt>` (GEPA on the shared system prompt) it edits the
 *      system prompt and favours the traits shared by all tasks, as a system analysis does.
 *    - anything else: a plausible reply without tags.
 * 5. Determinism: every choice is drawn from the seed, the whole request text and `sampleIndex`.
 */
import { throwIfAborted } from '../llm/abort.js'
import type {
  CallOptions,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse
} from '../llm/chat-model.js'
import { randomFor, simulatedResponse } from './chance.js'
import { SIMULATED_MODEL_NAMES } from './names.js'
import { CONTRACT_TAGS as T } from './contract.js'
import { DEFAULT_CRITIQUE_RATES, analysisText, critiqueItems } from './optimizer-critique.js'
import type { CritiqueRates } from './optimizer-critique.js'
import { applyCritique, malform, paraphrase } from './optimizer-edit.js'
import type { Malformation } from './optimizer-edit.js'
import { reflectReply } from './optimizer-reflect.js'
import { parseOptimizerRequest } from './optimizer-request.js'

export interface SimulatedOptimizerOptions {
  seed: number
  /** Model name reported in calls (default `simulated-optimizer`). */
  name?: string
  /** Shares of useful and useless critiques (the rest are harmful). */
  critiqueRates?: CritiqueRates
  /** Share of rewrites that come back malformed (default 0.05). */
  malformedRate?: number
  /** Share of paraphrases that drop one instruction (default 0.05). */
  dropRate?: number
  /** Share of GEPA reflections that come back copying an example, bloated or unclosed (0.1). */
  mistakeRate?: number
}

const GENERIC_REPLY =
  'I can help with that. Could you say what you would like me to produce, and in which format?'

/** The simulated optimizer's reply to one request. */
export function answerAsOptimizer(
  messages: readonly ChatMessage[],
  options: SimulatedOptimizerOptions,
  sampleIndex = 0
): string {
  const request = parseOptimizerRequest(messages)
  const rng = randomFor(options.seed, request.kind ?? 'other', request.text, sampleIndex)
  const rates = options.critiqueRates ?? DEFAULT_CRITIQUE_RATES
  const malformed = (): Malformation | undefined => {
    if (rng.next() >= (options.malformedRate ?? 0.05)) return undefined
    const kinds: Malformation[] = ['unclosed', 'lost-slot', 'lost-format']
    return kinds[rng.int(kinds.length)]
  }
  const reply = (tag: string, body: string, broken?: Malformation): string => {
    const text = broken ? malform(body, broken) : body
    const unclosed = broken === 'unclosed' || (broken !== undefined && text === body)
    return unclosed ? `<${tag}>\n${text}\n` : `<${tag}>\n${text}\n</${tag}>`
  }
  switch (request.kind) {
    case 'critique': {
      const items = critiqueItems(request, request.count ?? 1, rng, rates)
      return items.map((c) => `<${T.critique}>${c}</${T.critique}>`).join('\n\n')
    }
    case 'analysis':
      return `<${T.analysis}>\n${analysisText(request, rng, rates)}\n</${T.analysis}>`
    case 'rewrite': {
      const source = request.prompt ?? request.systemPrompt
      if (source === undefined) return GENERIC_REPLY
      const notes = [...request.critiques, ...request.analyses].join('\n')
      return reply(T.improvedPrompt, applyCritique(source, notes, rng), malformed())
    }
    case 'system-rewrite': {
      const source = request.systemPrompt ?? request.prompt
      if (source === undefined) return GENERIC_REPLY
      const notes = [...request.analyses, ...request.critiques].join('\n')
      const broken = malformed() === undefined ? undefined : 'unclosed'
      return reply(T.improvedSystemPrompt, applyCritique(source, notes, rng), broken)
    }
    case 'paraphrase': {
      const source = request.prompt ?? request.systemPrompt
      if (source === undefined) return GENERIC_REPLY
      const n = request.count ?? 1
      return Array.from(
        { length: n },
        () =>
          `<${T.paraphrase}>\n${paraphrase(source, rng, options.dropRate ?? 0.05)}\n</${T.paraphrase}>`
      ).join('\n\n')
    }
    case 'reflect': {
      const reflected = reflectReply(request, rng, rates, options.mistakeRate ?? 0.1)
      return reflected ?? GENERIC_REPLY
    }
    default:
      return GENERIC_REPLY
  }
}

/** The simulated optimizer as a ChatModel (role `optimizer`). */
export function createSimulatedOptimizer(options: SimulatedOptimizerOptions): ChatModel {
  return {
    model: options.name ?? SIMULATED_MODEL_NAMES.optimizer,
    role: 'optimizer',
    complete(request: ChatRequest, callOptions?: CallOptions): Promise<ChatResponse> {
      try {
        throwIfAborted(callOptions?.signal)
        const text = answerAsOptimizer(request.messages, options, request.sampleIndex ?? 0)
        return Promise.resolve(simulatedResponse(request.messages, text))
      } catch (error) {
        return Promise.reject(error as Error)
      }
    }
  }
}
