import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { datasetFormat, parseDataset } from '../../src/config/datasets.js'
import { thrown } from './helpers.js'

describe('parseDataset formats', () => {
  it("reads JSONL, skipping blank lines, with each row's line (CRLF and BOM too)", () => {
    const text = '\uFEFF{"id":1,"q":"a"}\r\n\r\n{"id":2,"q":"b"}\r\n   \n{"id":3,"q":"c"}'
    expect(parseDataset(text, 'd.jsonl')).toEqual([
      { fields: { id: 1, q: 'a' }, line: 1 },
      { fields: { id: 2, q: 'b' }, line: 3 },
      { fields: { id: 3, q: 'c' }, line: 5 }
    ])
  })

  it('reads a JSON array with the line where each row starts', () => {
    const text = '[\n  {"q": "a [x], {y}"},\n  {\n    "q": "b\\"]"\n  }, {"q": ["c"]}\n]\n'
    expect(parseDataset(text, 'd.json')).toEqual([
      { fields: { q: 'a [x], {y}' }, line: 2 },
      { fields: { q: 'b"]' }, line: 3 },
      { fields: { q: ['c'] }, line: 5 }
    ])
  })

  it('reads CSV with a header, quoted commas, doubled quotes and embedded newlines', () => {
    const text = 'id,text,label\n1,"hello, world",a\n\n2,"two\nlines ""quoted""",b\r\n3,plain,c\n'
    expect(parseDataset(text, 'd.CSV')).toEqual([
      { fields: { id: '1', text: 'hello, world', label: 'a' }, line: 2 },
      { fields: { id: '2', text: 'two\nlines "quoted"', label: 'b' }, line: 4 },
      { fields: { id: '3', text: 'plain', label: 'c' }, line: 6 }
    ])
  })

  it('reads a YAML list of mappings with lines', () => {
    const text = '# rows\n- id: a\n  q: |\n    multi\n    line\n- { id: b, q: short }\n'
    expect(parseDataset(text, 'd.yml')).toEqual([
      { fields: { id: 'a', q: 'multi\nline\n' }, line: 2 },
      { fields: { id: 'b', q: 'short' }, line: 6 }
    ])
  })

  it('knows formats by extension', () => {
    expect(['a.jsonl', 'a.json', 'a.csv', 'a.yaml', 'a.YML', 'a.txt'].map(datasetFormat)).toEqual([
      'jsonl',
      'json',
      'csv',
      'yaml',
      'yaml',
      undefined
    ])
  })
})

describe('parseDataset errors', () => {
  it('names every bad JSONL line', async () => {
    const error = await thrown(() => parseDataset('{"a":1}\n{"a":\n[1]\n"x"\n', 'e.jsonl'))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message.split('\n')).toEqual([
      'e.jsonl: 3 problems:',
      expect.stringMatching(/^ {2}line 2: not valid JSON: /),
      '  line 3: expected a JSON object per line, got a list',
      '  line 4: expected a JSON object per line, got a string'
    ])
  })

  it('rejects JSON that is not an array of objects', async () => {
    expect((await thrown(() => parseDataset('{"rows": []}', 'e.json'))).message).toBe(
      'e.json: expected a JSON array of objects, got a object (a top-level object is not read; put the rows in a list)'
    )
    expect((await thrown(() => parseDataset('[{"a":1},\n 2]', 'e.json'))).message).toBe(
      'e.json: line 2: expected an object, got a number'
    )
    expect((await thrown(() => parseDataset('[\n{"a":1},\n{"a" 2}]', 'e.json'))).message).toMatch(
      /^e\.json: line 3: not valid JSON: /
    )
  })

  it('names the line of a CSV row with the wrong number of columns', async () => {
    const text = 'id,text,label\n1,"a\nb",x\n2,oops, too, many\n'
    expect((await thrown(() => parseDataset(text, 'e.csv'))).message).toBe(
      'e.csv: line 4: expected 3 columns, got 4 (quote a field that contains a comma)'
    )
    expect((await thrown(() => parseDataset('id,text\n1\n', 'e.csv'))).message).toBe(
      'e.csv: line 2: expected 2 columns, got 1 (quote a field that contains a comma)'
    )
  })

  it('counts lines right with CRLF inside quoted fields', async () => {
    const text = 'id,text\r\n1,"a\r\nb"\r\n\r\n2,c\r\n'
    expect(parseDataset(text, 'd.csv')).toEqual([
      { fields: { id: '1', text: 'a\r\nb' }, line: 2 },
      { fields: { id: '2', text: 'c' }, line: 5 }
    ])
    const bad = 'id,text\r\n1,"a\r\nb"\r\n\r\n2,"c\r\nd",e\r\n3,x\r\n'
    expect((await thrown(() => parseDataset(bad, 'e.csv'))).message).toBe(
      'e.csv: line 5: expected 2 columns, got 3 (quote a field that contains a comma)'
    )
  })

  it('reports an unclosed CSV quote and a bad header', async () => {
    expect((await thrown(() => parseDataset('id,text\n1,"open\n2,x\n', 'e.csv'))).message).toMatch(
      /^e\.csv: line \d+: a quoted field is never closed/
    )
    expect((await thrown(() => parseDataset('id,id,\n1,2,3\n', 'e.csv'))).message).toBe(
      'e.csv: 2 problems:\n  line 1: column name "id" appears twice in the header row\n  line 1: column 3 of the header row has no name'
    )
  })

  it('rejects YAML that is not a list of mappings, naming the line', async () => {
    expect((await thrown(() => parseDataset('a: 1\n', 'e.yaml'))).message).toBe(
      'e.yaml: line 1: expected a YAML list of mappings, got a object'
    )
    expect((await thrown(() => parseDataset('- a: 1\n- just text\n', 'e.yaml'))).message).toBe(
      'e.yaml: line 2: expected a mapping (key: value) per item, got a string'
    )
    expect((await thrown(() => parseDataset('- a: [1\n', 'e.yaml'))).message).toMatch(
      /^e\.yaml: line \d+, column \d+: invalid YAML: /
    )
  })

  it('rejects an empty dataset in every format', async () => {
    for (const [file, text] of [
      ['e.jsonl', '\n\n'],
      ['e.json', '[]'],
      ['e.csv', 'id,text\n'],
      ['e.yaml', '# nothing\n']
    ] as const) {
      expect((await thrown(() => parseDataset(text, file))).message).toBe(
        `${file}: the dataset has no rows; expected at least one`
      )
    }
  })
})

