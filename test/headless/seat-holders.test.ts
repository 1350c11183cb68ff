/**
 * Who holds the seats, through the whole engine (core/app.ts on Node adapters) against the simulator over loopback
 * HTTP, on one virtual clock shared by the app and the simulator so invite ages and "once a day" are exact.
 * Every test counts the users requests at the simulator: seat holders must never cost more than they say.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { SeatHoldersView } from '../../common/model'
import type { AccountRecord } from '../../common/settings'
import type { Notice } from '../../main/core/ports'
import { USERS_CONSENT_OFFER } from '../../main/core/seat-holders'
import { ON_DEMAND_REUSE_MS } from '../../main/core/seat-holders-tracker'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'
import { type Headless, MemorySettings, MemoryVault, startHeadless } from '../helpers/headless'
import { VirtualClock } from '../helpers/virtual-clock'

let sim: Simulator
let h: Headless
let clock: VirtualClock
/** Every notification shown, with when (on the virtual clock). */
let shown: { notice: Notice; at: number }[]

afterEach(async () => {
  await h?.app.stop()
  if (h) rmSync(h.dataDir, { recursive: true, force: true })
  await sim?.close()
})

async function watching(o: { scenario?: ScenarioName; scopes?: string[] } = {}): Promise<void> {
  clock = new VirtualClock(Date.now())
  sim = await startSimulator({ scenario: o.scenario ?? 'steady', clock })
  const record: AccountRecord = {
    id: 'us-1',
    dataCenter: 'US',
    accountsServer: sim.accountsServer,
    apiDomain: sim.apiDomain,
    orgId: '1',
    orgName: 'Zylker Traders',
    addedAt: 0,
  }
  const settings = new MemorySettings()
  settings.saved.accounts = [record]
  const vault = new MemoryVault()
  await vault.set('refresh:us-1', o.scopes ? sim.control.mintRefreshToken(o.scopes) : sim.refreshToken)
  shown = []
  h = startHeadless({
    buildClient: sim.client,
    settings,
    vault,
    clock,
    random: () => 0.5,
    notifier: { show: (notice) => shown.push({ notice, at: clock.now() }) },
  })
  await h.app.start()
  await until(() => account()?.phase === 'ready' && account()?.nextCheckAt !== null)
}

const account = () => h.app.state().accounts[0]
const usersRequests = () => sim.control.requests().filter((r) => r.path.includes('/users')).length

/** Fires the poller's timer and waits (in real time: the HTTP is real) until that check has ended. */
async function nextPoll(): Promise<void> {
  const before = account()?.lastAttemptAt
  await clock.advance(16 * 60_000)
  await until(
    () => account()?.lastAttemptAt !== before && !account()?.refreshing && account()?.nextCheckAt !== null,
  )
}

/** Opens the view once the list read at the first check is too old to reuse (see ON_DEMAND_REUSE_MS). */
async function freshHolders(): Promise<SeatHoldersView> {
  await clock.advance(ON_DEMAND_REUSE_MS)
  return holders()
}

async function holders(): Promise<SeatHoldersView> {
  const answer = await h.app.getSeatHolders('us-1')
  if (answer.kind !== 'holders') throw new Error(`expected holders, got ${answer.kind}`)
  return answer.view
}

