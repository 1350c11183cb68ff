import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatAskedFor } from '../../main/cli/output'
import { checkWarningPossible, parseThreshold } from '../../main/cli/thresholds'
import { singleLine } from '../../main/core/text'

const alertsAt = (spec: string, values: number[]) =>
  values.filter((v) => parseThreshold(spec, '-w').alerts(v))

describe('free-seat thresholds', () => {
  it('keeps the old meaning of a plain number: alert when free seats are at most N, written as the range N+1:', () => {
    const t = parseThreshold('1', '-w')
    expect(alertsAt('1', [0, 1, 2, 3])).toEqual([0, 1])
    expect(t.range).toBe('2:')
    expect(parseThreshold('0', '-c').range).toBe('1:')
  })

  it('reads every range form with its monitoring-plugins meaning (alert outside, @ inside)', () => {
    const v = [0, 1, 2, 5, 9, 10, 11, 15, 20, 21, 30]
    expect(alertsAt('10:', v)).toEqual([0, 1, 2, 5, 9])
    expect(alertsAt('~:10', v)).toEqual([11, 15, 20, 21, 30])
    expect(alertsAt('10:20', v)).toEqual([0, 1, 2, 5, 9, 21, 30])
    expect(alertsAt('@10:20', v)).toEqual([10, 11, 15, 20])
    expect(alertsAt('@0:1', v)).toEqual([0, 1])
    expect(alertsAt(':5', v)).toEqual([9, 10, 11, 15, 20, 21, 30])
  })

  it('writes perfdata ranges that mean what was decided', () => {
    for (const spec of ['10:', '~:10', '10:20', '@10:20', '@0:1', '3']) {
      const t = parseThreshold(spec, '-w')
      const again = parseThreshold(t.range, '-w')
      for (let v = 0; v <= 40; v++) expect(again.alerts(v), `${spec} → ${t.range} at ${v}`).toBe(t.alerts(v))
    }
    expect(parseThreshold('~:10', '-w').range).toBe('~:10')
    expect(parseThreshold('@0:1', '-w').range).toBe('@0:1')
  })

  it('refuses what is not a threshold, saying what it expected', () => {
    for (const bad of ['many', '5:3', '@', '', '1e3', '-', '2.5', '10:x']) {
      expect(() => parseThreshold(bad, '-w'), bad).toThrow(/-w/)
    }
    expect(() => parseThreshold('5:3', '-c')).toThrow('the start of a range must not be above its end')
  })

  it('refuses a critical threshold that leaves WARNING impossible, and accepts any that does not', () => {
    const refused = (w: string, c: string) => {
      try {
        checkWarningPossible(parseThreshold(w, '-w'), parseThreshold(c, '-c'), ['-w', '-c'])
        return false
      } catch {
        return true
      }
    }
    expect(refused('10', '20')).toBe(true)
    expect(refused('5', '5')).toBe(true)
    expect(refused('1', '0')).toBe(false)
    expect(refused('5:', '10:')).toBe(true)
    expect(refused('5:', '@0:1')).toBe(false)
    // Against brute force over small counts: refused exactly when no count gives WARNING.
    const spec = fc.oneof(
      fc.nat(30).map(String),
      fc.tuple(fc.nat(30), fc.nat(30)).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`),
      fc.tuple(fc.nat(30), fc.nat(30)).map(([a, b]) => `@${Math.min(a, b)}:${Math.max(a, b)}`),
      fc.nat(30).map((n) => `${n}:`),
      fc.nat(30).map((n) => `~:${n}`),
    )
    fc.assert(
      fc.property(spec, spec, (w, c) => {
        const wt = parseThreshold(w, '-w')
        const ct = parseThreshold(c, '-c')
        const possible = Array.from({ length: 100 }, (_, v) => v).some((v) => wt.alerts(v) && !ct.alerts(v))
        expect(refused(w, c)).toBe(!possible)
      }),
    )
  })
})

describe('text from outside on a plugin line', () => {
  it('never gains a line break or a perfdata bar from an org name', () => {
    expect(singleLine('Acme | Co\nWARNING - fake\r\u2028x', 200)).toBe('Acme / Co WARNING - fake x')
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(singleLine(s, 200)).not.toMatch(/[|\n\r\u2028\u2029]/)
      }),
    )
  })
})

describe('the output format is known before the arguments are parsed', () => {
  it('so that even a usage error answers in JSON or OpenMetrics when asked', () => {
    expect(formatAskedFor(['--bogus', '--json'])).toBe('json')
    expect(formatAskedFor(['--format', 'openmetrics', '-w'])).toBe('openmetrics')
    expect(formatAskedFor(['--format=json'])).toBe('json')
    expect(formatAskedFor(['-w', '3'])).toBe('plugin')
  })
})
