import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { createFsReader, resolveRepoPath } from '../../src/config/paths.js'
import { thrown } from './helpers.js'

const source = { file: 'prompt-descent.yml', key: 'tasks[0].data', line: 6 }

describe('resolveRepoPath', () => {
  const root = path.resolve('/repo')

  it('resolves relative and absolute paths inside the root', () => {
    expect(resolveRepoPath(root, 'evals/../evals/a.jsonl', source)).toEqual({
      relative: 'evals/a.jsonl',
      absolute: path.join(root, 'evals', 'a.jsonl')
    })
    expect(resolveRepoPath(root, path.join(root, 'p.md'), source).relative).toBe('p.md')
  })

  it('names the key and line of a path that leaves the repository', async () => {
    for (const bad of ['../secrets.jsonl', 'evals/../../x.csv', path.resolve('/etc/passwd')]) {
      const error = await thrown(() => resolveRepoPath(root, bad, source))
      expect(error).toBeInstanceOf(InputError)
      expect(error.message).toBe(
        `prompt-descent.yml: line 6, tasks[0].data: "${bad}" is outside the repository; expected a path inside ${root}`
      )
    }
  })

  it('refuses a path into .git/, which holds the checkout credentials, naming the key and why', async () => {
    for (const bad of [
      '.git/config',
      'prompts/../.git/config',
      '.GIT/config',
      'sub/.git/hooks/x'
    ]) {
      const error = await thrown(() => resolveRepoPath(root, bad, source))
      expect(error).toBeInstanceOf(InputError)
      expect(error.message).toBe(
        `prompt-descent.yml: line 6, tasks[0].data: "${bad}" is inside .git/, which holds git's metadata and the checkout's credentials; expected a file of the working tree`
      )
    }
    expect(resolveRepoPath(root, '.github/prompts/a.md', source).relative).toBe(
      '.github/prompts/a.md'
    )
    expect(resolveRepoPath(root, 'a.git/b.md', source).relative).toBe('a.git/b.md')
  })

  it('rejects the root itself', async () => {
    expect((await thrown(() => resolveRepoPath(root, '.', source))).message).toContain(
      'is the repository root itself'
    )
  })
})

describe('createFsReader', () => {
  let base: string
  beforeEach(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'prompt-descent-paths-'))
    await mkdir(path.join(base, 'repo', 'prompts'), { recursive: true })
    await writeFile(path.join(base, 'repo', 'prompts', 'a.md'), 'inside')
    await writeFile(path.join(base, 'outside.md'), 'secret')
    await symlink(path.join(base, 'outside.md'), path.join(base, 'repo', 'prompts', 'escape.md'))
    await symlink(path.join(base, 'repo', 'prompts', 'a.md'), path.join(base, 'repo', 'alias.md'))
    await mkdir(path.join(base, 'repo', '.git'))
    await writeFile(
      path.join(base, 'repo', '.git', 'config'),
      'extraheader = AUTHORIZATION: basic c2VjcmV0'
    )
    await symlink(
      path.join(base, 'repo', '.git', 'config'),
      path.join(base, 'repo', 'prompts', 'git.md')
    )
  })
  afterEach(() => rm(base, { recursive: true, force: true }))

  it('reads files in the root, following links that stay inside', async () => {
    const read = createFsReader(path.join(base, 'repo'))
    expect(await read('prompts/a.md')).toBe('inside')
    expect(await read('alias.md')).toBe('inside')
  })

  it('refuses a symbolic link that leads outside, and says when a file is missing', async () => {
    const read = createFsReader(path.join(base, 'repo'))
    await expect(read('prompts/escape.md')).rejects.toMatchObject({
      code: 'EOUTSIDE',
      message: expect.stringContaining('symbolic link leads outside the repository')
    })
    await expect(read('../outside.md')).rejects.toMatchObject({ code: 'EOUTSIDE' })
    await expect(read('prompts/git.md')).rejects.toMatchObject({
      code: 'EOUTSIDE',
      message: expect.stringContaining('a symbolic link leads into .git/')
    })
    await expect(read('nope.md')).rejects.toMatchObject({ code: 'ENOENT', message: 'no such file' })
  })
})
