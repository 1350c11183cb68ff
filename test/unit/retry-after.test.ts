import { describe, expect, it } from 'vitest'
import { LONGEST_WAIT_MS } from '../../common/problems'
import { retryAfterMs } from '../../main/core/zoho/http'

const now = Date.UTC(2026, 0, 5, 9)
const SIX_HOURS = 6 * 3_600_000

describe('reading an absurd Retry-After', () => {
  it('honours at most 6 hours, however far ahead Zoho (or a proxy) says to come back', () => {
    expect(LONGEST_WAIT_MS).toBe(SIX_HOURS)
    expect(retryAfterMs('2592000', now)).toBe(SIX_HOURS) // a month
    expect(retryAfterMs('2147484', now)).toBe(SIX_HOURS) // just past Node's timer limit
    expect(retryAfterMs('99999999999999999999999999', now)).toBe(SIX_HOURS)
    expect(retryAfterMs(new Date(now + 365 * 86_400_000).toUTCString(), now)).toBe(SIX_HOURS)
    expect(retryAfterMs('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBe(SIX_HOURS)
    expect(retryAfterMs(String(6 * 3600 - 1), now)).toBe(SIX_HOURS - 1000)
  })

  it('ignores values that are not a Retry-After: negative, fractional, words', () => {
    for (const value of ['-30', '1.5', '1e9', '', '  ', 'Infinity', 'NaN', 'soon-ish']) {
      expect(retryAfterMs(value, now), value).toBeUndefined()
    }
  })
})
