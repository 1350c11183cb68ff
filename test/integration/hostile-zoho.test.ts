/**
 * The whole app (on Node adapters and the virtual clock) against a stand-in Zoho on real loopback HTTP that answers
 * the odd and hostile things a real network can: month-long Retry-After values, empty answers, a proxy's pages.
 * Every test counts the requests that reached the stand-in: a tray app runs for months and must never storm Zoho.
 */
import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { type Headless, signedInTo, startHeadless } from '../helpers/headless'
import { VirtualClock } from '../helpers/virtual-clock'
import { runVirtually } from '../helpers/virtual-run'
import { goodLicenses, json, type StandIn, startStandIn } from '../helpers/zoho-stand-in'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const MINUTE = 60_000

let zoho: StandIn | undefined
let running: Headless | undefined
afterEach(async () => {
  await running?.app.stop()
  if (running) rmSync(running.dataDir, { recursive: true, force: true })
  running = undefined
  await zoho?.close()
  zoho = undefined
})

/** A signed-in app pointed at the stand-in, started, with its first check done. */
async function appOn(standIn: StandIn, clock: VirtualClock): Promise<Headless> {
  const zoho = {
    accountsServer: standIn.origin,
    apiDomain: standIn.origin,
    refreshToken: standIn.refreshToken,
  }
  const { settings, vault } = await signedInTo(zoho, 'acct')
  running = startHeadless({ clock, buildClient: standIn.client, settings, vault })
  await running.app.start()
  await runVirtually(clock, 0, { busy: () => busy(standIn) })
  return running
}

/** A request on the wire, or a check the app has not finished with (it may be between two requests). */
function busy(standIn: StandIn): boolean {
  return standIn.inFlight() > 0 || (running?.app.state().accounts.some((a) => a.refreshing) ?? false)
}

/** Runs the app for `ms` of virtual time, failing fast (not after a virtual day) if it starts a storm. */
function runFor(clock: VirtualClock, standIn: StandIn, ms: number, stormAt = 500) {
  return runVirtually(clock, ms, {
    busy: () => busy(standIn),
    guard: () => {
      if (standIn.licenseRequests() > stormAt) {
        throw new Error(`request storm: ${standIn.licenseRequests()} license requests`)
      }
    },
  })
}

const tooManyRequests = (retryAfter: string) =>
  ((res) =>
    json(
      res,
      429,
      { code: 'TOO_MANY_REQUESTS', details: {}, message: 'too many requests', status: 'error' },
      { 'retry-after': retryAfter },
    )) satisfies Parameters<typeof startStandIn>[0]

describe('a Retry-After far in the future', () => {
  it('asks Zoho a handful of times a day, not hundreds a second, when Zoho says Retry-After: a month', async () => {
    const clock = new VirtualClock()
    zoho = await startStandIn(tooManyRequests('2592000'))
    const h = await appOn(zoho, clock)
    await runFor(clock, zoho, DAY)
    // 6 h is the longest wait honoured: the first answer, then one check every 6 h (±10 %).
    expect(zoho.licenseRequests()).toBeLessThanOrEqual(6)
    expect(zoho.licenseRequests()).toBeGreaterThanOrEqual(4)
    // An access token lives an hour: one per check 6 h apart, never more.
    expect(zoho.tokenRequests()).toBeLessThanOrEqual(zoho.licenseRequests())
    expect(clock.overflows).toBe(0)
    expect(h.app.state().accounts[0]?.problem?.kind).toBe('rate-limited')
  })

  it('asks Zoho a handful of times a day when Retry-After is an HTTP date a year ahead', async () => {
    const clock = new VirtualClock()
    zoho = await startStandIn(tooManyRequests(new Date(clock.now() + 365 * DAY).toUTCString()))
    await appOn(zoho, clock)
    await runFor(clock, zoho, DAY)
    expect(zoho.licenseRequests()).toBeLessThanOrEqual(6)
    expect(zoho.licenseRequests()).toBeGreaterThanOrEqual(4)
    expect(clock.overflows).toBe(0)
  })

  it('comes back to normal checks once Zoho answers again after a long Retry-After', async () => {
    const clock = new VirtualClock()
    zoho = await startStandIn(tooManyRequests('2592000'))
    const h = await appOn(zoho, clock)
    zoho.script(goodLicenses)
    await runFor(clock, zoho, 7 * HOUR)
    expect(h.app.state().accounts[0]?.latest?.available).toBe(5)
  })
})

const page = (status: number, html: string) =>
  ((res) => {
    res.writeHead(status, { 'content-type': 'text/html' })
    res.end(html)
  }) satisfies Parameters<typeof startStandIn>[0]

