import { describe, expect, it } from 'vitest'
import type { OrgInfo, Snapshot } from '../../common/model'
import { problem } from '../../common/problems'
import { DEFAULT_SETTINGS } from '../../common/settings'
import {
  type AlertInput,
  type AlertMemory,
  evaluateAlerts,
  resolveLowThreshold,
} from '../../main/core/alerts'
import type { Notice } from '../../main/core/ports'

const T0 = Date.UTC(2026, 0, 5, 9)
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const ACME: OrgInfo = {
  id: '1',
  name: 'Acme Ltd',
  paidExpiry: null,
  trialExpiry: null,
  paid: true,
  licensesPurchased: 25,
}

function seats(available: number, purchased = 25, at = T0): Snapshot {
  return { purchased, active: purchased - available, available, at, mismatch: false }
}

function input(overrides: Partial<AlertInput> = {}): AlertInput {
  return {
    accountId: 'acct-1',
    label: 'zoho.eu',
    latest: seats(10),
    problem: null,
    lowAt: 1,
    org: ACME,
    renewalWarnDays: 14,
    notify: { ...DEFAULT_SETTINGS.notify },
    reminderHours: 0,
    snoozedUntil: null,
    locale: 'en-GB',
    ...overrides,
  }
}

/** Feeds readings through evaluateAlerts as the app would, one poll every 15 minutes, collecting every notice. */
class Watcher {
  memory: AlertMemory | undefined
  now = T0
  readonly shown: Notice[] = []

  see(overrides: Partial<AlertInput> = {}): Notice[] {
    const result = evaluateAlerts(this.memory, input(overrides), this.now)
    this.memory = result.memory
    this.shown.push(...result.notices)
    this.now += 15 * MINUTE
    return result.notices
  }

  seeAvailable(...availables: number[]): string[] {
    return availables.flatMap((a) => this.see({ latest: seats(a) }).map((n) => n.kind))
  }

  kinds(): string[] {
    return this.shown.map((n) => n.kind)
  }
}

describe('seat alerts', () => {
  it('notifies once when the last seat is taken, naming the org and the numbers', () => {
    const w = new Watcher()
    w.seeAvailable(3, 2)
    const [notice] = w.see({ latest: seats(0) })
    expect(notice).toEqual({
      kind: 'out',
      accountId: 'acct-1',
      title: 'Seat Tray: no free seats in Acme Ltd',
      body: 'All 25 purchased seats are in use. Free a seat or buy more before adding anyone.',
    })
  })

  it('stays quiet through 100 polls of an unchanged state', () => {
    const w = new Watcher()
    w.seeAvailable(5, 0)
    for (let i = 0; i < 100; i++) w.seeAvailable(0)
    expect(w.kinds()).toEqual(['out'])
  })

  it('warns when seats run low, then when they run out, then when they are freed', () => {
    const w = new Watcher()
    expect(w.seeAvailable(4, 3, 1, 1, 0, 0, 2, 2)).toEqual(['low', 'out', 'freed'])
  })

  it('tells how many seats are left when running low', () => {
    const w = new Watcher()
    w.seeAvailable(5)
    const [notice] = w.see({ latest: seats(2), lowAt: 3 })
    expect(notice?.title).toBe('Seat Tray: 2 seats left in Acme Ltd')
    expect(notice?.body).toBe('2 of 25 seats are free (23 active). The low-seat warning is set at 3 seats.')
  })

  it('does not warn "low" again when one seat comes back after running out (low → out → low)', () => {
    const w = new Watcher()
    expect(w.seeAvailable(5, 1, 0, 1, 0, 1)).toEqual(['low', 'out'])
  })

  it('needs seats above the low mark before saying they are free again', () => {
    const w = new Watcher()
    w.seeAvailable(0)
    expect(w.see({ latest: seats(2), lowAt: 2 })).toEqual([])
    expect(w.see({ latest: seats(3), lowAt: 2 }).map((n) => n.kind)).toEqual(['freed'])
  })

  it('says "freed" once when buying more seats frees some', () => {
    const w = new Watcher()
    w.seeAvailable(0)
    const freed = w.see({ latest: seats(5, 30) })
    expect(freed).toEqual([
      {
        kind: 'freed',
        accountId: 'acct-1',
        title: 'Seat Tray: seats free again in Acme Ltd',
        body: '5 of 30 seats are free (25 active).',
      },
    ])
    for (let i = 0; i < 10; i++) w.see({ latest: seats(5, 30) })
    expect(w.kinds()).toEqual(['out', 'freed'])
  })

  it('announces being out on the very first reading, but never "freed" on a first reading', () => {
    expect(new Watcher().seeAvailable(0)).toEqual(['out'])
    expect(new Watcher().seeAvailable(1)).toEqual(['low'])
    expect(new Watcher().seeAvailable(10)).toEqual([])
  })

  it('does not re-announce after a restart, because the memory survives as JSON', () => {
    const before = new Watcher()
    before.seeAvailable(5, 0)
    const restarted = new Watcher()
    restarted.memory = JSON.parse(JSON.stringify(before.memory))
    expect(restarted.seeAvailable(0, 0, 0)).toEqual([])
    expect(restarted.seeAvailable(4)).toEqual(['freed'])
  })

  it('says when more users are active than seats were bought', () => {
    const w = new Watcher()
    const [notice] = w.see({ latest: { purchased: 25, active: 27, available: 0, at: T0, mismatch: true } })
    expect(notice?.body).toMatch(/^27 users are active on 25 purchased seats\./)
  })

  it('uses the account label until the org name is known', () => {
    const [notice] = new Watcher().see({ latest: seats(0), org: null })
    expect(notice?.title).toBe('Seat Tray: no free seats in zoho.eu')
  })

  it('warns when raising the low mark puts the current count in the low zone', () => {
    const w = new Watcher()
    w.see({ latest: seats(3), lowAt: 1 })
    expect(w.see({ latest: seats(3), lowAt: 5 }).map((n) => n.kind)).toEqual(['low'])
  })
})

