import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { extractAnswer, extractJsonValue, lastTagContent } from '../../src/eval/extract.js'
import { findJson, jsonEqual, parseJsonPath, pickJsonPath } from '../../src/eval/json-find.js'

describe('extractAnswer raw and last-line', () => {
  it('trims a raw reply and gives null for an empty one', () => {
    expect(extractAnswer('  Paris \n', { type: 'raw' })).toBe('Paris')
    expect(extractAnswer(' \n\t', { type: 'raw' })).toBeNull()
  })

  it('takes the last non-empty line', () => {
    const reply = 'Let me think.\r\nThe sum is 4.\n\n  Answer: 4  \n\n'
    expect(extractAnswer(reply, { type: 'last-line' })).toBe('Answer: 4')
    expect(extractAnswer('\n \n', { type: 'last-line' })).toBeNull()
  })
})

describe('tag extraction', () => {
  const tag = { type: 'tag', tag: 'answer' } as const

  it('reads the last tag, case-insensitive, across newlines', () => {
    const reply = 'Draft: <answer>bug</answer>\nOn reflection:\n<ANSWER>\n  billing\n</Answer>'
    expect(extractAnswer(reply, tag)).toBe('billing')
  })

  it('tolerates spaces and attributes inside the brackets', () => {
    expect(extractAnswer('< answer confidence="high" >B</ answer >', tag)).toBe('B')
  })

  it('is null when the tag is absent, unclosed or empty', () => {
    expect(extractAnswer('The answer is billing.', tag)).toBeNull()
    expect(extractAnswer('<answer>billing', tag)).toBeNull()
    expect(extractAnswer('<answer>  </answer>', tag)).toBeNull()
  })

  it('keeps what follows a stray second opening tag', () => {
    expect(lastTagContent('<answer>draft <answer>final</answer>', 'answer')).toBe('final')
  })

  it('does not confuse a tag with a longer tag name', () => {
    expect(lastTagContent('<answers>x</answers>', 'answer')).toBeNull()
  })

  it('escapes regex characters in the tag name', () => {
    expect(lastTagContent('<a.b>1</a.b><axb>2</axb>', 'a.b')).toBe('1')
  })
})

describe('regex extraction', () => {
  it('takes the group of the last match', () => {
    const config = { type: 'regex', pattern: 'Answer:\\s*(\\w+)', group: 1 } as const
    expect(extractAnswer('Answer: foo\nAnswer: bar', config)).toBe('bar')
  })

  it('matches ^ and $ at line ends and supports a leading (?i)', () => {
    const config = { type: 'regex', pattern: '(?i)^final: (.+)$', group: 1 } as const
    expect(extractAnswer('FINAL: yes\nnotes after', config)).toBe('yes')
  })

  it('is null when nothing matches or the group did not take part', () => {
    const config = { type: 'regex', pattern: 'x(y)?', group: 1 } as const
    expect(extractAnswer('nothing here', { ...config, pattern: 'z(y)' })).toBeNull()
    expect(extractAnswer('x', config)).toBeNull()
  })

  it('group 0 is the whole match', () => {
    expect(extractAnswer('id 42 then 43', { type: 'regex', pattern: '\\d+', group: 0 })).toBe('43')
  })

  it('throws an InputError on a bad pattern', () => {
    expect(() => extractAnswer('x', { type: 'regex', pattern: '(', group: 1 })).toThrow(InputError)
  })
})

describe('json extraction', () => {
  it('parses a reply that is JSON and picks a path', () => {
    const reply = '{"a": {"b": [{"c": "deep"}, 2]}}'
    expect(extractAnswer(reply, { type: 'json', path: 'a.b[0].c' })).toBe('deep')
    expect(extractAnswer(reply, { type: 'json', path: 'a.b[1]' })).toBe('2')
    expect(extractAnswer(reply, { type: 'json', path: 'a.b' })).toBe('[{"c":"deep"},2]')
  })

  it('prefers the last fenced block, then the last object in prose', () => {
    const fenced = 'Example:\n```json\n{"x": 1}\n```\nFinal:\n```\n{"x": 2}\n```'
    expect(extractAnswer(fenced, { type: 'json', path: 'x' })).toBe('2')
    const prose = 'I considered {"x": 1} but the answer is {"x": {"y": "}"}} as shown.'
    expect(extractAnswer(prose, { type: 'json', path: 'x.y' })).toBe('}')
  })

  it('skips a fenced block that does not parse', () => {
    const reply = '```json\n{"ok": true}\n```\n```json\n{not json}\n```'
    expect(extractAnswer(reply, { type: 'json', path: 'ok' })).toBe('true')
  })

  it('is null when unparseable, when the path is missing, or when the value is null', () => {
    expect(extractAnswer('no json here {oops', { type: 'json', path: undefined })).toBeNull()
    expect(extractAnswer('{"a": 1}', { type: 'json', path: 'b' })).toBeNull()
    expect(extractAnswer('{"a": null}', { type: 'json', path: 'a' })).toBeNull()
  })

  it('extractJsonValue keeps the value typed and reads JSON inside a tag', () => {
    expect(extractJsonValue('{"n": 3}', { type: 'json', path: 'n' })).toEqual({ value: 3 })
    expect(extractJsonValue('<out>{"n": [1]}</out>', { type: 'tag', tag: 'out' })).toEqual({
      value: { n: [1] }
    })
    expect(extractJsonValue('<out>nope</out>', { type: 'tag', tag: 'out' })).toBeUndefined()
  })
})

describe('json helpers', () => {
  it('parses paths with brackets, quotes and a $ prefix', () => {
    expect(parseJsonPath('$.items[2].name')).toEqual(['items', 2, 'name'])
    expect(parseJsonPath('a["odd key"][0]')).toEqual(['a', 'odd key', 0])
    expect(() => parseJsonPath('a..b')).toThrow(InputError)
  })

  it('does not walk into arrays by name or objects by index', () => {
    expect(pickJsonPath({ a: [1] }, 'a.length')).toBeUndefined()
    expect(pickJsonPath({ a: { 0: 'x' } }, 'a[0]')).toBeUndefined()
  })

  it('finds a top-level array only when it is the whole reply', () => {
    expect(findJson(' [1, 2] ')).toEqual({ value: [1, 2] })
    expect(findJson('see [1] for details')).toBeUndefined()
  })

  it('compares JSON structurally', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true)
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(jsonEqual([1, 2], [2, 1])).toBe(false)
    expect(jsonEqual('1', 1)).toBe(false)
  })
})
