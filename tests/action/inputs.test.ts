import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { INPUTS, readSettings } from '../../src/action/inputs.js'
import { InputError } from '../../src/errors.js'

/** What the runner does with `with:` values: INPUT_<NAME> with spaces → `_`, hyphens kept. */
function input(name: string, value: string): void {
  vi.stubEnv(`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value)
}

let written: string[] = []

beforeEach(() => {
  // Keep every workflow command (::add-mask::, ::debug::) out of the test output, but look at it.
  for (const name of Object.values(INPUTS)) input(name, '')
  written = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
})

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('readSettings', () => {
  it('falls back to the documented defaults when inputs are empty', () => {
    expect(readSettings()).toEqual({
      configPath: 'prompt-descent.yml',
      mode: 'eval',
      apiKey: '',
      baseUrl: undefined,
      githubToken: '',
      comment: true,
      failOn: 'gate',
      failWithoutKey: false,
      tasks: [],
      split: 'all',
      baseRef: undefined,
      budget: { usd: undefined, calls: undefined, tokens: undefined, minutes: undefined },
      cache: true,
      reportDir: 'prompt-descent-report',
      method: undefined,
      task: undefined,
      prompt: undefined,
      prLabels: [],
      prReviewers: [],
      prDraft: false,
      history: false,
      historyBranch: 'prompt-descent-data',
      historyMaxRecords: 200,
      alertOnRegression: 'comment'
    })
  })

  it('reads every input, trimming and splitting lists', () => {
    input('config', ' ci/prompt-descent.yml ')
    input('mode', 'optimize')
    input('api-key', 'sk-abc')
    input('base-url', 'http://localhost:11434/v1')
    input('github-token', 'ghs_token')
    input('comment', 'False')
    input('fail-on', 'never')
    input('fail-without-key', 'yes')
    input('tasks', 'triage, summarise\nextract')
    input('split', 'test')
    input('base-ref', 'origin/main')
    input('budget-usd', '1.5')
    input('max-calls', '200')
    input('max-tokens', '100000')
    input('max-minutes', '0.5')
    input('cache', 'off')
    input('report-dir', 'out')
    input('method', 'metaspo')
    input('task', ' triage ')
    input('prompt', 'system')
    input('pr-labels', 'prompts, automated')
    input('pr-reviewers', '@alice octo/prompt-owners')
    input('pr-draft', 'true')
    input('history', 'true')
    input('history-branch', 'scores')
    input('history-max-records', '50')
    input('alert-on-regression', 'fail')
    expect(readSettings()).toEqual({
      configPath: 'ci/prompt-descent.yml',
      mode: 'optimize',
      apiKey: 'sk-abc',
      baseUrl: 'http://localhost:11434/v1',
      githubToken: 'ghs_token',
      comment: false,
      failOn: 'never',
      failWithoutKey: true,
      tasks: ['triage', 'summarise', 'extract'],
      split: 'test',
      baseRef: 'origin/main',
      budget: { usd: 1.5, calls: 200, tokens: 100000, minutes: 0.5 },
      cache: false,
      reportDir: 'out',
      method: 'metaspo',
      task: 'triage',
      prompt: 'system',
      prLabels: ['prompts', 'automated'],
      prReviewers: ['alice', 'octo/prompt-owners'],
      prDraft: true,
      history: true,
      historyBranch: 'scores',
      historyMaxRecords: 50,
      alertOnRegression: 'fail'
    })
  })

  it.each([
    ['mode', 'fast', /input `mode` must be one of eval, optimize, got "fast"/],
    ['fail-on', 'always', /input `fail-on` must be one of gate, never, got "always"/],
    ['split', 'train', /input `split` must be one of dev, test, all, got "train"/],
    ['comment', 'maybe', /input `comment` must be true or false, got "maybe"/],
    ['fail-without-key', '2', /input `fail-without-key` must be true or false/],
    ['cache', 'enabled', /input `cache` must be true or false/],
    ['budget-usd', '-1', /input `budget-usd` must be a positive number, got "-1"/],
    ['budget-usd', '$5', /input `budget-usd` must be a positive number, got "\$5"/],
    ['max-minutes', '0', /input `max-minutes` must be a positive number/],
    ['history-max-records', '2.5', /input `history-max-records` must be a positive whole number/],
    [
      'alert-on-regression',
      'page',
      /input `alert-on-regression` must be one of comment, fail, off/
    ],
    ['max-calls', '2.5', /input `max-calls` must be a positive whole number, got "2.5"/],
    ['max-tokens', 'lots', /input `max-tokens` must be a positive whole number/],
    ['method', 'dspy', /input `method` must be one of apo, metaspo, gepa, got "dspy"/],
    ['prompt', 'both', /input `prompt` must be one of user, system, got "both"/],
    ['pr-draft', 'draft', /input `pr-draft` must be true or false/],
    [
      'report-dir',
      '../x',
      /input `report-dir` must be a folder inside the workspace.*got "\.\.\/x"/
    ],
    ['report-dir', 'out/../../x', /input `report-dir` must be a folder inside the workspace/],
    ['report-dir', '/tmp/x', /input `report-dir` must be a folder inside the workspace/],
    ['report-dir', 'C:\\x', /input `report-dir` must be a folder inside the workspace/],
    ['report-dir', '.git/hooks', /input `report-dir` must be a folder inside the workspace/]
  ])('rejects %s=%s with a message naming the input', (name, value, message) => {
    input(name, value)
    expect(() => readSettings()).toThrow(InputError)
    expect(() => readSettings()).toThrow(message)
  })

  it('keeps a report folder that stays inside the workspace', () => {
    input('report-dir', 'reports/../out/pd')
    expect(readSettings().reportDir).toBe('reports/../out/pd')
  })

  it('masks the API key and the token and keeps both out of the debug log', () => {
    input('api-key', 'sk-secret-123')
    input('github-token', 'ghs_secret_456')
    readSettings()
    const lines = written.join('').split(/\r?\n/)
    expect(lines).toContain('::add-mask::sk-secret-123')
    expect(lines).toContain('::add-mask::ghs_secret_456')
    const others = lines.filter((line) => !line.startsWith('::add-mask::'))
    expect(others.some((line) => line.startsWith('::debug::'))).toBe(true)
    expect(others.join('\n')).not.toMatch(/sk-secret-123|ghs_secret_456/)
  })
})
