import { run } from './action/main.js'

/* The action's entry: all work is in run(), which never throws. */
await run()
