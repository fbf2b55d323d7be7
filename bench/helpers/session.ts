/**
 * Demo repositories in temp directories, and sessions as the CLI opens them, on an in-memory copy
 * of a loaded project with some config changed and without a response cache (so the ledger counts
 * every call a run makes).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadProject } from '../../src/config/load-project.js'
import type { LoadedProject } from '../../src/config/project-types.js'
import type { BudgetConfig, Config } from '../../src/config/types.js'
import { openSession, type Session } from '../../src/run/open-session.js'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import { silentLogger, type Logger } from '../../src/util/logger.js'

export interface BenchSessionOptions {
  /** Changes to the loaded config (shallow per top-level key). */
  config?: (config: Config) => Config
  budget?: Partial<BudgetConfig>
  env?: Record<string, string>
  logger?: Logger
}

/** Runs `body` in a session on `project` (config changed by `options.config`), then closes it. */
export async function withSession<T>(
  project: LoadedProject,
  options: BenchSessionOptions,
  body: (session: Session) => Promise<T>
): Promise<T> {
  const config = options.config ? options.config(project.config) : project.config
  const session = await openSession({
    configPath: join(project.root, project.configPath),
    project: { ...project, config },
    env: options.env ?? {},
    logger: options.logger ?? silentLogger,
    cache: false,
    budget: options.budget
  })
  try {
    return await body(session)
  } finally {
    session.close()
  }
}

/** One seed for the simulated models (config.seed) and the optimizer's sampling (optimize.seed). */
export function withSeed(config: Config, seed: number): Config {
  return { ...config, seed, optimize: { ...config.optimize, seed } }
}

/** A demo repository on disk (temp directory), loaded. */
export interface SimRepo {
  project: LoadedProject
  holdout: string[]
  remove(): Promise<void>
}

/**
 * Writes the demo's repository for `seed` — the triage task, or with `multiTask` the seven-task
 * review family (4 meta-train, 3 held out) — with `rows` rows per task, and loads it.
 */
export async function makeSimRepo(
  seed: number,
  options: { rows: number; multiTask?: boolean }
): Promise<SimRepo> {
  const root = await mkdtemp(join(tmpdir(), 'pd-bench-sim-'))
  const repo = await writeDemoRepository(root, {
    seed,
    rows: options.rows,
    multiTask: options.multiTask
  })
  const project = await loadProject(repo.configPath)
  return {
    project,
    holdout: repo.holdout,
    remove: () => rm(root, { recursive: true, force: true })
  }
}
