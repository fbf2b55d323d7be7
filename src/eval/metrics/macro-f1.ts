/**
 * Macro-averaged F1 over the given classes. Per class c: tp = predicted c and truly c; fp =
 * predicted c, truly another; fn = truly c, predicted another or nothing (an unreadable reply,
 * `null`, is a wrong prediction for its true class). F1 = 2tp / (2tp + fp + fn). A class with no
 * true examples and no predictions is left out of the average, not counted as 0 or 1. Labels are
 * compared as given: canonicalise them first. 0 when no class is left.
 */
export function macroF1(
  classes: readonly string[],
  pairs: ReadonlyArray<{ predicted: string | null; actual: string }>
): number {
  const tp = new Map<string, number>()
  const fp = new Map<string, number>()
  const fn = new Map<string, number>()
  const bump = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1)
  }
  for (const { predicted, actual } of pairs) {
    if (predicted === actual) {
      bump(tp, actual)
    } else {
      bump(fn, actual)
      if (predicted !== null) bump(fp, predicted)
    }
  }
  let sum = 0
  let counted = 0
  for (const c of new Set(classes)) {
    const t = tp.get(c) ?? 0
    const p = fp.get(c) ?? 0
    const n = fn.get(c) ?? 0
    if (t + p + n === 0) continue
    sum += (2 * t) / (2 * t + p + n)
    counted++
  }
  return counted === 0 ? 0 : sum / counted
}
