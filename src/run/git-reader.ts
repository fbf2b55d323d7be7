import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { FileReadError } from '../config/paths.js'
import type { FileReader } from '../config/paths.js'
import { InputError } from '../errors.js'

const run = promisify(execFile)

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })
  return stdout
}

/**
 * A FileReader over another commit (`git show <sha>:<path>`), so the base of a pull request is read
 * without touching the working tree. Paths are relative to `root` (the config's directory), which
 * may be a subfolder of the git repository.
 */
export async function createGitReader(
  root: string,
  ref: string
): Promise<{ reader: FileReader; sha: string }> {
  let sha: string
  try {
    sha = (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim()
  } catch (error) {
    // With --quiet a missing commit fails silently; anything git says is another problem (no
    // repository at all, a "dubious ownership" refusal…), which fetch-depth would not fix.
    const failure = error as { stderr?: string; code?: unknown }
    const said = failure.code === 'ENOENT' ? 'git is not installed' : (failure.stderr ?? '').trim()
    if (said !== '') {
      throw new InputError(
        `could not read the base commit ${ref} with git in ${root}: ${said.split('\n')[0] ?? said} (prompt-descent needs a git checkout, e.g. from actions/checkout, to read the base prompts)`
      )
    }
    throw new InputError(
      `the base commit ${ref} is not in this checkout; fetch the history with actions/checkout's \`fetch-depth: 0\` (or fetch the base branch) so prompt-descent can read the base prompts`
    )
  }
  const prefix = (await git(root, ['rev-parse', '--show-prefix'])).trim()
  const reader: FileReader = async (relativePath) => {
    try {
      return await git(root, ['show', `${sha}:${prefix}${relativePath}`])
    } catch (error) {
      const message = (error as { stderr?: string }).stderr ?? ''
      if (/does not exist|exists on disk, but not in|not in '/.test(message)) {
        throw new FileReadError(`${relativePath} does not exist at ${sha.slice(0, 12)}`, 'ENOENT')
      }
      throw new FileReadError(
        `git show ${sha.slice(0, 12)}:${relativePath} failed: ${message.trim()}`
      )
    }
  }
  return { reader, sha }
}
