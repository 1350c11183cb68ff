import { describe, expect, it } from 'vitest'
import type { HistoryPoint, SeatHoldersAccess, SeatPrice } from '../../common/model'
import type { Notice } from '../../main/core/ports'
import { renewalSizing, seatCost } from '../../main/core/seat-cost'
import {
  nextDigestAt,
  pendingCounting,
  seatHoldersCsv,
  seatHoldersFileName,
  seatMoves,
  weeklyDigest,
  withSeatHoldersHint,
} from '../../main/core/seat-holders'
import { SeatHoldersTracker } from '../../main/core/seat-holders-tracker'
import { VirtualClock } from '../helpers/virtual-clock'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 5, 1, 12)

/** One reading a day for `days` days up to NOW, `available(i)` free of 25 on day i. */
function daily(days: number, available: (i: number) => number): HistoryPoint[] {
  return Array.from({ length: days }, (_, i) => {
    const a = available(i)
    return { t: NOW - (days - 1 - i) * DAY, purchased: 25, active: 25 - a, available: a }
  })
}

describe('whether pending invites count as used seats', () => {
  it('says counted when used seats equal the active users, invites included', () => {
    expect(pendingCounting(20, 20, 18).kind).toBe('counted')
  })
  it('says not counted when used seats equal the confirmed users only', () => {
    expect(pendingCounting(18, 20, 18).kind).toBe('not-counted')
  })
  it('claims neither when nothing is pending or the numbers match neither', () => {
    expect(pendingCounting(20, 20, 20).kind).toBe('unknown')
    expect(pendingCounting(19, 20, 18)).toMatchObject({
      kind: 'unknown',
      text: expect.stringMatching(/neither/),
    })
    expect(pendingCounting(null, 20, 18).kind).toBe('unknown')
  })
})

describe('what free seats cost', () => {
  it('turns a monthly price per seat into the free seats’ cost per month and year, in the price’s currency', () => {
    expect(seatCost({ amount: 40, per: 'month', currency: 'EUR' }, 3, 'en-GB')).toEqual({
      freeSeats: 3,
      perMonth: '€120',
      perYear: '€1,440',
    })
  })
  it('divides a yearly price over twelve months', () => {
    expect(seatCost({ amount: 480, per: 'year', currency: 'USD' }, 2, 'en-US')).toMatchObject({
      perMonth: '$80',
      perYear: '$960',
    })
  })
  it('writes the amount the way the person’s locale does', () => {
    expect(seatCost({ amount: 40, per: 'month', currency: 'EUR' }, 3, 'de-DE').perYear).toBe('1.440\u00a0€')
  })
})

describe('sizing the renewal from 90 days of history', () => {
  const expiry = '2026-07-01'
  it('says how many fewer seats would have done, and what that saves a year', () => {
    const points = daily(90, (i) => (i === 40 ? 2 : 5))
    const sizing = renewalSizing({
      points,
      now: NOW,
      paidExpiry: expiry,
      price: { amount: 40, per: 'month', currency: 'USD' },
      locale: 'en-US',
    })
    expect(sizing).toEqual({
      kind: 'fewer',
      seats: 2,
      text: 'At least 2 seats stayed free over the last 90 days: you could renew with 2 fewer (≈ $960 a year).',
    })
  })
  it('says every seat was needed, and how many more the growth suggests', () => {
    const points = daily(90, (i) => Math.max(0, 3 - Math.floor(i / 20)))
    expect(renewalSizing({ points, now: NOW, paidExpiry: expiry, price: null })).toEqual({
      kind: 'more',
      seats: 3,
      text: 'You needed every seat over the last 90 days: consider 3 more.',
    })
  })
  it('says over how many days when Seat Tray has watched fewer than 90', () => {
    const sizing = renewalSizing({ points: daily(20, () => 4), now: NOW, paidExpiry: expiry, price: null })
    expect(sizing?.text).toMatch(/over the 19 days Seat Tray has watched/)
  })
  it('leaves out readings older than 90 days, and says nothing without a renewal ahead or any history', () => {
    const old = [{ t: NOW - 200 * DAY, purchased: 25, active: 25, available: 0 }, ...daily(90, () => 5)]
    expect(renewalSizing({ points: old, now: NOW, paidExpiry: expiry, price: null })?.kind).toBe('fewer')
    expect(
      renewalSizing({ points: daily(90, () => 5), now: NOW, paidExpiry: '2026-01-01', price: null }),
    ).toBeNull()
    expect(renewalSizing({ points: daily(90, () => 5), now: NOW, paidExpiry: null, price: null })).toBeNull()
    expect(renewalSizing({ points: [], now: NOW, paidExpiry: expiry, price: null })).toBeNull()
  })
})

