// Imported first by the CLI entry, so the restart happens before the rest of the bundle loads.
import { relaunchWithSmallYoungGeneration } from './relaunch.js'

relaunchWithSmallYoungGeneration()
