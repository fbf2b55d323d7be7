/**
 * What makes each trait visible in text: the patterns the trait detectors, the reader
 * (./reader.ts) and the generator all share, so the three can never disagree about a trait.
 */

/** Word that reverses what follows it; shared by the detector and the reader. */
export const NEGATOR = /\b(?:not|never|hardly|cannot)\b|n't\b/i

export const SARCASM_MARKER =
  /\boh,? great\b|\byeah,? right\b|\bjust what i needed\b|\bthanks a lot\b|\bi just love how\b|\bwhat a treat\b/gi
export const TWO_ISSUES_CONNECTOR = /,? and also\b|[.!?] plus,|[.!?] on top of that,/i
export const HEDGE = /\bi guess\b|\bi suppose\b|\bkind of\b|\bsort of\b|\bmaybe\b|\bperhaps\b/i
export const RHETORICAL = /(?:^|[.!?]\s+)(?:why|who|could|how come|what kind of)\b[^.!?]*\?/i
export const COMPARATIVE = /\b(?:better|worse) than\b|\bcompared (?:to|with)\b/i
export const NUMERIC = /#\d{2,}|\b\d{3,}\b/
export const UPDATE_MARKER = /\b(?:update|edit|later)\s*:/gi
export const REPORTER =
  /\b(?:my (?:sister|brother|friend|neighbour|colleague|boss|partner)|everyone|a reviewer|the reviews) (?:says|said|claims|claimed|thinks|thought|told me)\b/i
export const INJECTION =
  /\(?\s*\b(?:ignore (?:your |all |the )?(?:previous |earlier )?instructions|note to the (?:classifier|model|ai|assistant))\b[^()]*?(?:\.\)|\)|\.|$)/gi

export function testPattern(re: RegExp, text: string): boolean {
  re.lastIndex = 0
  const hit = re.test(text)
  re.lastIndex = 0
  return hit
}

export function isShouting(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '')
  if (letters.length < 12) return false
  const upper = letters.replace(/[^A-Z]/g, '').length
  return upper / letters.length > 0.7
}

export function isEmojiOnly(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text) && /\p{Extended_Pictographic}/u.test(text)
}
