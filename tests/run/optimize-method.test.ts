import { describe, expect, it } from 'vitest'
import { OPTIMIZE_METHODS, methodScope, methodTitle } from '../../src/config/methods.js'
import { InputError } from '../../src/errors.js'
import { CLI_WORDING, checkMethodChoice } from '../../src/run/optimize-method.js'
import { isSharedSystemRun } from '../../src/run/shared-system-run.js'

describe('the optimization-method registry', () => {
  it('gives every method a scope and a title', () => {
    for (const method of OPTIMIZE_METHODS) {
      expect(['task', 'shared-system']).toContain(methodScope(method))
      expect(methodTitle(method).length).toBeGreaterThan(0)
    }
  })

  it('rejects several tasks for a task-scoped method, naming the flag', () => {
    expect(() =>
      checkMethodChoice({ method: 'apo', edit: undefined, tasks: ['a', 'b'] }, CLI_WORDING)
    ).toThrow(new InputError('optimize --method apo improves one task at a time; give one --task'))
  })

  it('rejects the user prompt for a shared-system method', () => {
    expect(() =>
      checkMethodChoice({ method: 'metaspo', edit: 'user', tasks: [] }, CLI_WORDING)
    ).toThrow(/--prompt user applies to APO.*MetaSPO optimizes the shared system prompt/)
    expect(() =>
      checkMethodChoice({ method: 'metaspo', edit: undefined, tasks: ['a', 'b'] }, CLI_WORDING)
    ).not.toThrow()
  })

  it('lets GEPA take several tasks for the shared system prompt, and only for it', () => {
    expect(() =>
      checkMethodChoice({ method: 'gepa', edit: 'system', tasks: ['a', 'b'] }, CLI_WORDING)
    ).not.toThrow()
    expect(() =>
      checkMethodChoice({ method: 'gepa', edit: 'user', tasks: ['a', 'b'] }, CLI_WORDING)
    ).toThrow(
      new InputError(
        'optimize --method gepa improves one task at a time; give one --task (or --prompt system to optimize the shared system prompt of several tasks)'
      )
    )
  })

  it('routes GEPA to the shared system prompt only with a shared prompt and several tasks', () => {
    const shared = { path: 'prompts/system.md', text: 'You are a helpful assistant.' }
    const project = (n: number, prompt: typeof shared | undefined) =>
      ({ tasks: Array.from({ length: n }, () => ({})), sharedSystemPrompt: prompt }) as never
    const ask = (edit: 'user' | 'system', tasks: string[] = []) => ({
      method: 'gepa' as const,
      edit,
      tasks
    })
    expect(isSharedSystemRun(project(4, shared), ask('system'))).toBe(true)
    expect(isSharedSystemRun(project(4, shared), ask('system', ['a', 'b']))).toBe(true)
    // One task named, or only one configured: that task's system prompt, as before.
    expect(isSharedSystemRun(project(4, shared), ask('system', ['a']))).toBe(false)
    expect(isSharedSystemRun(project(1, shared), ask('system'))).toBe(false)
    expect(isSharedSystemRun(project(4, shared), ask('user'))).toBe(false)
    expect(isSharedSystemRun(project(4, undefined), ask('system'))).toBe(false)
    expect(isSharedSystemRun(project(4, shared), { ...ask('system'), method: 'apo' })).toBe(false)
  })
})
