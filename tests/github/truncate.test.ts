import { describe, expect, it } from 'vitest'
import { GITHUB_BODY_LIMIT, fitGitHubBody } from '../../src/github/truncate.js'

describe('fitGitHubBody', () => {
  it('leaves a body under the limit alone', () => {
    const body = 'x'.repeat(GITHUB_BODY_LIMIT - 1)
    expect(fitGitHubBody(body)).toEqual({ body, truncated: false })
  })

  it('cuts at a line, closes fences and details, and appends the note', () => {
    const lines = ['<details><summary>diff</summary>', '', '```diff']
    for (let i = 0; lines.join('\n').length < 1000; i++) lines.push(`+ line ${i}`)
    const { body, truncated } = fitGitHubBody(lines.join('\n'), {
      limit: 400,
      note: 'See the summary.'
    })
    expect(truncated).toBe(true)
    expect(body.length).toBeLessThan(400)
    expect(body).toMatch(/^<details><summary>diff<\/summary>\n\n```diff\n\+ line 0\n/)
    expect(body).toMatch(
      /\n```\n\n<\/details>\n\n---\n> \*\*Truncated:\*\* .*400-character limit\. See the summary\.\n$/
    )
  })

  it('never splits a surrogate pair', () => {
    const { body } = fitGitHubBody('😀'.repeat(200), { limit: 201 })
    expect(body.length).toBeLessThan(201)
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(body)).toBe(false)
  })
})