describe('who holds the seats', () => {
  it('lists pending invites first, oldest first with their age, and suggests freeing the one older than 7 days', async () => {
    await watching()
    const view = await holders()
    expect(view.holders).toHaveLength(20)
    expect(view.holders.slice(0, 2).map((x) => [x.state, x.pendingDays])).toEqual([
      ['pending', 12],
      ['pending', 3],
    ])
    expect(view.holders.slice(2).every((x) => x.state === 'confirmed')).toBe(true)
    expect(view.pendingInvites).toBe(2)
    expect(view.deactivatedUsers).toBe(2)
    expect(view.suggestions).toHaveLength(1)
    expect(view.suggestions[0]).toMatchObject({ holderId: view.holders[0]!.id })
    expect(view.suggestions[0]!.text).toMatch(/12 days ago and never accepted/)
    // The confirmed users come by profile, then role, then name: the administrator first.
    expect(view.holders[2]).toMatchObject({ profile: 'Administrator', role: 'CEO' })
  })

  it('an invite crosses into a suggestion once it is older than 7 days, as the days go by', async () => {
    await watching()
    sim.control.setPeople({ pendingAgesDays: [6] })
    expect((await freshHolders()).suggestions).toEqual([])
    await clock.advance(2 * 86_400_000)
    const later = await holders()
    expect(later.holders[0]).toMatchObject({ state: 'pending', pendingDays: 8 })
    expect(later.suggestions).toHaveLength(1)
  })

  it('finds out that this org counts pending invites as used seats, by comparing Zoho’s counts', async () => {
    await watching()
    const view = await holders()
    expect(view.pendingCounting).toBe('counted')
    expect(view.pendingCountingText).toMatch(/20 used = 18 confirmed users \+ 2 pending invites/)
  })

  it('finds out that an org does not count pending invites, and then suggests nothing to free', async () => {
    await watching()
    sim.control.setPeople({ pendingCounted: false })
    const view = await freshHolders()
    expect(view.pendingCounting).toBe('not-counted')
    expect(view.holders).toHaveLength(22)
    expect(view.suggestions).toEqual([])
  })

  it('says it cannot tell whether invites count while none is pending', async () => {
    await watching()
    sim.control.setPeople({ pendingAgesDays: [] })
    expect((await freshHolders()).pendingCounting).toBe('unknown')
  })

  it('opening the view reads Zoho, but opening it again within minutes shows the same list without asking again', async () => {
    await watching()
    const first = usersRequests()
    // The first check has just read them: the view shows that list.
    await holders()
    expect(usersRequests()).toBe(first)
    await freshHolders()
    await holders()
    await holders()
    expect(usersRequests() - first).toBe(3)
  })
})

describe('fetched sparingly', () => {
  it('reads seat holders once a day while it checks seats every 15 minutes, and shows the credits that costs', async () => {
    await watching()
    // The first check read them: one page of users and two counts.
    expect(usersRequests()).toBe(3)
    expect(account()?.seatHolders).toMatchObject({ kind: 'allowed', pendingInvites: 2, creditsPerDay: 3 })
    expect(account()?.callsPerDay).toBe(96)
    let polls = 0
    while (clock.monotonicNow() < 23 * 3_600_000) {
      await nextPoll()
      polls++
    }
    expect(polls).toBeGreaterThan(80)
    expect(usersRequests()).toBe(3)
    while (clock.monotonicNow() < 25 * 3_600_000) await nextPoll()
    expect(usersRequests()).toBe(6)
  }, 60_000)
})

describe('a sign-in made before Seat Tray asked for ZohoCRM.users.READ', () => {
  it('keeps checking seats with no problem shown, offers the new consent, and never asks for users again', async () => {
    await watching({ scopes: ['ZohoCRM.features.READ', 'ZohoCRM.org.READ'] })
    expect(account()).toMatchObject({ problem: null, tone: 'ok', latest: { available: 5 } })
    expect(account()?.seatHolders).toEqual({ kind: 'consent-needed', offer: USERS_CONSENT_OFFER })
    expect(USERS_CONSENT_OFFER).toBe('Allow Seat Tray to see who holds seats')
    expect(await h.app.getSeatHolders('us-1')).toEqual({ kind: 'consent-needed', offer: USERS_CONSENT_OFFER })
    while (clock.monotonicNow() < 26 * 3_600_000) await nextPoll()
    expect(account()?.problem).toBeNull()
    // One users request found the scope missing; none since, however long it runs.
    expect(usersRequests()).toBe(1)
    expect(sim.control.requests().filter((r) => r.path.includes('user_licenses')).length).toBeGreaterThan(90)
  }, 60_000)
})

