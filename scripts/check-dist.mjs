// Fails when the committed dist/ is not what the sources build to: builds into a temporary folder and
// compares file by file, so it works the same in a fresh clone and in a dirty work tree.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const fresh = mkdtempSync(join(tmpdir(), 'prompt-descent-dist-'))
try {
  execFileSync(process.execPath, ['scripts/build.mjs', fresh], { stdio: 'inherit' })
  const list = (root) => {
    const files = []
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else files.push(relative(root, path))
      }
    }
    walk(root)
    return files.sort()
  }
  const want = list(fresh)
  const have = list('dist')
  const problems = []
  for (const file of new Set([...want, ...have])) {
    if (!want.includes(file)) problems.push(`dist/${file} is not produced by the build (remove it)`)
    else if (!have.includes(file)) problems.push(`dist/${file} is missing`)
    else if (!readFileSync(join(fresh, file)).equals(readFileSync(join('dist', file))))
      problems.push(`dist/${file} differs from a fresh build`)
  }
  if (problems.length > 0) {
    console.error(
      `dist/ is stale — run \`npm run build\` and commit dist/:\n  ${problems.join('\n  ')}`
    )
    process.exit(1)
  }
  console.log(`dist/ is up to date (${want.length} files)`)
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