describe('the "seats ran out" notification', () => {
  const out: Notice = {
    kind: 'out',
    accountId: 'a',
    title: 'Seat Tray: no free seats in Acme',
    body: 'All 25 purchased seats are in use. Free a seat or buy more before adding anyone.',
  }
  const allowed = (
    pendingInvites: number,
    pendingCounting: 'counted' | 'not-counted' | 'unknown' = 'counted',
  ): SeatHoldersAccess => ({
    kind: 'allowed',
    pendingInvites,
    staleInvites: 0,
    pendingCounting,
    checkedAt: NOW,
    creditsPerDay: 3,
  })
  it('names what can be done: 2 invites never accepted hold seats', () => {
    expect(withSeatHoldersHint(out, allowed(2)).body).toBe(`${out.body} 2 invites never accepted hold seats.`)
    expect(withSeatHoldersHint(out, allowed(1)).body).toMatch(/1 invite never accepted holds a seat\.$/)
  })
  it('says nothing of invites when there are none, when they hold no seat here, or without the scope', () => {
    expect(withSeatHoldersHint(out, allowed(0))).toEqual(out)
    expect(withSeatHoldersHint(out, allowed(2, 'not-counted'))).toEqual(out)
    expect(withSeatHoldersHint(out, { kind: 'consent-needed', offer: 'x' })).toEqual(out)
    expect(withSeatHoldersHint(out, undefined)).toEqual(out)
  })
  it('leaves every other notification as it was', () => {
    const low = { ...out, kind: 'low' as const }
    expect(withSeatHoldersHint(low, allowed(2))).toEqual(low)
  })
  it('offers “Show who” when invites never accepted hold the seats, opening who holds them', () => {
    expect(withSeatHoldersHint(out, allowed(2)).action).toEqual({ label: 'Show who', opens: 'seat-holders' })
    expect(withSeatHoldersHint(out, allowed(1, 'unknown')).action).toEqual({
      label: 'Show who',
      opens: 'seat-holders',
    })
  })
  it('offers no “Show who” when nothing can be freed or Seat Tray may not see who holds the seats', () => {
    for (const access of [
      allowed(0),
      allowed(3, 'not-counted'),
      { kind: 'consent-needed', offer: 'x' } as const,
    ]) {
      expect(withSeatHoldersHint(out, access).action).toBeUndefined()
    }
    expect(withSeatHoldersHint(out, { kind: 'not-yet' }).action).toBeUndefined()
    expect(withSeatHoldersHint(out, undefined).action).toBeUndefined()
  })
})

