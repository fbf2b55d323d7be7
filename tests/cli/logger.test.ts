/**
 * The loggers of the CLI and the action print untrusted text (a provider's error, a task name):
 * neither may let it run as a workflow command in the CI step, nor drive the terminal.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createActionLogger } from '../../src/action/logger.js'
import { createCliLogger } from '../../src/cli/logger.js'

const ATTACK =
  'call failed: upstream said\n::add-mask::hunter2\r::error title=x::pwned ##[set-output name=a]b \u001b[2J'

/** Lines a GitHub runner would run as workflow commands: `::` at a line's start, `##[` anywhere. */
function workflowCommands(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['))
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the CLI logger', () => {
  it('neutralises workflow commands, escape sequences and URL credentials in every level', () => {
    let written = ''
    const stream = {
      isTTY: false,
      write: (text: string) => {
        written += text
        return true
      }
    } as unknown as NodeJS.WriteStream
    const logger = createCliLogger({ stream, debug: true, now: () => 10_000 })
    logger.info(ATTACK)
    logger.warn(`${ATTACK} at http://u:secret@h.example/v1`)
    logger.debug(ATTACK)
    logger.progress(ATTACK)
    expect(written).toContain('pwned')
    expect(workflowCommands(written)).toEqual([])
    expect(written).not.toContain('\u001b')
    expect(written).not.toContain('secret')
    expect(written).toContain('http://h.example/v1')
  })
})

describe('the action logger', () => {
  it('neutralises workflow commands in what core.info prints raw', () => {
    let written = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written += String(chunk)
      return true
    })
    const logger = createActionLogger(() => 10_000)
    logger.info(ATTACK)
    logger.progress(ATTACK)
    logger.warn(ATTACK)
    expect(written).toContain('pwned')
    // core.warning's own command is ours; nothing the text carried may start another.
    const lines = workflowCommands(written)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^::warning::call failed/)
    expect(lines[0]).not.toContain('##[')
  })
})
