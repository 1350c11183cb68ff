import { describe, expect, it } from 'vitest'
import type { AccountView, Snapshot } from '../../common/model'
import { problem } from '../../common/problems'
import { accountTone, badgeText, staleAfter, trayModel, worstAccount } from '../../main/core/tray-model'

const NOW = Date.UTC(2026, 0, 5, 9, 20)
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const LONDON = { locale: 'en-GB', timeZone: 'Europe/London' }

function seats(available: number, purchased = 25): Snapshot {
  return { purchased, active: purchased - available, available, at: NOW - 5 * MINUTE, mismatch: false }
}

function account(overrides: Partial<AccountView> = {}): AccountView {
  const latest = overrides.latest === undefined ? seats(10) : overrides.latest
  return {
    id: 'acme',
    dataCenter: 'EU',
    label: 'Acme Ltd',
    phase: 'ready',
    latest,
    org: null,
    lastAttemptAt: latest?.at ?? null,
    lastGoodAt: latest?.at ?? null,
    nextCheckAt: null,
    refreshing: false,
    problem: null,
    tone: 'ok',
    lowAt: 1,
    forecast: { kind: 'stable' },
    callsPerDay: 96,
    ...overrides,
  }
}

const STALE = staleAfter(15 * MINUTE)

describe('the colour of one account', () => {
  it('follows the free seats: ok, low at the low mark, out at zero', () => {
    expect(accountTone(account({ latest: seats(5), lowAt: 2 }), NOW, STALE)).toBe('ok')
    expect(accountTone(account({ latest: seats(2), lowAt: 2 }), NOW, STALE)).toBe('low')
    expect(accountTone(account({ latest: seats(0), lowAt: 2 }), NOW, STALE)).toBe('out')
  })

  it('asks to sign in when signed out or when the fix is signing in again', () => {
    expect(accountTone(account({ phase: 'signed-out', latest: null }), NOW, STALE)).toBe('signed-out')
    expect(accountTone(account({ problem: problem('reauth-needed') }), NOW, STALE)).toBe('signed-out')
  })

  it('greys out as offline when Zoho cannot be reached', () => {
    for (const kind of ['offline', 'unreachable', 'timeout'] as const) {
      expect(accountTone(account({ latest: seats(0), problem: problem(kind) }), NOW, STALE)).toBe('offline')
    }
  })

  it('shows an error at once for problems a person must fix', () => {
    expect(accountTone(account({ problem: problem('no-permission') }), NOW, STALE)).toBe('error')
    expect(accountTone(account({ problem: problem('invalid-client') }), NOW, STALE)).toBe('error')
  })

  it('keeps the seat colour through a passing Zoho error while the data is fresh, then shows the error', () => {
    const blip = account({ latest: seats(0), problem: problem('server-error') })
    expect(accountTone(blip, NOW, STALE)).toBe('out')
    expect(accountTone(blip, NOW + 2 * HOUR, STALE)).toBe('error')
  })

  it('greys out as stale when the last good reading is older than the limit, or there is none yet', () => {
    expect(accountTone(account(), NOW + 2 * HOUR, STALE)).toBe('stale')
    expect(accountTone(account({ phase: 'first-poll', latest: null }), NOW, STALE)).toBe('stale')
  })

  it('counts data as stale after three missed checks, but never sooner than an hour', () => {
    expect(staleAfter(15 * MINUTE)).toBe(HOUR)
    expect(staleAfter(1 * MINUTE)).toBe(HOUR)
    expect(staleAfter(60 * MINUTE)).toBe(3 * HOUR)
  })
})

describe('the badge number', () => {
  it('shows the free seats up to 99, then 99+', () => {
    expect(badgeText(0)).toBe('0')
    expect(badgeText(7)).toBe('7')
    expect(badgeText(99)).toBe('99')
    expect(badgeText(100)).toBe('99+')
  })

  it('shows a dash when there is no number, and never a negative one', () => {
    expect(badgeText(null)).toBe('–')
    expect(badgeText(-3)).toBe('0')
    expect(badgeText(Number.NaN)).toBe('–')
  })
})

