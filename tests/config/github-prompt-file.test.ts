import { describe, expect, it } from 'vitest'
import {
  isGithubPromptFile,
  parseGithubPromptFile,
  promptFileTaskName
} from '../../src/config/github-prompt-file.js'
import { InputError } from '../../src/errors.js'

const FULL = `# A summarizer, as the GitHub Models prompt editor saves it.
name: Text Summarizer
description: Summarizes input text concisely
model: openai/gpt-4o-mini
modelParameters:
  temperature: 0.5
  maxTokens: 200
  topP: 0.9
responseFormat: json_schema
jsonSchema: |-
  {
    "name": "summary",
    "strict": true,
    "schema": {"type": "object", "properties": {"summary": {"type": "string"}}, "required": ["summary"], "additionalProperties": false}
  }
messages:
  - role: system
    content: You are a text summarizer. Your only job is to summarize text given to you.
  - role: user
    content: |
      Summarize the given text, beginning with "Summary -":
      <text>
      {{input}}
      </text>
testData:
  - input: |
      The quick brown fox jumped over the lazy dog.
    expected: Summary - A fox jumped over a dog.
  - input: The rain in Spain stays mainly on the plain.
    expected: Summary - It rains in Spain.
    tags: [weather]
evaluators:
  - name: Output should start with 'Summary -'
    string:
      startsWith: 'Summary -'
  - name: Similarity
    uses: github/similarity
  - name: Judge
    llm:
      modelId: openai/gpt-4o
      systemPrompt: You are a strict grader.
      prompt: 'Is {{completion}} a summary of {{input}}?'
      choices:
        - choice: 'yes'
          score: 1
        - choice: 'no'
          score: 0
x-team: search
`

describe('parseGithubPromptFile', () => {
  it('reads every key of the format, with each row’s line', () => {
    const file = parseGithubPromptFile(FULL, 'text/summarize.prompt.yml')
    expect(file.name).toBe('Text Summarizer')
    expect(file.description).toBe('Summarizes input text concisely')
    expect(file.model).toBe('openai/gpt-4o-mini')
    expect(file.modelParameters).toEqual({
      temperature: 0.5,
      maxTokens: 200,
      topP: 0.9,
      maxCompletionTokens: undefined
    })
    expect(file.responseFormat).toBe('json_schema')
    expect(file.jsonSchema?.name).toBe('summary')
    expect(file.jsonSchema?.strict).toBe(true)
    expect(file.messages.map((m) => m.role)).toEqual(['system', 'user'])
    expect(file.testData.map((r) => r.line)).toEqual([26, 29])
    expect(file.testData[1]?.fields.tags).toEqual(['weather'])
    expect(file.evaluators).toEqual([
      {
        name: "Output should start with 'Summary -'",
        kind: 'string',
        op: 'startsWith',
        value: 'Summary -'
      },
      { name: 'Similarity', kind: 'builtin', builtin: 'similarity' },
      {
        name: 'Judge',
        kind: 'llm',
        modelId: 'openai/gpt-4o',
        systemPrompt: 'You are a strict grader.',
        prompt: 'Is {{completion}} a summary of {{input}}?',
        choices: [
          { choice: 'yes', score: 1 },
          { choice: 'no', score: 0 }
        ]
      }
    ])
  })

  it('warns about unknown top-level keys instead of failing', () => {
    const file = parseGithubPromptFile(FULL, 'text/summarize.prompt.yml')
    expect(file.warnings).toHaveLength(1)
    expect(file.warnings[0]).toMatchObject({
      file: 'text/summarize.prompt.yml',
      line: 48,
      path: 'x-team'
    })
    expect(file.warnings[0]?.message).toContain('unknown key `x-team`, ignored')
  })

  it('reports every problem at once with its line and key', () => {
    const bad = `model: gpt-4o
modelParameters:
  temperature: 5
responseFormat: xml
messages:
  - role: robot
    content: hi
testData:
  - just text
evaluators:
  - name: a
    string: { contains: x, equals: y }
  - name: b
    uses: github/truthiness
  - name: c
    llm: { prompt: 'p', choices: [] }
  - name: a
    string: { equals: z }
`
    let error: unknown
    try {
      parseGithubPromptFile(bad, 'bad.prompt.yml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const message = (error as Error).message
    for (const part of [
      'line 1, model: expected a model id of the form publisher/model',
      'line 3, modelParameters.temperature: expected a number from 0 to 2, got 5',
      'line 4, responseFormat: expected text, json_object or json_schema',
      'line 6, messages[0].role: expected one of system, user, assistant',
      'line 9, testData[0]: expected a mapping',
      'line 12, evaluators[0].string: expected exactly one of equals, contains, startsWith, endsWith',
      'line 14, evaluators[1].uses: expected one of github/similarity',
      'line 16, evaluators[2].llm.choices: expected a non-empty list',
      'line 17, evaluators[3].name: duplicate evaluator name "a"'
    ])
      expect(message).toContain(part)
  })

  it('requires jsonSchema with json_schema, as JSON holding name and schema', () => {
    const base = 'messages: [{role: user, content: hi}]\nresponseFormat: json_schema\n'
    expect(() => parseGithubPromptFile(base, 'a.prompt.yml')).toThrow(/needs `jsonSchema:`/)
    expect(() => parseGithubPromptFile(`${base}jsonSchema: '{oops'\n`, 'a.prompt.yml')).toThrow(
      /expected a JSON string holding/
    )
  })

  it('a file without testData or evaluators is still a prompt', () => {
    const file = parseGithubPromptFile(
      'messages:\n  - role: user\n    content: hi\n',
      'a.prompt.yaml'
    )
    expect(file.testData).toEqual([])
    expect(file.evaluators).toEqual([])
  })

  it('names tasks after the file and recognises both extensions', () => {
    expect(promptFileTaskName('support/route.prompt.yml')).toBe('route')
    expect(promptFileTaskName('x.prompt.YAML')).toBe('x')
    expect(isGithubPromptFile('a/b.prompt.yaml')).toBe(true)
    expect(isGithubPromptFile('a/b.yml')).toBe(false)
  })
})
