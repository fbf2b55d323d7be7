/**
 * The state behind the fake GitHub REST server: git objects (content-addressed blobs, flat
 * path → blob trees, commits, branch refs), issue and commit comments, pull requests and
 * collaborators. Tests seed it and assert on it directly.
 */
import { createHash } from 'node:crypto'

export interface FakeUser {
  login: string
  type: 'User' | 'Bot'
}

export interface FakeComment {
  id: number
  issueNumber: number
  body: string
  user: FakeUser
  createdAt: string
  updatedAt: string
  reactions: string[]
}

export interface FakeCommitComment {
  id: number
  commitId: string
  body: string
  user: FakeUser
}

export interface FakePull {
  number: number
  title: string
  body: string
  /** Branch name in this repository. */
  head: string
  base: string
  state: 'open' | 'closed'
  draft: boolean
  user: FakeUser
  labels: string[]
  requestedReviewers: string[]
  requestedTeams: string[]
}

export interface FakeCommit {
  sha: string
  treeSha: string
  parents: string[]
  message: string
}

/** GitHub's repository roles; `permission` (the legacy field) folds maintain into write. */
export type FakeRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read'

/** `null` deletes a path. */
export type FakeFileChanges = Record<string, string | null>

function gitSha(kind: string, payload: string | Buffer): string {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
  return createHash('sha1').update(`${kind} ${data.length}\0`).update(data).digest('hex')
}

export class FakeGitHubState {
  readonly owner: string
  readonly repo: string
  defaultBranch: string
  readonly blobs = new Map<string, Buffer>()
  /** tree sha → (path → blob sha). Flat: a path with slashes is one entry. */
  readonly trees = new Map<string, Map<string, string>>()
  readonly commits = new Map<string, FakeCommit>()
  /** branch name → commit sha */
  readonly refs = new Map<string, string>()
  readonly comments: FakeComment[] = []
  readonly commitComments: FakeCommitComment[] = []
  readonly pulls: FakePull[] = []
  /** Issue numbers that exist (pull requests are issues too). */
  readonly issues = new Set<number>()
  readonly collaborators = new Map<string, FakeRole>()
  private nextNumber = 1
  private nextCommentId = 1000
  private clock = 0

  constructor(owner: string, repo: string, defaultBranch: string) {
    this.owner = owner
    this.repo = repo
    this.defaultBranch = defaultBranch
  }

  /** A deterministic, strictly increasing timestamp. */
  now(): string {
    this.clock += 1
    return new Date(Date.UTC(2026, 0, 1) + this.clock * 1000).toISOString()
  }

  newCommentId(): number {
    this.nextCommentId += 1
    return this.nextCommentId
  }

  /** Opens an issue (no pull request) and returns its number. */
  addIssue(): number {
    const number = this.nextNumber++
    this.issues.add(number)
    return number
  }

  addPull(
    pull: Omit<FakePull, 'number' | 'labels' | 'requestedReviewers' | 'requestedTeams'>
  ): FakePull {
    const created: FakePull = {
      ...pull,
      number: this.nextNumber++,
      labels: [],
      requestedReviewers: [],
      requestedTeams: []
    }
    this.issues.add(created.number)
    this.pulls.push(created)
    return created
  }

  /** A developer's open pull request from `feature` into `main`, as most scenarios start. */
  addFeaturePull(title: string): FakePull {
    return this.addPull({
      title,
      body: '',
      head: 'feature',
      base: 'main',
      state: 'open',
      draft: false,
      user: { login: 'dev', type: 'User' }
    })
  }

  addComment(
    issueNumber: number,
    body: string,
    login = 'someone',
    type: FakeUser['type'] = 'User'
  ): FakeComment {
    const at = this.now()
    const comment: FakeComment = {
      id: this.newCommentId(),
      issueNumber,
      body,
      user: { login, type },
      createdAt: at,
      updatedAt: at,
      reactions: []
    }
    this.issues.add(issueNumber)
    this.comments.push(comment)
    return comment
  }

  commentsOn(issueNumber: number): FakeComment[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber)
  }

  writeBlob(content: string | Buffer): string {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    const sha = gitSha('blob', data)
    this.blobs.set(sha, data)
    return sha
  }

  writeTree(entries: Map<string, string>): string {
    const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const sha = gitSha('tree', sorted.map(([path, blob]) => `${path}\t${blob}`).join('\n'))
    this.trees.set(sha, new Map(sorted))
    return sha
  }

  writeCommit(treeSha: string, parents: string[], message: string): string {
    // The timestamp makes two commits of the same tree and parents distinct, as in git.
    const sha = gitSha('commit', `${treeSha}\n${parents.join(',')}\n${this.now()}\n${message}`)
    this.commits.set(sha, { sha, treeSha, parents, message })
    return sha
  }

  /** A branch name or a commit sha → commit sha. */
  resolve(refOrSha: string): string | undefined {
    const branch = this.refs.get(refOrSha)
    if (branch) return branch
    return this.commits.has(refOrSha) ? refOrSha : undefined
  }

  /** Commits `changes` on top of `branch` (a root commit when it is missing) and moves the branch. */
  commitFiles(branch: string, changes: FakeFileChanges, message = 'commit'): string {
    const head = this.refs.get(branch)
    const entries = new Map(head ? this.treeOf(head) : [])
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) entries.delete(path)
      else entries.set(path, this.writeBlob(content))
    }
    const sha = this.writeCommit(this.writeTree(entries), head ? [head] : [], message)
    this.refs.set(branch, sha)
    return sha
  }

  treeOf(commitSha: string): Map<string, string> {
    const commit = this.commits.get(commitSha)
    if (!commit) throw new Error(`fake github: no commit ${commitSha}`)
    return this.trees.get(commit.treeSha) ?? new Map()
  }

  /** All files at a branch or commit, path → text. */
  filesAt(refOrSha: string): Record<string, string> {
    const sha = this.resolve(refOrSha)
    if (!sha) throw new Error(`fake github: unknown ref ${refOrSha}`)
    const out: Record<string, string> = {}
    for (const [path, blob] of this.treeOf(sha)) out[path] = this.blobText(blob)
    return out
  }

  fileAt(refOrSha: string, path: string): string | undefined {
    return this.filesAt(refOrSha)[path]
  }

  blobText(sha: string): string {
    const blob = this.blobs.get(sha)
    if (!blob) throw new Error(`fake github: no blob ${sha}`)
    return blob.toString('utf8')
  }

  /** What a commit changed relative to its first parent: path → new text, or null when deleted. */
  changedFiles(commitSha: string): FakeFileChanges {
    const commit = this.commits.get(commitSha)
    if (!commit) throw new Error(`fake github: no commit ${commitSha}`)
    const before = commit.parents[0] ? this.treeOf(commit.parents[0]) : new Map<string, string>()
    const after = this.treeOf(commitSha)
    const changes: FakeFileChanges = {}
    for (const [path, blob] of after) {
      if (before.get(path) !== blob) changes[path] = this.blobText(blob)
    }
    for (const path of before.keys()) if (!after.has(path)) changes[path] = null
    return changes
  }

  isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>()
    const queue = [sha]
    while (queue.length > 0) {
      const current = queue.pop() as string
      if (current === ancestor) return true
      if (seen.has(current)) continue
      seen.add(current)
      queue.push(...(this.commits.get(current)?.parents ?? []))
    }
    return false
  }
}
