// Rebuilds dist/ from an empty folder: the action bundle (dist/index.js) and the CLI (dist/cli/index.js).
// ncc does not clean its output folder, so stale files would otherwise survive a rename.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { resolve } from 'node:path'

const out = resolve(process.argv[2] ?? 'dist')
rmSync(out, { recursive: true, force: true })
const ncc = resolve('node_modules/@vercel/ncc/dist/ncc/cli.js')
const build = (entry, dir) =>
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', dir, '--license', 'licenses.txt', '--quiet'],
    { stdio: 'inherit' }
  )
build('src/index.ts', out)
build('src/cli.ts', resolve(out, 'cli'))
