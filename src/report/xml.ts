/**
 * Escaping for XML (JUnit files, SVG charts). Text from datasets and models may hold anything,
 * including characters XML 1.0 forbids outright, which no escaping can carry: those are dropped.
 */

// Characters outside XML 1.0's Char production: C0 controls except tab/LF/CR, lone surrogates,
// U+FFFE and U+FFFF.
const INVALID_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Removes characters that may not appear in an XML 1.0 document at all. */
function xmlChars(text: string): string {
  return text.replace(INVALID_XML, '')
}

/** Text content: `&`, `<` and `>` escaped. */
export function xmlText(text: string): string {
  return xmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** An attribute value (for double quotes); line breaks and tabs kept as character references. */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}

/** A CDATA section holding `text` exactly; a `]]>` inside is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlChars(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
}
