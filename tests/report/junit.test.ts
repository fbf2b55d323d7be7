import { describe, expect, it } from 'vitest'
import { renderJunit } from '../../src/report/junit.js'
import { makeCompareReport, makeEvalReport, makeOptimizeReport, makeTask } from './fixtures.js'
import { attributeValues, xmlProblems } from './xml-check.js'

function testcases(xml: string): Array<{ name: string; body: string }> {
  return [
    ...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)
  ].map((m) => ({ name: m[1] ?? '', body: m[2] ?? '' }))
}

describe('xmlProblems (the test checker itself)', () => {
  it('finds the usual faults', () => {
    expect(xmlProblems('<a><b></a></b>')).not.toEqual([])
    expect(xmlProblems('<a>x & y</a>')).not.toEqual([])
    expect(xmlProblems('<a x="1" x="2"/>')).not.toEqual([])
    expect(xmlProblems('<a x="<"/>')).not.toEqual([])
    expect(xmlProblems('<a/><b/>')).not.toEqual([])
    expect(xmlProblems('<a><![CDATA[ x </a>')).not.toEqual([])
    expect(xmlProblems('<?xml version="1.0"?>\n<a x="&amp;"><![CDATA[<b>]]>&#10;</a>\n')).toEqual(
      []
    )
  })
})

describe('renderJunit per task', () => {
  it('passes every task of a passing eval, with score and n as properties', () => {
    const xml = renderJunit(makeEvalReport())
    expect(xmlProblems(xml)).toEqual([])
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="prompt-descent" tests="2" failures="0" errors="0" time="245.000">'
      )
    ).toBe(true)
    expect(attributeValues(xml, 'testsuite', 'timestamp')).toEqual(['2026-08-01T12:00:00.000Z'])
    expect(testcases(xml).map((c) => c.name)).toEqual(['triage', 'summarize'])
    expect(xml).not.toContain('<failure')
    const triage = testcases(xml)[0]!.body
    expect(triage).toContain('<property name="score" value="0.8125"/>')
    expect(triage).toContain('<property name="n" value="64"/>')
    expect(triage).toContain('<system-out><![CDATA[score 81.3% [')
  })

  it('names the model each task ran on and the judge of each check, as the other views do', () => {
    const report = makeEvalReport({
      tasks: [
        makeTask('route', 64, 52, { model: 'openai/gpt-4o-mini' }),
        makeTask('tone', 32, 20, {
          model: 'openai/gpt-4.1',
          metric: 'pass rate',
          checks: [
            {
              name: 'polite',
              metric: 'gh-llm',
              weight: 1,
              not: false,
              score: 0.625,
              passed: 20,
              unreadable: 0,
              judgeModel: 'openai/gpt-4o'
            }
          ]
        })
      ]
    })
    const xml = renderJunit(report)
    expect(xmlProblems(xml)).toEqual([])
    const [route, tone] = testcases(xml)
    expect(route?.body).toContain('<property name="model" value="openai/gpt-4o-mini"/>')
    expect(tone?.body).toContain('<property name="model" value="openai/gpt-4.1"/>')
    expect(tone?.body).toContain('<property name="check.polite.judgeModel" value="openai/gpt-4o"/>')
  })

  it('fails the task whose gate check failed, and only that one', () => {
    const xml = renderJunit(makeCompareReport())
    expect(xmlProblems(xml)).toEqual([])
    expect(attributeValues(xml, 'testsuite', 'failures')).toEqual(['1'])
    const [triage, summarize] = testcases(xml)
    expect(triage?.body).toContain(
      '<failure message="dropped 4.7 pts &gt; max_drop 2.0 pts" type="max_drop">'
    )
    expect(triage?.body).toContain('<property name="verdict" value="regressed"/>')
    expect(summarize?.body).not.toContain('<failure')
  })

  it('fails every task when the run stopped early', () => {
    const xml = renderJunit(makeOptimizeReport())
    expect(xmlProblems(xml)).toEqual([])
    const cases = testcases(xml)
    expect(cases.length).toBeGreaterThan(0)
    for (const c of cases) expect(c.body).toContain('type="stopped:budget"')
    expect(attributeValues(xml, 'testsuites', 'failures')).toEqual([String(cases.length)])
  })

  it('does not fail a run that ended because nothing more was gained', () => {
    const xml = renderJunit(
      makeOptimizeReport({ stop: { reason: 'no-gain', message: 'no gain in 2 rounds' } })
    )
    expect(xml).not.toContain('<failure')
  })
})

describe('renderJunit per example', () => {
  it('has one testcase per example plus the gate checks, failing wrong answers', () => {
    const report = makeEvalReport()
    const xml = renderJunit(report, { perExample: true })
    expect(xmlProblems(xml)).toEqual([])
    const examples = report.tasks.flatMap((t) => t.examples)
    const wrong = examples.filter((e) => e.score < 1).length
    expect(attributeValues(xml, 'testsuite', 'tests')).toEqual([String(examples.length + 2)])
    expect(attributeValues(xml, 'testsuite', 'failures')).toEqual([String(wrong)])
    expect(xml).toContain('<testcase classname="prompt-descent.triage" name="triage-001" time="0">')
    expect(xml).toContain('message="score 0: expected billing, answered other" type="wrong"')
    expect(xml).toContain('type="unreadable"')
    expect(xml).toContain(
      '<testcase classname="prompt-descent.gate" name="triage min_score" time="0">'
    )
  })

  it('reports failed calls as errors and an early stop as its own failure', () => {
    const report = makeEvalReport({
      stop: { reason: 'cancelled', message: 'the run was cancelled' }
    })
    const first = report.tasks[0]!.examples[0]!
    report.tasks[0]!.examples[0] = { ...first, output: null, error: 'HTTP 500 after 3 retries' }
    const xml = renderJunit(report, { perExample: true })
    expect(xmlProblems(xml)).toEqual([])
    expect(attributeValues(xml, 'testsuite', 'errors')).toEqual(['1'])
    expect(xml).toContain('<error message="HTTP 500 after 3 retries" type="call-failed">')
    expect(xml).toContain('name="run completed"')
    expect(xml).toContain('type="stopped:cancelled"')
  })

  it('stays well-formed with hostile ids, outputs and messages', () => {
    const report = makeEvalReport()
    const hostile = 'a]]>b <x> & "q" \'s\' \u0000\u0007\u001B[31m \uD800 tab\tnew\nline'
    const example = report.tasks[0]!.examples[60]!
    report.tasks[0]!.examples[60] = {
      ...example,
      id: hostile,
      output: hostile,
      answer: hostile,
      expected: hostile
    }
    report.tasks[0]!.task = hostile
    report.gate!.checks[0] = { task: hostile, kind: 'min_score', passed: false, message: hostile }
    report.gate!.passed = false
    for (const perExample of [false, true]) {
      const xml = renderJunit(report, { perExample })
      expect(xmlProblems(xml)).toEqual([])
      expect(xml).toContain('a]]]]><![CDATA[>b')
    }
    const xml = renderJunit(report, { perExample: true })
    expect(xml).toContain('name="a]]&gt;b &lt;x&gt; &amp; &quot;q&quot; &apos;s&apos;')
    expect(xml).toContain('tab&#9;new&#10;line')
  })
})
