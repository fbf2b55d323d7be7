import { describe, expect, it } from 'vitest'
import type { LedgerSnapshot, UsageTotals } from '../../src/llm/ledger-types.js'
import { budgetNearEnd } from '../../src/run/open-session.js'

function usage(total: Partial<UsageTotals>, elapsedMs = 0): LedgerSnapshot {
  const zero: UsageTotals = {
    calls: 0,
    cachedCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    usd: 0,
    retries: 0,
    rateLimited: 0,
    noContent: 0
  }
  const t = { ...zero, ...total }
  return { total: t, byRole: { target: t, optimizer: zero, judge: zero }, elapsedMs }
}

const noCaps = { usd: undefined, tokens: undefined, calls: undefined, minutes: undefined }

describe('budgetNearEnd', () => {
  it('is never near without caps', () => {
    expect(budgetNearEnd(noCaps, usage({ calls: 10_000, usd: 100 }), 0.85, 1_000)).toBe(false)
  })

  it('is near once a cap is 85% spent', () => {
    const caps = { ...noCaps, calls: 100 }
    expect(budgetNearEnd(caps, usage({ calls: 84 }))).toBe(false)
    expect(budgetNearEnd(caps, usage({ calls: 85 }))).toBe(true)
  })

  it('keeps room for the calls still owed (the final test scoring)', () => {
    const caps = { ...noCaps, calls: 1_000 }
    // 500 spent and 400 owed fit; 500 spent and 500 owed do not.
    expect(budgetNearEnd(caps, usage({ calls: 500 }), 0.85, 400)).toBe(false)
    expect(budgetNearEnd(caps, usage({ calls: 500 }), 0.85, 500)).toBe(true)
  })

  it('prices the calls still owed at the mean cost per call so far', () => {
    const caps = { ...noCaps, usd: 1 }
    // $0.50 over 100 calls = half a cent a call; 80 more calls cost $0.40 (fits), 120 cost $0.60.
    expect(budgetNearEnd(caps, usage({ calls: 100, usd: 0.5 }), 0.85, 80)).toBe(false)
    expect(budgetNearEnd(caps, usage({ calls: 100, usd: 0.5 }), 0.85, 120)).toBe(true)
    // Tokens and minutes the same way.
    const tokenCaps = { ...noCaps, tokens: 10_000 }
    expect(
      budgetNearEnd(
        tokenCaps,
        usage({ calls: 10, inputTokens: 4_000, outputTokens: 1_000 }),
        0.85,
        20
      )
    ).toBe(true)
    const timeCaps = { ...noCaps, minutes: 10 }
    expect(budgetNearEnd(timeCaps, usage({ calls: 100 }, 4 * 60_000), 0.85, 100)).toBe(false)
    expect(budgetNearEnd(timeCaps, usage({ calls: 100 }, 6 * 60_000), 0.85, 100)).toBe(true)
  })
})
