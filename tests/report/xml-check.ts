/**
 * A small XML well-formedness checker for the tests (no dependency): one root element, balanced and
 * properly nested tags, quoted attributes without `<` and without duplicates, only the predefined or
 * numeric entity references, closed comments and CDATA sections, no characters XML 1.0 forbids.
 * Returns the problems found; an empty list means well-formed.
 */
const NAME = /^[A-Za-z_:][\w:.-]*/
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);/
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

function checkReferences(text: string, where: string, problems: string[]): void {
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    if (!ENTITY.test(text.slice(i)))
      problems.push(`bad entity reference in ${where}: ${text.slice(i, i + 12)}`)
  }
}

export function xmlProblems(xml: string): string[] {
  const problems: string[] = []
  if (FORBIDDEN.test(xml)) problems.push('forbidden character')
  const stack: string[] = []
  let roots = 0
  let i = 0
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>')
    if (end === -1) return ['unterminated XML declaration']
    i = end + 2
  }
  while (i < xml.length) {
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4)
      if (end === -1) return [...problems, 'unterminated comment']
      if (xml.slice(i + 4, end).includes('--')) problems.push('"--" inside a comment')
      i = end + 3
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i)
      if (end === -1) return [...problems, 'unterminated CDATA']
      if (stack.length === 0) problems.push('CDATA outside the root element')
      i = end + 3
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i)
      if (end === -1) return [...problems, 'unterminated processing instruction']
      i = end + 2
    } else if (xml.startsWith('</', i)) {
      const name = NAME.exec(xml.slice(i + 2))?.[0]
      const close = xml.indexOf('>', i)
      if (!name || close === -1 || xml.slice(i + 2 + name.length, close).trim() !== '') {
        return [...problems, `bad end tag at ${i}`]
      }
      const open = stack.pop()
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`)
      i = close + 1
    } else if (xml[i] === '<') {
      const name = NAME.exec(xml.slice(i + 1))?.[0]
      if (!name) return [...problems, `bad start tag at ${i}: ${xml.slice(i, i + 20)}`]
      let j = i + 1 + name.length
      const seen = new Set<string>()
      for (;;) {
        const rest = xml.slice(j)
        const attr = /^\s+([A-Za-z_:][\w:.-]*)\s*=\s*("[^"<]*"|'[^'<]*')/.exec(rest)
        if (attr) {
          const attrName = attr[1] ?? ''
          if (seen.has(attrName)) problems.push(`duplicate attribute ${attrName} on <${name}>`)
          seen.add(attrName)
          checkReferences((attr[2] ?? '').slice(1, -1), `attribute ${attrName}`, problems)
          j += attr[0].length
          continue
        }
        const end = /^\s*(\/?)>/.exec(rest)
        if (!end) return [...problems, `malformed tag <${name}> at ${i}: ${rest.slice(0, 30)}`]
        if (stack.length === 0) roots++
        if (end[1] !== '/') stack.push(name)
        j += end[0].length
        break
      }
      i = j
    } else {
      const next = xml.indexOf('<', i)
      const text = xml.slice(i, next === -1 ? xml.length : next)
      if (stack.length === 0 && text.trim() !== '') problems.push('text outside the root element')
      if (text.includes(']]>')) problems.push('"]]>" in text')
      checkReferences(text, 'text', problems)
      i = next === -1 ? xml.length : next
    }
  }
  if (stack.length > 0) problems.push(`unclosed elements: ${stack.join(', ')}`)
  if (roots !== 1) problems.push(`${roots} root elements`)
  return problems
}

/** The values of attribute `attr` on every `<tag …>`, in document order. */
export function attributeValues(xml: string, tag: string, attr: string): string[] {
  const out: string[] = []
  const tagPattern = new RegExp(`<${tag}\\b[^>]*>`, 'g')
  for (const match of xml.matchAll(tagPattern)) {
    const value = new RegExp(`\\s${attr}="([^"]*)"`).exec(match[0])?.[1]
    if (value !== undefined) out.push(value)
  }
  return out
}