describe('the weekly digest', () => {
  it('goes out on Monday at 09:00 local time, once a week, in virtual time across a week', async () => {
    // Tuesday 2026-01-06 10:00 local.
    const clock = new VirtualClock(new Date(2026, 0, 6, 10).getTime())
    const sent: number[] = []
    const arm = () => {
      const at = nextDigestAt(clock.now())
      clock.setTimeout(() => {
        sent.push(clock.now())
        arm()
      }, at - clock.now())
    }
    arm()
    await clock.advance(20 * DAY)
    expect(sent.map((t) => new Date(t).toString().slice(0, 21))).toEqual([
      new Date(2026, 0, 12, 9).toString().slice(0, 21),
      new Date(2026, 0, 19, 9).toString().slice(0, 21),
      new Date(2026, 0, 26, 9).toString().slice(0, 21),
    ])
    for (const t of sent) expect([new Date(t).getDay(), new Date(t).getHours()]).toEqual([1, 9])
  })
  it('on a Monday before 09:00 goes out that morning; at 09:00 exactly, the next Monday', () => {
    const monday7 = new Date(2026, 0, 12, 7).getTime()
    expect(nextDigestAt(monday7)).toBe(new Date(2026, 0, 12, 9).getTime())
    expect(nextDigestAt(new Date(2026, 0, 12, 9).getTime())).toBe(new Date(2026, 0, 19, 9).getTime())
  })
  it('says the seats taken and freed that week, pending invites and the renewal countdown', () => {
    const points: HistoryPoint[] = [
      { t: NOW - 6 * DAY, purchased: 25, active: 20, available: 5 },
      { t: NOW - 4 * DAY, purchased: 25, active: 23, available: 2 },
      { t: NOW - 2 * DAY, purchased: 25, active: 22, available: 3 },
    ]
    expect(seatMoves(points)).toEqual({ taken: 3, freed: 1 })
    const digest = weeklyDigest({
      accountId: 'a',
      label: 'Zoho CRM (US)',
      points,
      access: {
        kind: 'allowed',
        pendingInvites: 2,
        staleInvites: 1,
        pendingCounting: 'counted',
        checkedAt: NOW,
        creditsPerDay: 3,
      },
      org: {
        id: '1',
        name: 'Acme',
        paidExpiry: '2026-06-15',
        trialExpiry: null,
        paid: true,
        licensesPurchased: 25,
      },
      now: NOW,
    })
    expect(digest).toEqual({
      kind: 'digest',
      accountId: 'a',
      title: 'Seat Tray: the week in Acme',
      body: 'This week: 3 seats taken, 1 freed. 3 of 25 seats free now. 2 invites still pending. Licenses renew in 14 days.',
    })
  })
})

describe('exporting the seat holders', () => {
  it('writes one CSV row per holder, pending invites first, with names a spreadsheet cannot run as formulas', async () => {
    const clock = new VirtualClock(NOW)
    const user = (id: string, name: string, confirmed: boolean, days: number) => ({
      id,
      name,
      email: `${id}@zylker.example`,
      role: 'Sales Rep',
      profile: 'Standard',
      active: true,
      confirmed,
      createdAt: NOW - days * DAY,
    })
    const tracker = new SeatHoldersTracker({
      accountId: 'a',
      clock,
      fetchFacts: async () => ({
        active: [user('1', '=HYPERLINK("http://evil")', true, 400), user('2', 'Ben "B" Berg', false, 9)],
        activeConfirmedCount: 1,
        deactivatedCount: 0,
        requests: 3,
        truncated: false,
      }),
      context: () => ({
        snapshot: null,
        org: null,
        apiDomain: 'https://www.zohoapis.com',
        history: [],
        price: null,
      }),
    })
    const answer = await tracker.onDemand()
    if (answer.kind !== 'holders') throw new Error('no holders')
    expect(seatHoldersCsv(answer.view).split('\r\n')).toEqual([
      'name,email,state,pending_days,role,profile,created',
      `"Ben ""B"" Berg","2@zylker.example",pending,9,"Sales Rep","Standard",${new Date(NOW - 9 * DAY).toISOString()}`,
      `"'=HYPERLINK(""http://evil"")","1@zylker.example",confirmed,,"Sales Rep","Standard",${new Date(NOW - 400 * DAY).toISOString()}`,
      '',
    ])
  })
})

