/**
 * Writes under the repository refuse a committed symbolic link that leads out of it, and are
 * atomic (temporary file + rename): the attacks of issue #18 against a repository built here.
 */
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  writeFile
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { confinedTarget, writeFileAtomic } from '../../src/util/confined-write.js'

let base: string
let repo: string
let outside: string

beforeEach(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'pd-confined-'))
  repo = path.join(base, 'repo')
  outside = path.join(base, 'outside')
  await mkdir(path.join(repo, 'docs'), { recursive: true })
  await mkdir(outside)
  await writeFile(path.join(outside, 'victim.txt'), 'precious')
})
afterEach(() => rm(base, { recursive: true, force: true }))

describe('writeFileAtomic with a root', () => {
  it('writes new files and folders inside the root', async () => {
    await writeFileAtomic(path.join(repo, 'a/b/c.json'), '{}', { root: repo })
    expect(await readFile(path.join(repo, 'a/b/c.json'), 'utf8')).toBe('{}')
    // No temporary file is left beside it.
    expect(await readdir(path.join(repo, 'a/b'))).toEqual(['c.json'])
  })

  it('refuses a file that is a link to a file outside, and leaves that file alone', async () => {
    await mkdir(path.join(repo, 'prompt-descent-report'))
    await symlink(
      path.join(outside, 'victim.txt'),
      path.join(repo, 'prompt-descent-report/report.md')
    )
    const target = path.join(repo, 'prompt-descent-report/report.md')
    const error = await writeFileAtomic(target, 'report', { root: repo }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toBe(
      `${target}: refusing to write: a symbolic link leads outside the repository (${repo}); the tool never writes through a link that leaves it`
    )
    expect(await readFile(path.join(outside, 'victim.txt'), 'utf8')).toBe('precious')
  })

  it('refuses a folder linked outside, at any depth, and a dangling link pointing outside', async () => {
    await mkdir(path.join(repo, '.prompt-descent'))
    await symlink(outside, path.join(repo, '.prompt-descent/optimized'))
    await expect(
      writeFileAtomic(path.join(repo, '.prompt-descent/optimized/prompts/a.md'), 'x', {
        root: repo
      })
    ).rejects.toThrow(/a symbolic link leads outside the repository/)
    await symlink(path.join(outside, 'new.txt'), path.join(repo, 'dangling.txt'))
    await expect(
      writeFileAtomic(path.join(repo, 'dangling.txt'), 'x', { root: repo })
    ).rejects.toThrow(/a symbolic link leads outside/)
    expect(await readdir(outside)).toEqual(['victim.txt'])
  })

  it('refuses a path outside the root, and a loop of links', async () => {
    await expect(writeFileAtomic('../x.txt', 'x', { root: repo })).rejects.toThrow(
      /the path is outside the repository/
    )
    await symlink(path.join(repo, 'loop-b'), path.join(repo, 'loop-a'))
    await symlink(path.join(repo, 'loop-a'), path.join(repo, 'loop-b'))
    await expect(writeFileAtomic(path.join(repo, 'loop-a'), 'x', { root: repo })).rejects.toThrow(
      /too many symbolic links/
    )
  })

  it('writes through a link that stays inside, at its real location', async () => {
    await writeFile(path.join(repo, 'docs/real.md'), 'old')
    await symlink(path.join(repo, 'docs/real.md'), path.join(repo, 'alias.md'))
    await writeFileAtomic(path.join(repo, 'alias.md'), 'new', { root: repo })
    expect(await readFile(path.join(repo, 'docs/real.md'), 'utf8')).toBe('new')
    expect(await confinedTarget(repo, 'alias.md')).toBe(path.join(repo, 'docs/real.md'))
  })

  it('accepts a root reached through a link itself (a workspace under a linked folder)', async () => {
    await symlink(repo, path.join(base, 'repo-link'))
    const root = path.join(base, 'repo-link')
    await writeFileAtomic(path.join(root, 'out/r.json'), '1', { root })
    expect(await readFile(path.join(repo, 'out/r.json'), 'utf8')).toBe('1')
  })
})

describe('writeFileAtomic keeps what it replaces', () => {
  it("keeps a replaced file's permissions", async () => {
    const target = path.join(repo, 'docs/run.sh')
    await writeFile(target, 'old')
    await chmod(target, 0o750)
    await writeFileAtomic(target, 'new', { root: repo })
    expect((await stat(target)).mode & 0o777).toBe(0o750)
    expect(await readFile(target, 'utf8')).toBe('new')
  })
})

describe('writeFileAtomic without a root (a path the user named)', () => {
  it('writes where the user said, links included', async () => {
    await symlink(path.join(outside, 'victim.txt'), path.join(base, 'mine.txt'))
    await writeFileAtomic(path.join(base, 'mine.txt'), 'replaced')
    // rename replaces the link itself; the user's path now holds the report.
    expect(await readFile(path.join(base, 'mine.txt'), 'utf8')).toBe('replaced')
  })

  it('leaves the previous file whole when the write fails, and no temporary file behind', async () => {
    const target = path.join(repo, 'docs/report.json')
    await writeFile(target, 'previous')
    // A directory where the temporary file's rename lands fails the rename (EISDIR-like).
    await mkdir(path.join(repo, 'docs/busy'))
    await expect(writeFileAtomic(path.join(repo, 'docs/busy'), 'x')).rejects.toThrow()
    expect(await readFile(target, 'utf8')).toBe('previous')
    expect((await readdir(path.join(repo, 'docs'))).sort()).toEqual(['busy', 'report.json'])
  })
})
