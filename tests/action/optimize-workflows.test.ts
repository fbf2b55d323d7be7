/**
 * The example workflows use the action as action.yml declares it, with the permissions optimize
 * mode needs (tests/action/readme-tables.test.ts keeps the README's tables in step with action.yml).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

interface Step {
  uses?: string
  id?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  jobs: Record<string, { if?: string; steps: Step[] }>
}

const action = parse(read('action.yml')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

function ourStep(workflow: Workflow): Step {
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps)
  const step = steps.find((s) => s.uses?.startsWith('prompt-descent/prompt-descent@'))
  if (!step) throw new Error('no prompt-descent step')
  return step
}

describe('example optimize workflows', () => {
  it.each(['optimize-dispatch.yml', 'optimize-comment.yml'])(
    '%s runs mode: optimize with declared inputs and write permissions',
    (file) => {
      const workflow = parse(read(`examples/workflows/${file}`)) as Workflow
      const step = ourStep(workflow)
      expect(step.with?.['mode']).toBe('optimize')
      for (const key of Object.keys(step.with ?? {}))
        expect(Object.keys(action.inputs)).toContain(key)
      expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' })
    }
  )

  it('dispatch: workflow_dispatch inputs for task, method and budget, and a schedule', () => {
    const workflow = parse(read('examples/workflows/optimize-dispatch.yml')) as Workflow
    const dispatch = workflow.on['workflow_dispatch'] as { inputs: Record<string, unknown> }
    expect(Object.keys(dispatch.inputs).sort()).toEqual(['budget', 'method', 'task'])
    expect(workflow.on['schedule']).toBeTruthy()
  })

  it('comment: runs on new comments and checks out the pull request head', () => {
    const workflow = parse(read('examples/workflows/optimize-comment.yml')) as Workflow
    expect(workflow.on).toEqual({ issue_comment: { types: ['created'] } })
    const job = Object.values(workflow.jobs)[0]
    expect(job?.if).toContain("startsWith(github.event.comment.body, '/optimize')")
    const checkout = job?.steps.find((s) => s.uses?.startsWith('actions/checkout@'))
    expect(checkout?.with?.['ref']).toBe('refs/pull/${{ github.event.issue.number }}/head')
  })
})