describe('the tray', () => {
  it('shows the number of free seats and a breakdown with the time of the last check', () => {
    const model = trayModel([account({ latest: seats(1) })], NOW, LONDON)
    expect(model).toEqual({
      badge: '1',
      tone: 'low',
      tooltip: 'Acme Ltd: 1 of 25 seats free (24 active) · checked 09:15',
      accountLines: ['Acme Ltd: 1 of 25 seats free (24 active) · checked 09:15'],
    })
  })

  it('shows the time in the local time zone, with the day when it was not today', () => {
    const tokyo = { locale: 'en-GB', timeZone: 'Asia/Tokyo' }
    expect(trayModel([account()], NOW, tokyo).tooltip).toContain('checked 18:15')
    const yesterday = account({ lastGoodAt: NOW - 20 * HOUR })
    expect(trayModel([yesterday], NOW, LONDON).tooltip).toContain('checked 4 Jan 13:20')
  })

  it('with several accounts, shows the worst on the badge and lists them all', () => {
    const accounts = [
      account({ id: 'a', label: 'Acme Ltd', latest: seats(8) }),
      account({ id: 'b', label: 'Beta GmbH', latest: seats(0, 10) }),
      account({ id: 'c', label: 'Gamma Inc', problem: problem('reauth-needed') }),
    ]
    const model = trayModel(accounts, NOW, LONDON)
    expect(model.badge).toBe('0')
    expect(model.tone).toBe('out')
    expect(model.accountLines).toEqual([
      'Acme Ltd: 8 of 25 seats free (17 active) · checked 09:15',
      'Beta GmbH: 0 of 10 seats free (10 active) · checked 09:15',
      'Gamma Inc: Zoho no longer accepts this sign-in (it was revoked or expired)',
    ])
    expect(model.tooltip.split('\n')).toEqual(model.accountLines)
    expect(worstAccount(accounts, NOW)?.id).toBe('b')
  })

  it('ranks out > low > error > signed-out > offline > stale > ok', () => {
    const byTone = {
      ok: account({ id: 'ok' }),
      stale: account({ id: 'stale', lastGoodAt: NOW - 5 * HOUR }),
      offline: account({ id: 'offline', problem: problem('offline') }),
      'signed-out': account({ id: 'signed-out', phase: 'signed-out', latest: null }),
      error: account({ id: 'error', problem: problem('no-permission') }),
      low: account({ id: 'low', latest: seats(1) }),
      out: account({ id: 'out', latest: seats(0) }),
    }
    const order = ['out', 'low', 'error', 'signed-out', 'offline', 'stale', 'ok'] as const
    for (let i = 0; i < order.length; i++) {
      const rest = order.slice(i).map((t) => byTone[t])
      expect(trayModel(rest.reverse(), NOW).tone).toBe(order[i])
    }
  })

  it('shows ? when signed out and ! on an error, and keeps the last number greyed when offline', () => {
    expect(trayModel([account({ phase: 'signed-out', latest: null })], NOW).badge).toBe('?')
    expect(trayModel([account({ problem: problem('invalid-client') })], NOW).badge).toBe('!')
    const offline = trayModel([account({ latest: seats(3) })], NOW, { ...LONDON, online: false })
    expect(offline).toMatchObject({ badge: '3', tone: 'offline' })
    expect(offline.tooltip).toBe('Acme Ltd: 3 of 25 seats free (22 active) · checked 09:15 · offline')
  })

  it('says what is wrong next to the last known numbers', () => {
    const model = trayModel([account({ problem: problem('unreachable') })], NOW, LONDON)
    expect(model.tooltip).toBe(
      'Acme Ltd: 10 of 25 seats free (15 active) · checked 09:15 · Zoho could not be reached',
    )
  })

  it('says it is checking before the first reading arrives', () => {
    const model = trayModel([account({ phase: 'first-poll', latest: null })], NOW)
    expect(model).toMatchObject({ badge: '–', tone: 'stale', tooltip: 'Acme Ltd: checking…' })
  })

  it('invites signing in when there is no account at all', () => {
    expect(trayModel([], NOW)).toEqual({
      badge: '?',
      tone: 'signed-out',
      tooltip: 'Seat Tray: not signed in',
      accountLines: [],
    })
  })

  it('keeps every tooltip line within the 127 characters Windows shows, shortening a long org name first', () => {
    const long =
      'The Extremely Long Name of a Holding Company Limited and Its Subsidiaries in Several Countries'
    const model = trayModel([account({ label: long, problem: problem('server-error') })], NOW, LONDON)
    const [line] = model.accountLines
    expect(line!.length).toBeLessThanOrEqual(127)
    expect(line).toMatch(
      /^The Extremely .*…: 10 of 25 seats free \(15 active\) · checked 09:15 · Zoho had a problem/,
    )
  })
})
