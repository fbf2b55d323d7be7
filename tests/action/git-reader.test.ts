import { partsOf } from '../../src/config/prompt.js'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadProject } from '../../src/config/load-project.js'
import { InputError } from '../../src/errors.js'
import { loadBaseProject } from '../../src/run/compare-run.js'
import { createGitReader } from '../../src/run/git-reader.js'

const dirs: string[] = []
afterEach(async () => {
  vi.unstubAllEnvs()
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pd-git-reader-'))
  dirs.push(dir)
  return dir
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' }
  }).trim()
}

async function commit(dir: string, files: Record<string, string>, message: string) {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text, 'utf8')
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '--quiet', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

async function repository(): Promise<string> {
  const dir = await tempDir()
  git(dir, 'init', '--quiet', '--initial-branch=main')
  git(dir, 'config', 'user.name', 'Test')
  git(dir, 'config', 'user.email', 'test@example.invalid')
  git(dir, 'config', 'commit.gpgsign', 'false')
  return dir
}

const CONFIG = [
  'provider: { type: simulated }',
  'tasks:',
  '  - name: t',
  '    prompt: prompts/t.md',
  '    data: data.jsonl',
  '    expected: label',
  ''
].join('\n')

describe('createGitReader', () => {
  it("reads another commit's files under a subfolder root without touching the working tree", async () => {
    const dir = await repository()
    const base = await commit(dir, { 'app/prompts/t.md': 'base {{text}}\n' }, 'base')
    await commit(dir, { 'app/prompts/t.md': 'head {{text}}\n' }, 'head')
    const { reader, sha } = await createGitReader(join(dir, 'app'), 'HEAD~1')
    expect(sha).toBe(base)
    expect(await reader('prompts/t.md')).toBe('base {{text}}\n')
    await expect(reader('prompts/missing.md')).rejects.toMatchObject({
      code: 'ENOENT',
      message: `prompts/missing.md does not exist at ${base.slice(0, 12)}`
    })
  })

  it('says to fetch the history with fetch-depth: 0 when the commit is missing', async () => {
    const dir = await repository()
    await commit(dir, { 'a.txt': 'a' }, 'only')
    const missing = '0123456789abcdef0123456789abcdef01234567'
    const failure = createGitReader(dir, missing)
    await expect(failure).rejects.toBeInstanceOf(InputError)
    await expect(failure).rejects.toThrow(
      new RegExp(`the base commit ${missing} is not in this checkout.*fetch-depth: 0`)
    )
  })

  it('does not blame the fetch depth when the folder is not a git checkout at all', async () => {
    const dir = await tempDir()
    // Even if the temporary folder sits inside some repository, git must not look above it.
    vi.stubEnv('GIT_CEILING_DIRECTORIES', dirname(dir))
    const failure = createGitReader(dir, 'HEAD')
    await expect(failure).rejects.toThrow(/not a git repository/)
    await expect(failure).rejects.not.toThrow(/fetch-depth/)
  })
})

describe('loadBaseProject', () => {
  it('reports a base without the config as a new setup', async () => {
    const dir = await repository()
    const base = await commit(dir, { 'README.md': 'hello\n' }, 'base')
    await commit(
      dir,
      {
        'prompt-descent.yml': CONFIG,
        'prompts/t.md': 'Q {{text}}\n',
        'data.jsonl': '{"id":"1","text":"a","label":"b"}\n'
      },
      'add prompt-descent'
    )
    const head = await loadProject(join(dir, 'prompt-descent.yml'))
    const { reader } = await createGitReader(head.root, base)
    const warnings: string[] = []
    expect(await loadBaseProject(head, reader, (m) => warnings.push(m))).toBeUndefined()
    expect(warnings).toEqual([
      'the base commit has no prompt-descent.yml; every task is reported as new'
    ])
  })

  it("loads the base commit's prompts and data, not the working tree's", async () => {
    const dir = await repository()
    const files = {
      'prompt-descent.yml': CONFIG,
      'prompts/t.md': 'base {{text}}\n',
      'data.jsonl': '{"id":"1","text":"a","label":"b"}\n'
    }
    const base = await commit(dir, files, 'base')
    await commit(dir, { 'prompts/t.md': 'head {{text}}\n' }, 'head')
    const head = await loadProject(join(dir, 'prompt-descent.yml'))
    const { reader } = await createGitReader(head.root, base)
    const loaded = await loadBaseProject(head, reader, () => undefined)
    expect(partsOf(loaded!.tasks[0]!.prompt).user).toBe('base {{text}}\n')
    expect(partsOf(head.tasks[0]!.prompt).user).toBe('head {{text}}\n')
  })
})