const ODD_ANSWERS = {
  'an empty 200': page(200, ''),
  'a 204 (no content)': ((res) => {
    res.writeHead(204).end()
  }) satisfies Parameters<typeof startStandIn>[0],
  'a captive portal’s 404 page': page(404, '<html><body>Not found</body></html>'),
  'a proxy’s 403 page': page(403, '<html><body>Access denied by policy</body></html>'),
  'an empty 403': page(403, ''),
}

describe('an odd answer that is not one of Zoho’s error codes', () => {
  for (const [what, answer] of Object.entries(ODD_ANSWERS)) {
    it(`keeps checking with backoff after ${what}, and never asks anyone to sign in`, async () => {
      const clock = new VirtualClock()
      zoho = await startStandIn(answer)
      const h = await appOn(zoho, clock)
      await runFor(clock, zoho, DAY)
      // The backoff schedule over a day: 30 s, 1, 2 … 16 min, then every 30 min (±10 %): about 55 checks.
      expect(zoho.licenseRequests()).toBeGreaterThanOrEqual(45)
      expect(zoho.licenseRequests()).toBeLessThanOrEqual(60)
      // One access token an hour, as when all is well: an odd answer is not taken for a rejected token.
      expect(zoho.tokenRequests()).toBeLessThanOrEqual(25)
      const account = h.app.state().accounts[0]!
      expect(account.nextCheckAt).not.toBeNull()
      expect(h.notices.filter((n) => n.kind === 'sign-in')).toEqual([])
      expect(account.problem?.action).not.toBe('sign-in')
      zoho.script((res) => goodLicenses(res, 0, undefined as never))
      // The wait under way is at most the 30-minute backoff cap plus 10 % jitter.
      await runFor(clock, zoho, 34 * MINUTE)
      expect(h.app.state().accounts[0]?.latest?.available).toBe(5)
    })
  }
})

describe('Zoho’s own error codes that only a person can fix', () => {
  const zohoNotFound: Parameters<typeof startStandIn>[0] = (res) =>
    json(res, 404, {
      code: 'INVALID_URL_PATTERN',
      details: {},
      message: 'Please check if the URL trying to access is a correct one',
      status: 'error',
    })

  it('stops checking only after the same answer on two checks in a row, and asks to sign in once', async () => {
    const clock = new VirtualClock()
    zoho = await startStandIn(zohoNotFound)
    const h = await appOn(zoho, clock)
    await runFor(clock, zoho, DAY)
    expect(zoho.licenseRequests()).toBe(2)
    const account = h.app.state().accounts[0]!
    expect(account.problem?.kind).toBe('not-found')
    expect(account.nextCheckAt).toBeNull()
    expect(h.notices.filter((n) => n.kind === 'sign-in')).toHaveLength(1)
  })

  it('keeps checking when one such answer comes between good ones', async () => {
    const clock = new VirtualClock()
    zoho = await startStandIn((res, n) =>
      n === 1 ? zohoNotFound(res, n, undefined as never) : goodLicenses(res, n, undefined as never),
    )
    const h = await appOn(zoho, clock)
    await runFor(clock, zoho, HOUR)
    const account = h.app.state().accounts[0]!
    expect(account.latest?.available).toBe(5)
    expect(account.nextCheckAt).not.toBeNull()
    expect(zoho.licenseRequests()).toBeGreaterThanOrEqual(3)
  })
})

describe('a wall clock that jumps', () => {
  it('checks again after Zoho’s 15-minute token throttle, not a day later, when the clock is set back a day', async () => {
    const clock = new VirtualClock()
    zoho = await startStandIn()
    zoho.throttleTokens(true)
    const h = await appOn(zoho, clock)
    expect(h.app.state().accounts[0]?.problem?.kind).toBe('token-throttled')
    zoho.throttleTokens(false)
    clock.jumpWallClock(-DAY)
    await runFor(clock, zoho, 17 * MINUTE)
    expect(h.app.state().accounts[0]?.latest?.available).toBe(5)
    expect(zoho.tokenRequests()).toBe(2)
  })

  it('leaves a throttled token endpoint alone for the whole 15 minutes when the clock is set forward a day', async () => {
    const clock = new VirtualClock()
    zoho = await startStandIn()
    zoho.throttleTokens(true)
    await appOn(zoho, clock)
    clock.jumpWallClock(DAY)
    await runFor(clock, zoho, 14 * MINUTE)
    expect(zoho.tokenRequests()).toBe(1)
  })
})