describe('errors and stale data', () => {
  it('never moves the seat level while a check is failing', () => {
    const w = new Watcher()
    w.seeAvailable(5)
    // The last good reading is kept through errors; a changed threshold meanwhile must not fire on old data.
    const failing = { latest: seats(5), problem: problem('server-error'), lowAt: 10 }
    for (let i = 0; i < 5; i++) w.see(failing)
    expect(w.kinds()).toEqual([])
    expect(w.memory?.level).toBe('ok')
  })

  it('keeps the level from before an outage when checks come back', () => {
    const w = new Watcher()
    w.seeAvailable(0)
    w.see({ latest: seats(0), problem: problem('offline') })
    w.see({ latest: null, problem: problem('unreachable') })
    expect(w.seeAvailable(0)).toEqual([])
  })
})

describe('sign-in alerts', () => {
  it('asks once to sign in again when Zoho stops accepting the sign-in', () => {
    const w = new Watcher()
    w.seeAvailable(5)
    const revoked = { problem: problem('reauth-needed') }
    const [notice] = w.see(revoked)
    for (let i = 0; i < 20; i++) w.see(revoked)
    expect(w.kinds()).toEqual(['sign-in'])
    expect(notice?.title).toBe('Seat Tray: sign in to Acme Ltd')
    expect(notice?.body).toContain('Sign in again to resume checks.')
  })

  it('asks again next time only after a good check in between', () => {
    const w = new Watcher()
    w.see({ problem: problem('reauth-needed') })
    w.see({ problem: problem('offline') })
    w.see({ problem: problem('reauth-needed') })
    w.seeAvailable(5)
    w.see({ problem: problem('reauth-needed') })
    expect(w.kinds()).toEqual(['sign-in', 'sign-in'])
  })

  it('does not notify about problems that retry by themselves, nor a sign-in the person just cancelled', () => {
    const w = new Watcher()
    for (const kind of [
      'server-error',
      'rate-limited',
      'offline',
      'sign-in-cancelled',
      'sign-in-failed',
    ] as const) {
      w.see({ problem: problem(kind) })
    }
    expect(w.kinds()).toEqual([])
  })
})

