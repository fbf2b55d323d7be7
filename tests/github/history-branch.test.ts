import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { appendHistoryRecord, readHistory } from '../../src/github/history-branch.js'
import { renderHistoryFile } from '../../src/github/history-file.js'
import { GitHubApiError } from '../../src/github/errors.js'
import { InputError } from '../../src/errors.js'
import { startGitHub } from './fixture.js'
import type { GitHubFixture } from './fixture.js'

interface Rec {
  sha: string
  score: number
}

const DATA = 'prompt-descent-data'
const FILE = 'history/history.json'
const noWait = (): Promise<void> => Promise.resolve()

function recordsOnBranch(fx: GitHubFixture): Rec[] {
  const text = fx.gh.state.fileAt(DATA, FILE)
  return (JSON.parse(text ?? 'null') as { records: Rec[] }).records
}

function append(
  fx: GitHubFixture,
  record: Rec,
  extra: Partial<Parameters<typeof appendHistoryRecord<Rec>>[1]> = {}
) {
  return appendHistoryRecord<Rec>(fx.api, {
    record,
    maxRecords: 100,
    message: `history: ${record.sha}`,
    sleep: noWait,
    ...extra
  })
}

describe('history on a data branch', () => {
  let fx: GitHubFixture
  beforeEach(async () => {
    fx = await startGitHub({ files: { 'prompts/a.md': 'A\n' } })
  })
  afterEach(() => fx.gh.close())

  it('creates the orphan branch on the first run, then appends run after run', async () => {
    const first = await append(fx, { sha: 'c1', score: 0.7 })
    expect(first).toMatchObject({ records: 1, retries: 0, createdBranch: true })
    const root = fx.gh.state.commits.get(first.commitSha)
    expect(root?.parents).toEqual([])
    expect(Object.keys(fx.gh.state.filesAt(DATA))).toEqual([FILE])

    const second = await append(fx, { sha: 'c2', score: 0.72 })
    const third = await append(fx, { sha: 'c3', score: 0.71 })
    expect(third).toMatchObject({ records: 3, retries: 0, createdBranch: false })
    expect(fx.gh.state.commits.get(third.commitSha)?.parents).toEqual([second.commitSha])
    expect(recordsOnBranch(fx).map((r) => r.sha)).toEqual(['c1', 'c2', 'c3'])
    expect(fx.gh.state.fileAt(DATA, FILE)).toBe(renderHistoryFile(recordsOnBranch(fx)))
    // The data branch never touches the default branch, and never force-pushes.
    expect(fx.gh.state.filesAt('main')).toEqual({ 'prompts/a.md': 'A\n' })
    const updates = fx.gh.requests.filter(
      (r) => r.method === 'PATCH' && r.path.includes('/git/refs/')
    )
    expect(updates.every((r) => (r.body as { force?: boolean }).force === false)).toBe(true)

    const read = await readHistory<Rec>(fx.api)
    expect(read.headSha).toBe(third.commitSha)
    expect(read.records.map((r) => r.score)).toEqual([0.7, 0.72, 0.71])
  })

  it('commits the extra files rendered from the final records', async () => {
    await append(fx, { sha: 'c1', score: 0.5 })
    const result = await append(
      fx,
      { sha: 'c2', score: 0.6 },
      {
        extraFiles: (records) => [
          {
            path: 'history/triage.svg',
            content: `<svg>${records.map((r) => r.score).join(',')}</svg>`
          }
        ]
      }
    )
    expect(fx.gh.state.changedFiles(result.commitSha)).toEqual({
      'history/triage.svg': '<svg>0.5,0.6</svg>',
      [FILE]: renderHistoryFile([
        { sha: 'c1', score: 0.5 },
        { sha: 'c2', score: 0.6 }
      ])
    })
  })

  it('applies the cap: only the newest records are kept', async () => {
    for (let i = 1; i <= 6; i++)
      await append(fx, { sha: `c${i}`, score: i / 10 }, { maxRecords: 4 })
    expect(recordsOnBranch(fx).map((r) => r.sha)).toEqual(['c3', 'c4', 'c5', 'c6'])
  })

  it('replaces the record a re-run supersedes', async () => {
    await append(fx, { sha: 'c1', score: 0.5 })
    await append(fx, { sha: 'c2', score: 0.6 })
    await append(fx, { sha: 'c2', score: 0.61 }, { replaces: (r) => r.sha === 'c2' })
    expect(recordsOnBranch(fx)).toEqual([
      { sha: 'c1', score: 0.5 },
      { sha: 'c2', score: 0.61 }
    ])
  })

  it('a race (the ref moved between read and update) is retried with both records kept', async () => {
    await append(fx, { sha: 'c1', score: 0.5 })
    // Another run appends c2 after we read and before our update lands.
    fx.gh.inject({
      method: 'PATCH',
      path: `/repos/octo/prompts/git/refs/heads/${DATA}`,
      times: 1,
      before: (state) => {
        const theirs = [
          { sha: 'c1', score: 0.5 },
          { sha: 'c2', score: 0.6 }
        ]
        state.commitFiles(DATA, { [FILE]: renderHistoryFile(theirs) }, 'history: c2')
      }
    })
    const delays: number[] = []
    const result = await append(
      fx,
      { sha: 'c3', score: 0.7 },
      {
        sleep: (ms) => {
          delays.push(ms)
          return Promise.resolve()
        }
      }
    )
    expect(result).toMatchObject({ records: 3, retries: 1 })
    expect(delays).toHaveLength(1)
    expect(recordsOnBranch(fx).map((r) => r.sha)).toEqual(['c1', 'c2', 'c3'])
    const statuses = fx.gh.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)
    expect(statuses).toEqual([422, 200])
  })

  it('two runs appending at once both land', async () => {
    await append(fx, { sha: 'c0', score: 0.4 })
    const [a, b] = await Promise.all([
      append(fx, { sha: 'ca', score: 0.5 }),
      append(fx, { sha: 'cb', score: 0.6 })
    ])
    // Whichever lost the race retried; either way neither record is lost.
    expect(Math.min(a.records, b.records)).toBe(2)
    expect(Math.max(a.records, b.records)).toBe(3)
    expect(
      recordsOnBranch(fx)
        .map((r) => r.sha)
        .sort()
    ).toEqual(['c0', 'ca', 'cb'])
  })

  it('two first runs racing to create the branch both land', async () => {
    const [a, b] = await Promise.all([
      append(fx, { sha: 'ca', score: 0.5 }),
      append(fx, { sha: 'cb', score: 0.6 })
    ])
    expect([a.createdBranch, b.createdBranch].sort()).toEqual([false, true])
    expect(
      recordsOnBranch(fx)
        .map((r) => r.sha)
        .sort()
    ).toEqual(['ca', 'cb'])
  })

  it('gives up after the attempts are spent, and says why', async () => {
    await append(fx, { sha: 'c1', score: 0.5 })
    let n = 0
    fx.gh.inject({
      method: 'PATCH',
      path: /\/git\/refs\/heads\//,
      before: (state) => {
        n += 1
        state.commitFiles(DATA, { 'noise.txt': String(n) })
      }
    })
    const error = await append(fx, { sha: 'c2', score: 0.6 }, { maxAttempts: 3 }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(GitHubApiError)
    expect((error as Error).message).toMatch(/kept moving the branch \(3 attempts\)/)
    expect(n).toBe(3)
    expect(recordsOnBranch(fx).map((r) => r.sha)).toEqual(['c1'])
  })

  it('refuses to overwrite a history file it cannot read', async () => {
    fx.gh.state.commitFiles(DATA, { [FILE]: '{ not json' })
    const error = await append(fx, { sha: 'c1', score: 0.5 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toContain(`${DATA}:${FILE}`)
    expect(fx.gh.state.fileAt(DATA, FILE)).toBe('{ not json')
  })

  it('reads nothing from a missing branch, and reads a history file over 1 MB through its blob', async () => {
    expect(await readHistory(fx.api)).toEqual({ records: [], headSha: undefined })
    const big = Array.from({ length: 12_000 }, (_, i) => ({
      sha: `c${i}`,
      score: 0.5,
      note: 'x'.repeat(80)
    }))
    fx.gh.state.commitFiles(DATA, { [FILE]: renderHistoryFile(big) })
    const read = await readHistory<Rec>(fx.api)
    expect(read.records).toHaveLength(12_000)
    expect(fx.gh.requests.some((r) => r.path.includes('/git/blobs/'))).toBe(true)
  })
})
