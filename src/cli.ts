#!/usr/bin/env node
// First: may restart the process with a smaller V8 young generation (see cli/relaunch.ts).
import './cli/relaunch-first.js'
import { main } from './cli/main.js'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 3
  }
)
