/** No prompt-descent.yml: the repository's *.prompt.yml files are the tasks. */
import { execFileSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { commitLister, openProject, workingTreeLister } from '../../src/run/discover-prompts.js'
import { makeRepo, thrown } from '../config/helpers.js'

const prompt = (model: string, extra = '') => `name: A ${model} prompt
model: ${model}
modelParameters: { temperature: 0.3, topP: 0.8 }
messages:
  - role: user
    content: 'Classify: {{input}}'
testData:
  - input: one
    expected: a
  - input: two
    expected: b
evaluators:
  - name: label
    string:
      equals: '{{expected}}'
${extra}`

let cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()))
  cleanups = []
})

async function repo(files: Record<string, string>, git = true) {
  const made = await makeRepo(files)
  cleanups.push(made.cleanup)
  if (git) {
    const run = (...args: string[]) => execFileSync('git', args, { cwd: made.root, stdio: 'pipe' })
    run('init', '-q')
    run('add', '-A')
    run('-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'files')
  }
  return made.root
}

describe('prompt file discovery', () => {
  it('lists tracked and untracked prompt files, skipping .gitignore and node_modules', async () => {
    const root = await repo({
      '.gitignore': 'scratch/\n',
      'support/route.prompt.yml': prompt('openai/gpt-4o-mini'),
      'summarize.prompt.yaml': prompt('openai/gpt-4o-mini'),
      'scratch/draft.prompt.yml': prompt('openai/gpt-4o-mini'),
      'node_modules/pkg/x.prompt.yml': prompt('openai/gpt-4o-mini'),
      'notes.yml': 'a: 1\n'
    })
    expect(await workingTreeLister(root)()).toEqual([
      'summarize.prompt.yaml',
      'support/route.prompt.yml'
    ])
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
    expect(await commitLister(root, sha)()).toEqual([
      'summarize.prompt.yaml',
      'support/route.prompt.yml'
    ])
  })

  it('walks the folders outside a git checkout', async () => {
    const root = await repo(
      { 'a/b/c.prompt.yml': prompt('openai/gpt-4o-mini'), 'node_modules/d.prompt.yml': 'x' },
      false
    )
    expect(await workingTreeLister(root)()).toEqual(['a/b/c.prompt.yml'])
  })

  it('makes one task per file, named after it, on GitHub Models, scored by its evaluators', async () => {
    const root = await repo({
      'support/route.prompt.yml': prompt('openai/gpt-4o-mini'),
      'summarize.prompt.yaml': prompt('openai/gpt-4.1', 'owner: me\n')
    })
    const warnings: string[] = []
    const project = await openProject(`${root}/prompt-descent.yml`, {
      warn: (m) => warnings.push(m)
    })
    expect(project.discovered).toBe(true)
    expect(project.tasks.map((t) => [t.name, t.title, t.config.prompt])).toEqual([
      ['summarize', 'A openai/gpt-4.1 prompt', 'summarize.prompt.yaml'],
      ['route', 'A openai/gpt-4o-mini prompt', 'support/route.prompt.yml']
    ])
    expect(project.config.provider).toMatchObject({
      type: 'github-models',
      apiKeyEnv: 'GITHUB_TOKEN'
    })
    // models.target (the optimizer's and judge's default) is the first named model; each task
    // runs on its own file's model with the file's parameters.
    expect(project.config.models.target.model).toBe('openai/gpt-4.1')
    expect(project.tasks.map((t) => t.config.target)).toEqual([
      expect.objectContaining({
        model: 'openai/gpt-4.1',
        temperature: 0.3,
        params: { topP: 0.8 }
      }),
      expect.objectContaining({
        model: 'openai/gpt-4o-mini',
        temperature: 0.3,
        params: { topP: 0.8 }
      })
    ])
    expect(project.tasks[1]?.config.checks?.checks[0]?.metric).toEqual({
      type: 'gh-string',
      op: 'equals',
      value: '{{expected}}'
    })
    expect(warnings).toEqual([
      expect.stringContaining('summarize.prompt.yaml:16: unknown key `owner`, ignored')
    ])
  })

  it('a file without a model runs on the first named one, and says so', async () => {
    const root = await repo({
      'a.prompt.yml': prompt('openai/gpt-4.1'),
      'b.prompt.yml': prompt('openai/gpt-4.1').replace('model: openai/gpt-4.1\n', '')
    })
    const warnings: string[] = []
    const project = await openProject(`${root}/prompt-descent.yml`, {
      warn: (m) => warnings.push(m)
    })
    expect(project.tasks.map((t) => t.config.target?.model)).toEqual([
      'openai/gpt-4.1',
      'openai/gpt-4.1'
    ])
    expect(warnings).toEqual([
      'b.prompt.yml names no model; using openai/gpt-4.1 (from a.prompt.yml)'
    ])
  })

  it('two files with one name are an error naming both', async () => {
    const root = await repo({
      'a/route.prompt.yml': prompt('openai/gpt-4o-mini'),
      'b/route.prompt.yaml': prompt('openai/gpt-4o-mini')
    })
    const error = await thrown(() => openProject(`${root}/prompt-descent.yml`))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toContain(
      'a/route.prompt.yml and b/route.prompt.yaml would both be the task "route"'
    )
  })

  it('a config, when there is one, wins', async () => {
    const root = await repo({
      'route.prompt.yml': prompt('openai/gpt-4o-mini'),
      'prompt-descent.yml':
        'provider: { type: simulated }\ntasks:\n  - name: mine\n    prompt: route.prompt.yml\n'
    })
    const project = await openProject(`${root}/prompt-descent.yml`)
    expect(project.discovered).toBeUndefined()
    expect(project.tasks.map((t) => t.name)).toEqual(['mine'])
  })

  it('neither a config nor prompt files, or a missing --config: the config cannot be read', async () => {
    const root = await repo({ 'README.md': 'hi', 'a.prompt.yml': prompt('openai/gpt-4o-mini') })
    const error = await thrown(() => openProject(`${root}/elsewhere.yml`))
    expect(error.message).toContain('cannot read the config file: no such file')
    const empty = await repo({ 'README.md': 'hi' })
    const none = await thrown(() => openProject(`${empty}/prompt-descent.yml`))
    expect(none.message).toContain('cannot read the config file: no such file')
  })
})