describe('hostile datasets (issue #18)', () => {
  it('refuses a CSV with 1,000,000 columns at the header, naming the file and line', async () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')
    const row = Array.from({ length: 1_000_000 }, (_, i) => String(i % 10)).join(',')
    const error = await thrown(() => parseDataset(`${header}\n${row}\n${row}\n`, 'wide.csv'))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(
      'wide.csv: line 1: the header row has 1,000,000 columns; expected at most 10,000'
    )
  })

  it('reads 10,000 columns, and names blank and repeated ones a few times, not thousands', async () => {
    const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')
    const row = Array.from({ length: 10_000 }, (_, i) => String(i % 10)).join(',')
    const rows = parseDataset(`${header}\n${row}\n`, 'wide.csv')
    expect(Object.keys(rows[0]!.fields)).toHaveLength(10_000)
    expect(rows[0]!.fields['c9999']).toBe('9')
    // The check is linear (a set of names seen): the old one looked each name up in the whole row.
    const bad = Array.from({ length: 10_000 }, (_, i) => (i % 2 === 0 ? 'x' : '')).join(',')
    const error = await thrown(() => parseDataset(`${bad}\n`, 'wide.csv'))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(
      /^wide\.csv: 20 problems:\n {2}line 1: column 2 of the header row has no name\n {2}line 1: column name "x" appears twice/
    )
  })

  const deep = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

  it('names the file and the row of a row nested 5,000 deep, in every format', async () => {
    const jsonl = `{"id":"ok","q":{"a":{"b":1}}}\n{"id":"deep","q":${deep(5_000)}}\n`
    const error = await thrown(() => parseDataset(jsonl, 'evals/deep.jsonl'))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(
      'evals/deep.jsonl: line 2: the row is nested deeper than 64 levels (objects or lists within each other); expected at most 64'
    )
    const json = `[\n{"q":1},\n{"q":${deep(5_000)}}\n]`
    expect((await thrown(() => parseDataset(json, 'd.json'))).message).toMatch(
      /^d\.json: line 3: the row is nested deeper than 64 levels/
    )
    const yaml = `- q: 1\n- q: ${'['.repeat(5_000)}1${']'.repeat(5_000)}\n`
    expect((await thrown(() => parseDataset(yaml, 'd.yaml'))).message).toMatch(
      /^d\.yaml: line 2(, column \d+: invalid YAML: the data is nested too deeply to read|: the row is nested deeper than 64 levels)/
    )
  })

  it('keeps rows nested up to the limit', () => {
    const rows = parseDataset(`{"q":${deep(63)}}\n`, 'd.jsonl')
    expect(rows).toHaveLength(1)
  })
})
