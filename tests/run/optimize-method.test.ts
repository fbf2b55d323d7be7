import { describe, expect, it } from 'vitest'
import { OPTIMIZE_METHODS, methodScope, methodTitle } from '../../src/config/methods.js'
import { InputError } from '../../src/errors.js'
import { CLI_WORDING, checkMethodChoice } from '../../src/run/optimize-method.js'

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
})
