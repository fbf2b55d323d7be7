/**
 * Git Data and contents routes of the fake GitHub server: refs (with the fast-forward check),
 * commits, blobs, trees over a base tree, and file reads at a ref.
 */
import { HttpError, notFound, repoUrl, str } from './fake-github-http.js'
import type { Route, RouteContext } from './fake-github-http.js'

const CONTENTS_INLINE_LIMIT = 1_048_576

function commitJson(ctx: RouteContext, sha: string): unknown {
  const commit = ctx.state.commits.get(sha) ?? notFound()
  return {
    sha,
    message: commit.message,
    tree: { sha: commit.treeSha },
    parents: commit.parents.map((p) => ({ sha: p })),
    html_url: `${repoUrl(ctx.state)}/commit/${sha}`
  }
}

function branchOfRef(ref: string): string {
  if (!ref.startsWith('heads/')) throw new HttpError(404, 'Not Found')
  return ref.slice('heads/'.length)
}

export const gitRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/git\/ref\/(.+)$/,
    handle: (ctx) => {
      const branch = branchOfRef(ctx.params[0] ?? '')
      const sha = ctx.state.refs.get(branch) ?? notFound()
      return { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } } }
    }
  },
  {
    method: 'POST',
    pattern: /^\/git\/refs$/,
    handle: (ctx) => {
      const ref = str(ctx.body, 'ref')
      const sha = str(ctx.body, 'sha')
      if (!ref.startsWith('refs/heads/'))
        throw new HttpError(422, 'Reference name must start with refs/heads/')
      const branch = ref.slice('refs/heads/'.length)
      if (ctx.state.refs.has(branch)) throw new HttpError(422, 'Reference already exists')
      if (!ctx.state.commits.has(sha)) throw new HttpError(422, 'Object does not exist')
      ctx.state.refs.set(branch, sha)
      return { status: 201, body: { ref, object: { sha, type: 'commit' } } }
    }
  },
  {
    method: 'PATCH',
    pattern: /^\/git\/refs\/(.+)$/,
    handle: (ctx) => {
      const branch = branchOfRef(ctx.params[0] ?? '')
      const sha = str(ctx.body, 'sha')
      const current = ctx.state.refs.get(branch)
      if (!current) throw new HttpError(422, 'Reference does not exist')
      if (!ctx.state.commits.has(sha)) throw new HttpError(422, 'Object does not exist')
      if (ctx.body['force'] !== true && !ctx.state.isAncestor(current, sha)) {
        throw new HttpError(422, 'Update is not a fast forward')
      }
      ctx.state.refs.set(branch, sha)
      return { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } } }
    }
  },
  {
    method: 'GET',
    pattern: /^\/git\/commits\/([0-9a-f]{40})$/,
    handle: (ctx) => ({ status: 200, body: commitJson(ctx, ctx.params[0] ?? '') })
  },
  {
    method: 'POST',
    pattern: /^\/git\/commits$/,
    handle: (ctx) => {
      const message = str(ctx.body, 'message')
      const tree = str(ctx.body, 'tree')
      const parents = Array.isArray(ctx.body['parents']) ? ctx.body['parents'].map(String) : []
      if (!ctx.state.trees.has(tree)) throw new HttpError(422, 'Tree SHA does not exist')
      if (parents.some((p) => !ctx.state.commits.has(p))) {
        throw new HttpError(422, 'Parent SHA does not exist or is not a commit object')
      }
      const sha = ctx.state.writeCommit(tree, parents, message)
      return { status: 201, body: commitJson(ctx, sha) }
    }
  },
  {
    method: 'POST',
    pattern: /^\/git\/blobs$/,
    handle: (ctx) => {
      const content = str(ctx.body, 'content')
      const encoding = ctx.body['encoding'] ?? 'utf-8'
      if (encoding !== 'utf-8' && encoding !== 'base64')
        throw new HttpError(422, 'Invalid encoding')
      const sha = ctx.state.writeBlob(
        encoding === 'base64' ? Buffer.from(content, 'base64') : content
      )
      return { status: 201, body: { sha } }
    }
  },
  {
    method: 'GET',
    pattern: /^\/git\/blobs\/([0-9a-f]{40})$/,
    handle: (ctx) => {
      const blob = ctx.state.blobs.get(ctx.params[0] ?? '') ?? notFound()
      return {
        status: 200,
        body: {
          sha: ctx.params[0],
          size: blob.length,
          encoding: 'base64',
          content: blob.toString('base64')
        }
      }
    }
  },
  {
    method: 'POST',
    pattern: /^\/git\/trees$/,
    handle: (ctx) => {
      const { state } = ctx
      const baseTree = ctx.body['base_tree']
      let entries = new Map<string, string>()
      if (typeof baseTree === 'string') {
        const base = state.trees.get(baseTree)
        if (!base) throw new HttpError(422, 'Invalid tree info: base_tree is not a tree')
        entries = new Map(base)
      }
      const items = ctx.body['tree']
      if (!Array.isArray(items) || items.length === 0) throw new HttpError(422, 'Invalid tree info')
      for (const raw of items as Array<Record<string, unknown>>) {
        const path = str(raw, 'path')
        if (raw['sha'] === null) {
          entries.delete(path)
        } else if (typeof raw['content'] === 'string') {
          entries.set(path, state.writeBlob(raw['content']))
        } else {
          const sha = str(raw, 'sha')
          if (!state.blobs.has(sha)) throw new HttpError(422, `tree.sha ${sha} is not a valid blob`)
          entries.set(path, sha)
        }
      }
      const sha = state.writeTree(entries)
      const tree = [...entries].map(([path, blob]) => ({
        path,
        mode: '100644',
        type: 'blob',
        sha: blob
      }))
      return { status: 201, body: { sha, tree, truncated: false } }
    }
  },
  {
    method: 'GET',
    pattern: /^\/contents\/(.*)$/,
    handle: (ctx) => {
      const { state } = ctx
      const path = ctx.params[0] ?? ''
      const sha = state.resolve(ctx.query.get('ref') ?? state.defaultBranch)
      if (!sha) throw new HttpError(404, `No commit found for the ref ${ctx.query.get('ref')}`)
      const tree = state.treeOf(sha)
      const blobSha = tree.get(path)
      if (!blobSha) {
        const prefix = path === '' ? '' : `${path}/`
        const children = [...tree.keys()].filter((p) => p.startsWith(prefix))
        if (children.length === 0) notFound()
        const names = [...new Set(children.map((p) => p.slice(prefix.length).split('/')[0] ?? ''))]
        return { status: 200, body: names.map((name) => ({ name, path: `${prefix}${name}` })) }
      }
      const blob = state.blobs.get(blobSha) ?? notFound()
      // Like GitHub: files over 1 MB come without inline content; read them through the blob.
      const inline = blob.length <= CONTENTS_INLINE_LIMIT
      const content = inline ? (blob.toString('base64').match(/.{1,60}/g) ?? []).join('\n') : ''
      return {
        status: 200,
        body: {
          type: 'file',
          name: path.split('/').pop(),
          path,
          sha: blobSha,
          size: blob.length,
          encoding: inline ? 'base64' : 'none',
          content
        }
      }
    }
  }
]
