/**
 * Writes the tool makes under the repository. A pull request controls the checkout, so any folder
 * or file we write to may be a symbolic link committed to lead elsewhere on the runner; every write
 * resolves its real location first and refuses one that leaves the repository. Writes are atomic:
 * a temporary file beside the target, then a rename, so a reader (or a crash, or a full disk) sees
 * the old file or the whole new one, never a truncated one.
 */
import { randomUUID } from 'node:crypto'
import {
  chmod,
  lstat,
  mkdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile
} from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { InputError } from '../errors.js'

/** Links followed before a chain is refused as a loop (Linux's own limit is 40). */
const MAX_LINKS = 40

/** Where a write would really land (links followed) inside a root, or why it may not. */
export async function confinedTarget(root: string, target: string): Promise<string> {
  const realRoot = await realpath(root)
  const absolute = resolve(root, target)
  if (outside(relative(resolve(root), absolute)))
    refuse(target, `the path is outside the repository (${root})`)
  const real = await realLocation(absolute, MAX_LINKS)
  if (real === undefined) refuse(target, 'too many symbolic links to follow')
  if (outside(relative(realRoot, real)))
    refuse(
      target,
      `a symbolic link leads outside the repository (${root}); the tool never writes through a link that leaves it`
    )
  return real
}

/**
 * Writes `text` to `target` atomically. With `root`, the target (resolved against it) must stay
 * inside it once symbolic links are followed, else an InputError naming the path; the file is
 * written at its real location, so a link inside the repository is written through, not replaced.
 * Without `root` (a path the user passed on the command line) the path is theirs, as given.
 */
export async function writeFileAtomic(
  target: string,
  text: string,
  options: { root?: string } = {}
): Promise<void> {
  const path =
    options.root === undefined ? resolve(target) : await confinedTarget(options.root, target)
  await mkdir(dirname(path), { recursive: true })
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`)
  // A file replaced keeps its permissions (the rename would otherwise bring the temp file's).
  const mode = await stat(path).then(
    (info) => info.mode & 0o7777,
    () => undefined
  )
  try {
    await writeFile(temp, text, 'utf8')
    if (mode !== undefined) await chmod(temp, mode)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

/**
 * The real location of `path`: its existing part resolved by realpath, the part still to be
 * created appended. A dangling link is followed by hand, so a link to a file that does not exist
 * yet is judged by where it points. Undefined when the links nest deeper than `links`.
 */
async function realLocation(path: string, links: number): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined)
  if (info?.isSymbolicLink()) {
    const real = await realpath(path).catch(() => undefined)
    if (real !== undefined) return real
    if (links <= 0) return undefined
    const link = await readlink(path)
    return realLocation(resolve(dirname(path), link), links - 1)
  }
  if (info !== undefined) return realpath(path)
  const parent = dirname(path)
  if (parent === path) return path
  const realParent = await realLocation(parent, links)
  return realParent === undefined ? undefined : join(realParent, basename(path))
}

function outside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)
}

function refuse(target: string, reason: string): never {
  throw new InputError(`refusing to write: ${reason}`, { file: target })
}