describe('the list an export saves', () => {
  it('is the one in memory, priced at the seat price set since, and exporting it never asks Zoho', async () => {
    let fetches = 0
    let price: SeatPrice | null = null
    const tracker = new SeatHoldersTracker({
      accountId: 'a',
      clock: new VirtualClock(NOW),
      fetchFacts: async () => {
        fetches++
        return {
          active: [
            {
              id: '1',
              name: 'Ava Okafor',
              email: 'ava@zylker.example',
              role: 'CEO',
              profile: 'Administrator',
              active: true,
              confirmed: true,
              createdAt: NOW - 400 * DAY,
            },
          ],
          activeConfirmedCount: 1,
          deactivatedCount: 0,
          requests: 3,
          truncated: false,
        }
      },
      context: () => ({
        snapshot: { purchased: 4, active: 1, available: 3, at: NOW, mismatch: false },
        org: null,
        apiDomain: 'https://www.zohoapis.com',
        history: [],
        price,
      }),
    })
    expect(tracker.current()).toBeNull()
    await tracker.onDemand()
    expect(tracker.current()?.cost).toBeNull()
    price = { amount: 40, per: 'month', currency: 'EUR' }
    expect(tracker.current()?.cost).toMatchObject({ freeSeats: 3, perYear: expect.stringMatching(/1,?440/) })
    expect(seatHoldersCsv(tracker.current()!)).toContain('"ava@zylker.example"')
    expect(fetches).toBe(1)
  })
})

describe('the file name an export suggests', () => {
  // 27 November 2026, 23:30 in the local time zone: the date is the person's, not UTC's.
  const at = new Date(2026, 10, 27, 23, 30).getTime()
  it('names the org and the day, so a folder of exports sorts and reads at a glance', () => {
    expect(seatHoldersFileName('Acme Ltd', at)).toBe('seat-holders-acme-ltd-2026-11-27.csv')
    expect(seatHoldersFileName('Zylker Träders GmbH & Co.', at)).toBe(
      'seat-holders-zylker-träders-gmbh-co-2026-11-27.csv',
    )
  })
  it('keeps an org name from leaving the folder or naming a device, and never comes out empty', () => {
    for (const hostile of ['../../etc/passwd', 'C:\\Windows\\x', 'a/b', '<>:"|?*', '   ', '', '.', 'CON']) {
      const name = seatHoldersFileName(hostile, at)
      expect(name, hostile).toMatch(/^seat-holders-[\p{L}\p{N}-]+-2026-11-27\.csv$/u)
      expect(name, hostile).not.toMatch(/[/\\:]|\.\./)
    }
    expect(seatHoldersFileName('', at)).toBe('seat-holders-org-2026-11-27.csv')
    expect(seatHoldersFileName('x'.repeat(500), at).length).toBeLessThanOrEqual(80)
  })
})

describe('links to where a seat is freed', () => {
  it("opens a listed user's page in Zoho CRM, and the org's Users page for an id it never listed", async () => {
    const clock = new VirtualClock(NOW)
    const tracker = new SeatHoldersTracker({
      accountId: 'eu-1',
      clock,
      fetchFacts: async () => ({
        active: [
          {
            id: '4150868000000300001',
            name: 'Ava Okafor',
            email: 'ava@zylker.example',
            role: 'CEO',
            profile: 'Administrator',
            active: true,
            confirmed: false,
            createdAt: NOW - 9 * DAY,
          },
        ],
        activeConfirmedCount: 0,
        deactivatedCount: 0,
        requests: 3,
        truncated: false,
      }),
      context: () => ({
        snapshot: { purchased: 1, active: 1, available: 0, at: NOW, mismatch: false },
        org: {
          id: '1',
          name: 'Zylker',
          paidExpiry: null,
          trialExpiry: null,
          paid: true,
          licensesPurchased: 1,
          crmDomain: 'org700000002',
        },
        apiDomain: 'https://www.zohoapis.eu',
        history: [],
        price: null,
      }),
    })
    const users = 'https://crm.zoho.eu/crm/org700000002/settings/users'
    // Before any list: the Users page.
    expect(tracker.link('4150868000000300001')).toBe(users)
    await tracker.onDemand()
    expect(tracker.link('4150868000000300001')).toBe(`${users}/4150868000000300001`)
    expect(tracker.link('999')).toBe(users)
    expect(tracker.link()).toBe(users)
  })
})
