import type { Issue } from './issues.js'
import type { ChatPrompt } from './prompt.js'
import type { Config, TaskConfig } from './types.js'

export type SplitName = 'train' | 'dev' | 'test'

/** One dataset row, with its stable id and the split it belongs to. */
export interface Example {
  /** The row's own id field, or its 1-based position in the file as a string. */
  id: string
  /** All fields of the row; template slots are filled from these. */
  fields: Record<string, unknown>
  /** The value of the task's `expected` field. */
  expected: unknown
  split: SplitName
  /** 1-based line in the dataset file where the row starts (every format, JSON arrays too). */
  line: number
}

export interface PromptFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string
  text: string
}

export interface LoadedTask {
  config: TaskConfig
  name: string
  /** The display title: a GitHub Models prompt file's `name`, when it has one. */
  title?: string
  /**
   * The messages sent for each example: the task's messages file, or its system prompt (its own,
   * else the shared one, else none) and its user template.
   */
  prompt: ChatPrompt
  examples: Example[]
  /** sha256 of the dataset file's bytes. */
  dataHash: string
}

export interface LoadedProject {
  /** Absolute path of the repository root (the directory of the config file). */
  root: string
  /** Config path relative to the root. */
  configPath: string
  configHash: string
  config: Config
  sharedSystemPrompt: PromptFile | undefined
  tasks: LoadedTask[]
  /** Things worth saying that did not stop the load (unknown keys of a GitHub Models prompt file). */
  warnings?: Issue[]
  /**
   * No config file: the tasks are the repository's GitHub Models prompt files (discover-prompts),
   * and another commit's project is found the same way.
   */
  discovered?: true
}