describe('renewal alerts', () => {
  it('warns once when the paid period ends within the warning window, with a readable date', () => {
    const w = new Watcher()
    const org = { ...ACME, paidExpiry: '2026-01-20' } // 15 days after T0
    expect(w.see({ org })).toEqual([])
    w.now = T0 + DAY
    const [notice] = w.see({ org })
    expect(notice?.kind).toBe('renewal')
    expect(notice?.title).toBe('Seat Tray: Acme Ltd paid licenses renew in 14 days')
    expect(notice?.body).toContain('20 January 2026')
    for (let i = 0; i < 50; i++) w.see({ org })
    expect(w.kinds()).toEqual(['renewal'])
  })

  it('warns again for the next renewal date', () => {
    const w = new Watcher()
    w.see({ org: { ...ACME, paidExpiry: '2026-01-10' } })
    w.now = T0 + 360 * DAY
    w.see({ org: { ...ACME, paidExpiry: '2027-01-10' } })
    expect(w.kinds()).toEqual(['renewal', 'renewal'])
  })

  it('warns about a trial ending, and ignores a paid org’s leftover trial date and dates already past', () => {
    expect(new Watcher().see({ org: { ...ACME, paid: false, trialExpiry: '2026-01-05' } })[0]?.title).toBe(
      'Seat Tray: Acme Ltd trial ends today',
    )
    expect(new Watcher().see({ org: { ...ACME, paid: true, trialExpiry: '2026-01-06' } })).toEqual([])
    expect(new Watcher().see({ org: { ...ACME, paidExpiry: '2026-01-04' } })).toEqual([])
  })
})

describe('quiet times and settings', () => {
  it('shows nothing while snoozed, and nothing floods out when the snooze ends', () => {
    const w = new Watcher()
    const snoozedUntil = T0 + 2 * HOUR
    w.see({ latest: seats(5), snoozedUntil })
    w.see({ latest: seats(0), snoozedUntil })
    w.see({ problem: problem('reauth-needed'), snoozedUntil })
    expect(w.kinds()).toEqual([])
    w.now = snoozedUntil
    w.see({ latest: seats(0), problem: problem('reauth-needed'), snoozedUntil })
    expect(w.kinds()).toEqual([])
  })

  it('keeps a kind turned off quiet, but remembers it so turning it back on does not replay it', () => {
    const w = new Watcher()
    const notify = { ...DEFAULT_SETTINGS.notify, out: false }
    w.see({ latest: seats(0), notify })
    expect(w.kinds()).toEqual([])
    expect(w.seeAvailable(0)).toEqual([])
    expect(w.seeAvailable(5)).toEqual(['freed'])
  })

  it('reminds every N hours while still out, and never when reminders are off', () => {
    const w = new Watcher()
    const still = { latest: seats(0), reminderHours: 4 }
    for (let i = 0; i < 4 * 9; i++) w.see(still) // 9 hours of polls
    expect(w.kinds()).toEqual(['out', 'out', 'out'])
    expect(w.shown[1]?.title).toBe('Seat Tray: still no free seats in Acme Ltd')

    const off = new Watcher()
    for (let i = 0; i < 4 * 24; i++) off.see({ latest: seats(0), reminderHours: 0 })
    expect(off.kinds()).toEqual(['out'])
  })

  it('reminds with what is true now when one seat came back but it is still low', () => {
    const w = new Watcher()
    w.seeAvailable(0)
    w.now = T0 + 5 * HOUR
    const [notice] = w.see({ latest: seats(1), reminderHours: 4 })
    expect(notice?.title).toBe('Seat Tray: still 1 seat left in Acme Ltd')
  })
})

describe('the low threshold in seats', () => {
  it('takes seats as given', () => {
    expect(resolveLowThreshold({ unit: 'seats', value: 3 }, 25)).toBe(3)
    expect(resolveLowThreshold({ unit: 'seats', value: -2 }, 25)).toBe(0)
  })

  it('rounds a percentage down: low means at most that share of seats free', () => {
    expect(resolveLowThreshold({ unit: 'percent', value: 10 }, 25)).toBe(2)
    expect(resolveLowThreshold({ unit: 'percent', value: 20 }, 25)).toBe(5)
  })

  it('still warns at one free seat for a small org with a percentage threshold, unless the percentage is 0', () => {
    expect(resolveLowThreshold({ unit: 'percent', value: 10 }, 5)).toBe(1)
    expect(resolveLowThreshold({ unit: 'percent', value: 0 }, 5)).toBe(0)
  })
})