describe('when the last seat goes to a pending invite', () => {
  it('the "seats ran out" notification says that 2 invites never accepted hold seats', async () => {
    await watching({ scenario: 'pending-invite' })
    expect(account()?.latest?.available).toBe(1)
    await nextPoll()
    expect(account()?.latest?.available).toBe(0)
    const out = shown.map((s) => s.notice).filter((n) => n.kind === 'out')
    expect(out).toHaveLength(1)
    expect(out[0]!.body).toMatch(/2 invites never accepted hold seats\.$/)
    // The run-out look is one more fetch (3 requests), taken once, not at every check while out.
    expect(usersRequests()).toBe(6)
    for (let i = 0; i < 8; i++) await nextPoll()
    expect(usersRequests()).toBe(6)
  }, 30_000)

  it('the notification offers “Show who”, which leads to who holds the seats', async () => {
    await watching({ scenario: 'pending-invite' })
    await nextPoll()
    const out = shown.map((s) => s.notice).filter((n) => n.kind === 'out')
    expect(out).toEqual([
      {
        kind: 'out',
        accountId: 'us-1',
        title: 'Seat Tray: no free seats in Zylker Traders',
        body: 'All 25 purchased seats are in use. Free a seat or buy more before adding anyone. 2 invites never accepted hold seats.',
        action: { label: 'Show who', opens: 'seat-holders' },
      },
    ])
    // Offering the button costs nothing: the same one run-out look as without it.
    expect(usersRequests()).toBe(6)
  }, 30_000)

  it('a sign-in that may not see who holds the seats gets the notification without “Show who”', async () => {
    await watching({ scenario: 'pending-invite', scopes: ['ZohoCRM.features.READ', 'ZohoCRM.org.READ'] })
    await nextPoll()
    const out = shown.map((s) => s.notice).filter((n) => n.kind === 'out')
    expect(out).toHaveLength(1)
    expect(out[0]!.body).toBe(
      'All 25 purchased seats are in use. Free a seat or buy more before adding anyone.',
    )
    expect(out[0]!.action).toBeUndefined()
    // The one users request that found the scope missing, and none when the seats ran out.
    expect(usersRequests()).toBe(1)
  }, 30_000)
})

