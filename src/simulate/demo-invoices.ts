/**
 * The demo's JSON extraction task: synthetic invoices (./invoice-task.ts) with a config of their
 * own that asks the target for a JSON object and scores each reply with two checks — validity
 * against the response schema and per-field matches — so APO can be seen raising field scores.
 */
import { makeInvoiceTask } from './invoice-task.js'

export const DEMO_INVOICES_CONFIG_FILE = 'prompt-descent.invoices.yml'
export const DEMO_INVOICES_PROMPT = 'prompts/invoices.md'
export const DEMO_INVOICES_SCHEMA = 'schemas/invoice.json'
const DATA = 'evals/invoices.jsonl'

/** The config of the invoice task, below the demo's header. */
function configText(header: string, seed: number): string {
  return [
    header.trimEnd(),
    '# Invoice field extraction: the target answers with a JSON object; each reply is checked for',
    '# schema validity and scored field by field (4 of 5 fields right scores 0.8 on that check).',
    'provider: { type: simulated }',
    `seed: ${seed}`,
    'tasks:',
    '  - name: invoices',
    `    prompt: ${DEMO_INVOICES_PROMPT}`,
    `    data: ${DATA}`,
    '    response_format: json_object',
    '    checks:',
    `      - { type: json_schema, schema: ${DEMO_INVOICES_SCHEMA}, name: valid }`,
    '      - type: json',
    '        name: fields',
    '        weight: 4',
    '        fields:',
    '          - { path: vendor, match: text }',
    '          - invoice_number',
    '          - date',
    '          - currency',
    '          - { path: total, match: numeric, tolerance: 0.01 }',
    'optimize:',
    '  method: apo',
    '  apo: { rounds: 3 }',
    ''
  ].join('\n')
}

/** The invoice task's files (config, prompt, dataset, schema), by path relative to the root. */
export function invoiceDemoFiles(
  header: string,
  options: { seed: number; rows?: number }
): Map<string, string> {
  const task = makeInvoiceTask({ name: 'invoices', size: options.rows ?? 90, seed: options.seed })
  // The hidden traits stay out of the file: the simulated target must read them from the text.
  const rows = task.rows.map((r) =>
    JSON.stringify({ id: r.id, text: r.text, expected: r.expected })
  )
  return new Map([
    [DEMO_INVOICES_CONFIG_FILE, configText(header, options.seed)],
    [DEMO_INVOICES_PROMPT, `${task.initialPrompt}\n`],
    [DATA, `${rows.join('\n')}\n`],
    [DEMO_INVOICES_SCHEMA, `${JSON.stringify(task.schema, null, 2)}\n`]
  ])
}
