import { describe, expect, it } from 'vitest'
import {
  codeBlock,
  details,
  escapeHtmlText,
  escapeInline,
  inlineCode,
  neutralizeWorkflowCommands,
  stripControl,
  tableCell,
  truncate
} from '../../src/report/sanitize.js'

const ZWJ = '\u200D'

describe('escapeInline', () => {
  it('breaks user and team mentions so nobody is pinged', () => {
    const out = escapeInline('ping @octocat and @github/security, mail a@b.co')
    expect(out).not.toMatch(/@[A-Za-z]/)
    expect(out).toContain(`@${ZWJ}octocat`)
    expect(out).toContain(`@${ZWJ}github/security`)
  })

  it('breaks issue references and github links', () => {
    const out = escapeInline('fixes #123, see GH-45 and https://github.com/o/r/issues/9')
    expect(out).not.toMatch(/#\d/)
    expect(out).not.toMatch(/GH-\d/)
    expect(out).not.toMatch(/github\.com/)
    expect(out).toContain(`#${ZWJ}123`)
  })

  it('escapes HTML so no tag or comment injects', () => {
    const out = escapeInline('</details><script>alert(1)</script><!-- marker --> & more')
    expect(out).not.toContain('<')
    expect(out).not.toContain('>')
    expect(out).toContain('&lt;/details&gt;&lt;script&gt;')
    expect(out).toContain('&lt;!-- marker --&gt;')
    expect(out).toContain('&amp; more')
  })

  it('escapes Markdown punctuation and block starts', () => {
    expect(escapeInline('*bold* _it_ [link](x) `code` ~s~ $x$ a|b')).toBe(
      '\\*bold\\* \\_it\\_ \\[link\\](x) \\`code\\` \\~s\\~ \\$x\\$ a\\|b'
    )
    expect(escapeInline('# not a heading')).toBe('\\# not a heading')
    expect(escapeInline('- not a list')).toBe('\\- not a list')
    expect(escapeInline('12. not a list')).toBe('12\\. not a list')
  })

  it('folds newlines and removes escape sequences and controls', () => {
    expect(escapeInline('line one\n\n  line two\r\nthree')).toBe('line one line two three')
    expect(escapeInline('\u001B[31mred\u001B[0m\u0007 text\u202E')).toBe('red text')
  })

  it('caps the length with an ellipsis before escaping', () => {
    expect(escapeInline('x'.repeat(100), 10)).toBe('xxxxxxxxx…')
    expect(escapeInline('<<<<<<', 3)).toBe('&lt;&lt;…')
  })
})

describe('truncate', () => {
  it('never splits a surrogate pair and counts code points', () => {
    expect(truncate('😀😀😀', 2)).toBe('😀…')
    expect(truncate('😀😀😀', 3)).toBe('😀😀😀')
    expect(truncate('abc', 0)).toBe('')
    expect(truncate('abc', Infinity)).toBe('abc')
  })
})

describe('tableCell', () => {
  it('keeps the row on one line and escapes pipes', () => {
    expect(tableCell('a\nb|c')).toBe('a<br>b\\|c')
    expect(tableCell('')).toBe(' ')
    expect(tableCell('@octocat <b>')).toBe(`@${ZWJ}octocat &lt;b&gt;`)
  })
})

describe('inlineCode', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(inlineCode('a ``` b')).toBe('````a ``` b````')
    expect(inlineCode('`x`')).toBe('`` `x` ``')
    expect(inlineCode('plain')).toBe('`plain`')
  })

  it('escapes pipes in tables and folds newlines', () => {
    expect(inlineCode('a|b\nc', Infinity, true)).toBe('`a\\|b c`')
    expect(inlineCode('')).toBe('*(empty)*')
  })
})

describe('codeBlock', () => {
  it('opens with a fence no line of the content can close', () => {
    const content = 'before\n```\n</details>\n````\nafter'
    const block = codeBlock(content, 'diff')
    const lines = block.split('\n')
    expect(lines[0]).toBe('`````diff')
    expect(lines[lines.length - 1]).toBe('`````')
    expect(block).toContain('</details>')
  })

  it('cleans the info string and cuts long content with a note', () => {
    expect(codeBlock('x', 'js onclick="a"')).toBe('```jsonclicka\nx\n```')
    const cut = codeBlock('y'.repeat(1000), 'text', 100)
    expect(cut.length).toBeLessThan(200)
    expect(cut).toContain('more characters not shown')
  })

  it('strips control characters but keeps tabs and newlines', () => {
    expect(stripControl('a\tb\r\nc\u0000d\u001B[2Je')).toBe('a\tb\ncde')
  })
})

describe('details', () => {
  it('escapes the summary and keeps the Markdown body', () => {
    const out = details('</summary><img src=x> @octocat', '| a |\n| --- |')
    expect(
      out.startsWith('<details><summary>&lt;/summary&gt;&lt;img src=x&gt; @\u200Doctocat</summary>')
    ).toBe(true)
    expect(out).toContain('\n\n| a |\n| --- |\n\n</details>')
  })

  it('escapeHtmlText does not add Markdown backslashes', () => {
    expect(escapeHtmlText('a*b_c')).toBe('a*b_c')
  })
})

/** Lines a GitHub runner would run as workflow commands: `::` at a line's start, `##[` anywhere. */
function workflowCommands(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['))
}

describe('neutralizeWorkflowCommands', () => {
  it('leaves no line a runner would take for a command, whatever breaks the lines', () => {
    const attack = [
      '::add-mask::hunter2',
      '  ::error file=a.ts,line=1::pwned',
      'text\r::set-output name=ok::false',
      'before ##[warning]old style',
      '\t::stop-commands::token'
    ].join('\n')
    expect(workflowCommands(attack)).toHaveLength(5)
    const out = neutralizeWorkflowCommands(attack)
    expect(workflowCommands(out)).toEqual([])
    expect(out.replaceAll(ZWJ, '')).toBe(attack)
  })

  it('leaves ordinary text alone', () => {
    const text = 'std::vector at 10:30 in a::b, issue #3'
    expect(neutralizeWorkflowCommands(text)).toBe(text)
  })
})
