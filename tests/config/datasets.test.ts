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