describe('what seats cost', () => {
  it('prices the free seats and sizes the renewal once a seat price is set', async () => {
    await watching()
    expect((await holders()).cost).toBeNull()
    await h.app.updateSettings({ seatPrice: { amount: 40, per: 'month', currency: 'USD' } })
    const view = await freshHolders()
    expect(view.cost).toMatchObject({ freeSeats: 5, perMonth: expect.stringMatching(/200/) })
    expect(view.cost?.perYear).toMatch(/2[,.\s\u00a0\u202f]?400/)
    // The simulator's paid period ends in 200 days; 5 seats stayed free the whole time watched.
    expect(view.renewal).toMatchObject({ kind: 'fewer', seats: 5 })
    expect(view.renewal?.text).toMatch(
      /you could renew with 5 fewer \(≈ .*2[,.\s\u00a0\u202f]?400.* a year\)/,
    )
  })

  it('shows what free seats cost as soon as a price is set, without asking Zoho for the list again', async () => {
    await watching()
    expect((await holders()).cost).toBeNull()
    const before = sim.control.requests().length
    // The person follows "Set a seat price" from the list and comes straight back: the list is a minute old.
    await clock.advance(60_000)
    await h.app.updateSettings({ seatPrice: { amount: 40, per: 'month', currency: 'USD' } })
    const view = await holders()
    expect(view.cost).toMatchObject({ freeSeats: 5, perMonth: expect.stringMatching(/200/) })
    expect(view.renewal?.text).toMatch(/you could renew with 5 fewer \(≈ /)
    // Cleared again: no cost, and the renewal sizing stays without a saving.
    await h.app.updateSettings({ seatPrice: null })
    const cleared = await holders()
    expect(cleared.cost).toBeNull()
    expect(cleared.renewal?.text).not.toMatch(/≈/)
    expect(sim.control.requests().length - before).toBe(0)
  })

  it('the overview says what the free seats cost once a price is set, at once and without asking Zoho', async () => {
    await watching()
    expect(account()?.seatCost).toBeNull()
    const before = sim.control.requests().length
    await h.app.updateSettings({ seatPrice: { amount: 480, per: 'year', currency: 'EUR' } })
    expect(account()?.seatCost).toMatchObject({ freeSeats: 5, perMonth: expect.stringMatching(/200/) })
    expect(h.states.at(-1)?.accounts[0]?.seatCost?.perYear).toMatch(/2[,.\s\u00a0\u202f]?400/)
    await h.app.updateSettings({ seatPrice: null })
    expect(account()?.seatCost).toBeNull()
    expect(sim.control.requests().length - before).toBe(0)
  })

  it('refuses a price in a currency that does not exist, keeping the settings as they were', async () => {
    await watching()
    for (const currency of ['ABC', 'euro', '']) {
      await expect(
        h.app.updateSettings({ seatPrice: { amount: 40, per: 'month', currency } }),
      ).rejects.toThrow(/currency code such as EUR or USD/)
    }
    expect((await h.app.getSettings()).seatPrice).toBeNull()
  })
})

describe('the weekly digest', () => {
  it('is off unless the person turns it on; then it comes on Monday at 09:00 local time, once a week', async () => {
    await watching()
    // No checks while the days go by: the digest is read from history and needs none.
    h.app.pause('suspend')
    await clock.advance(8 * 86_400_000)
    expect(shown.filter((s) => s.notice.kind === 'digest')).toEqual([])
    await h.app.updateSettings({ notify: { digest: true } })
    await clock.advance(14 * 86_400_000)
    const digests = shown.filter((s) => s.notice.kind === 'digest')
    expect(digests).toHaveLength(2)
    for (const { at } of digests) expect([new Date(at).getDay(), new Date(at).getHours()]).toEqual([1, 9])
    expect(digests[1]!.at - digests[0]!.at).toBe(7 * 86_400_000)
    expect(digests[0]!.notice.title).toBe('Seat Tray: the week in Zylker Traders')
    expect(digests[0]!.notice.body).toMatch(/2 invites still pending\. Licenses renew in \d+ days\.$/)
    // Nothing was asked of Zoho for them.
    expect(sim.control.requests().filter((r) => r.at > clock.now() - 14 * 86_400_000)).toEqual([])
    // Turned off again: no timer is left waiting, and no digest comes.
    const timers = clock.pending()
    await h.app.updateSettings({ notify: { digest: false } })
    expect(clock.pending()).toBe(timers - 1)
    await clock.advance(14 * 86_400_000)
    expect(shown.filter((s) => s.notice.kind === 'digest')).toHaveLength(2)
  })
})

describe('personal data', () => {
  it('keeps names and emails in memory only: nothing Seat Tray writes holds them', async () => {
    await watching()
    const view = await holders()
    for (let i = 0; i < 3; i++) await nextPoll()
    await h.app.stop()
    const written = filesUnder(h.dataDir).map((f) => readFileSync(f, 'utf8'))
    written.push(JSON.stringify(h.settings.saved), JSON.stringify(h.states), JSON.stringify(shown))
    for (const holder of view.holders) {
      for (const text of written) {
        expect(text).not.toContain(holder.email)
        expect(text).not.toContain(holder.name)
      }
    }
    expect(written.length).toBeGreaterThan(3)
  })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

async function until(condition: () => boolean | undefined, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 5))
  }
  await new Promise((r) => setImmediate(r))
}
