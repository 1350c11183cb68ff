/**
 * Every user story end to end (issue 14), on the test host (test/host): the real engine on a virtual clock, the
 * simulator over loopback, the real keychain and settings store, and the built window in Chromium talking to the
 * real backend through the real IPC checks. One describe per story, in the words of the person it is for; the names
 * come from story-catalogue.ts, which the Electron suite (test/e2e) uses too.
 */
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { type Browser, chromium } from 'playwright'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AccountView } from '../../common/model'
import { problem } from '../../common/problems'
import { REDIRECT_URI } from '../../main/core/zoho/redirect'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { forecastSentence } from '../../renderer/src/format'
import { buildCli } from '../helpers/built-cli'
import { chromiumLaunchOptions } from '../helpers/chromium'
import { VirtualClock } from '../helpers/virtual-clock'
import { type ServedRenderer, serveBuiltRenderer } from '../host/renderer'
import { startTestHost, type TestHost, type TestHostOptions } from '../host/test-host'
import {
  breakdownShown,
  button,
  chartSummaryShown,
  checkbox,
  field,
  freeSeatsShown,
  openSettings,
  tab,
  UI,
  waitForFreeSeats,
  windowSays,
  windowText,
} from '../host/window'
import { STORY } from './story-catalogue'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** The default check interval (settings: 15 minutes). */
const POLL = 15 * MINUTE
/** Each check is planned 15 minutes ± 10 % after the last (poller.ts jitter): this long always holds exactly one. */
const ONE_POLL = 1.1 * POLL

let browser: Browser
let renderer: ServedRenderer
const running: { host: TestHost; sims: Simulator[] }[] = []

beforeAll(async () => {
  renderer = await serveBuiltRenderer()
  browser = await chromium.launch(chromiumLaunchOptions)
})
afterAll(async () => {
  await browser?.close()
  await renderer?.close()
})
afterEach(async () => {
  const reported: string[] = []
  const windowProblems: string[] = []
  for (const r of running.splice(0).reverse()) {
    reported.push(...r.host.reports)
    windowProblems.push(...r.host.windowProblems)
    await r.host.stop({ wipe: true }).catch(() => undefined)
    for (const sim of [...new Set(r.sims)]) await sim.close().catch(() => undefined)
  }
  // What the wiring would log as "… failed" (a tray command, the proxy's re-check, opening the sign-in file).
  expect(reported, 'the wiring reported no failure').toEqual([])
  expect(windowProblems, 'the window stayed quiet: no errors, no CSP violations').toEqual([])
})

interface Launch extends Partial<TestHostOptions> {
  seats?: { purchased: number; active: number }
  scenario?: 'steady' | 'second-dc' | 'scope-mismatch'
}

async function launch(over: Launch = {}): Promise<{
  host: TestHost
  sim: Simulator
  page: ReturnType<TestHost['openWindow']> extends Promise<infer P> ? P : never
}> {
  const clock = over.clock ?? new VirtualClock()
  const sim =
    over.zoho ??
    (await startSimulator({
      scenario: over.scenario ?? 'steady',
      seats: over.seats ?? { purchased: 25, active: 20 },
      clock,
    }))
  const host = await startTestHost({
    browser,
    renderer,
    clock,
    ...over,
    zoho: over.zoho === null ? null : sim,
  })
  running.push({ host, sims: over.zoho ? [] : [sim] })
  const page = await host.openWindow()
  return { host, sim, page }
}

/** A restart of the same installation: quit, then launch again on the same disk, keychain and Zoho. */
async function restart(
  host: TestHost,
  sim: Simulator,
): Promise<{ host: TestHost; page: Awaited<ReturnType<TestHost['openWindow']>> }> {
  await host.stop()
  running.splice(
    running.findIndex((r) => r.host === host),
    1,
  )
  const next = await startTestHost({ browser, renderer, clock: host.clock, zoho: sim, install: host.install })
  running.push({ host: next, sims: [sim] })
  return { host: next, page: await next.openWindow() }
}

/** The person picks a data center (the default, United States) and clicks the sign-in button in the window. */
async function signInFromWindow(host: TestHost, via: 'window' | 'browser' = 'window'): Promise<AccountView> {
  const before = host.wired.engine.state().accounts.length
  const name = via === 'window' ? UI.signIn : UI.signInWithBrowser
  await button(host.page, name).first().click()
  await until(() => host.wired.engine.state().accounts.length > before && account(host).latest !== null)
  await host.advance(0)
  return account(host)
}

const account = (host: TestHost, i = -1): AccountView => host.wired.engine.state().accounts.at(i)!
const licenseCalls = (sim: Simulator) =>
  sim.control.requests().filter((r) => r.path.endsWith('/user_licenses')).length
const tokenCalls = (sim: Simulator, grant?: string) =>
  sim.control
    .requests()
    .filter((r) => r.path.endsWith('/oauth/v2/token') && (!grant || r.grantType === grant)).length
const noticesOf = (host: TestHost, kind: string) => host.notices.filter((n) => n.kind === kind)

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now()
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe(STORY.firstLaunchDemo, () => {
  it('shows the demo’s free seats in the window and the tray within seconds, with nothing set up', async () => {
    const started = Date.now()
    const { host, page } = await launch({ zoho: null })
    await host.advance(1_000)
    await windowSays(page, UI.demoBadge)
    const free = await freeSeatsShown(page)
    expect(host.tray().badge).toBe(String(free))
    expect(host.wired.engine.state().demo).toBe(true)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe(STORY.signInConsent, () => {
  it('keeps the refresh token in the keychain, not on disk, and the tray shows 5 free of 25', async () => {
    const { host, sim, page } = await launch()
    await windowSays(page, UI.firstRun)
    const acc = await signInFromWindow(host)
    await waitForFreeSeats(page, 5)
    expect(host.tray()).toMatchObject({ badge: '5', tone: 'ok' })
    const token = await host.keychain(`refresh:${acc.id}`)
    expect(token).toMatch(/\S{10,}/)
    const onDisk = readdirSync(host.install.dataDir, { recursive: true }).map((f) => String(f))
    for (const f of onDisk) {
      const path = join(host.install.dataDir, f)
      if (existsSync(path) && !readdirSafe(path)) expect(readFileSync(path, 'utf8')).not.toContain(token!)
    }
    expect(tokenCalls(sim, 'authorization_code')).toBe(1)
    expect(licenseCalls(sim)).toBe(1)
  })
})

describe(STORY.signInSystemBrowser, () => {
  it('signs in through the system browser’s loopback redirect and shows the same numbers', async () => {
    const { host, sim, page } = await launch()
    const acc = await signInFromWindow(host, 'browser')
    await waitForFreeSeats(page, 5)
    expect(await host.keychain(`refresh:${acc.id}`)).not.toBeNull()
    expect(REDIRECT_URI).toMatch(/^http:\/\/127\.0\.0\.1:/)
    expect(tokenCalls(sim, 'authorization_code')).toBe(1)
    expect(host.tray().badge).toBe('5')
  })
})

describe(STORY.euOrg, () => {
  it('follows Zoho to the EU data center and reads the seats there, never from the US', async () => {
    const { host, sim, page } = await launch({ scenario: 'second-dc' })
    const acc = await signInFromWindow(host)
    await waitForFreeSeats(page, 5)
    const crm = sim.control.requests().filter((r) => r.path.endsWith('/user_licenses'))
    expect(crm.map((r) => r.dc)).toEqual(['eu'])
    // The token Zoho's EU data center issued is the one kept, and the tray counts the EU org.
    const tokens = sim.control.requests().filter((r) => r.path.endsWith('/oauth/v2/token'))
    expect(tokens.map((r) => r.dc)).toEqual(['eu'])
    expect(await host.keychain(`refresh:${acc.id}`)).not.toBeNull()
    expect(host.tray().badge).toBe('5')
    await host.advance(POLL)
    expect(sim.control.requests().filter((r) => r.dc === 'us' && r.path.endsWith('/user_licenses'))).toEqual(
      [],
    )
  })
})

describe(STORY.timerPolls, () => {
  it('checks every 15 minutes on its own, and the tray badge and tooltip follow the seats', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    const before = licenseCalls(sim)
    sim.control.setSeats({ purchased: 25, active: 22 })
    await host.advance(ONE_POLL)
    expect(licenseCalls(sim) - before).toBe(1)
    expect(host.tray().badge).toBe('3')
    expect(host.tray().tooltip).toMatch(/\b3\b/)
    await waitForFreeSeats(page, 3)
    sim.control.setSeats({ purchased: 25, active: 24 })
    await host.advance(ONE_POLL)
    expect(host.tray().badge).toBe('1')
    expect(host.tray().tooltip).toMatch(/\b1\b/)
    await waitForFreeSeats(page, 1)
    // An hour of 15 minutes ± 10 %: four checks, give or take one, and never more.
    await host.advance(HOUR)
    expect(licenseCalls(sim) - before).toBeGreaterThanOrEqual(2 + 3)
    expect(licenseCalls(sim) - before).toBeLessThanOrEqual(2 + 5)
  })
})

describe(STORY.outNotifiesOnce, () => {
  it('notifies once when the last seat is taken, however many checks follow', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    sim.control.setSeats({ purchased: 25, active: 25 })
    await host.advance(POLL * 4)
    expect(noticesOf(host, 'out')).toHaveLength(1)
    expect(host.tray()).toMatchObject({ badge: '0', tone: 'out' })
    await waitForFreeSeats(page, 0)
    // A click on the notification opens the window on that org, at who holds its seats (2 invites hold seats).
    const [notice] = noticesOf(host, 'out')
    host.clickNotification(notice!)
    expect(host.shown).toEqual([{ accountId: account(host).id, view: 'seat-holders' }])
  })
})

describe(STORY.outShowsWho, () => {
  it('the last seat goes to an invite; the notice offers “Show who”, and a click on it shows who holds the seats', async () => {
    const clock = new VirtualClock()
    const zoho = await startSimulator({ scenario: 'pending-invite', clock })
    const { host, page } = await launch({ clock, zoho })
    running.at(-1)!.sims.push(zoho)
    await signInFromWindow(host)
    // A minute in, Zoho gives the last seat to a new invite; the next check sees it.
    await host.advance(ONE_POLL)
    const out = noticesOf(host, 'out')
    expect(out).toHaveLength(1)
    expect(out[0]!.body).toBe(
      'All 25 purchased seats are in use. Free a seat or buy more before adding anyone. 2 invites never accepted hold seats.',
    )
    expect(out[0]!.action).toEqual({ label: 'Show who', opens: 'seat-holders' })
    const users = () => zoho.control.requests().filter((r) => r.path.includes('/users')).length
    const before = { users: users(), licenses: licenseCalls(zoho) }
    // The person clicks the notice (its body, or “Show who” where the OS shows the button).
    host.clickNotification(out[0]!)
    expect(host.shown).toEqual([{ accountId: account(host).id, view: 'seat-holders' }])
    await page.getByRole('heading', { name: 'Who holds seats' }).waitFor()
    await windowSays(page, /2 invites never accepted hold seats/)
    expect(host.calls.filter((c) => c.method === 'getSeatHolders').map((c) => c.args)).toEqual([
      [account(host).id],
    ])
    // The list read when the seats ran out is minutes old: showing it asks Zoho nothing more.
    expect({ users: users(), licenses: licenseCalls(zoho) }).toEqual(before)
  })
})

describe(STORY.freedNotifiesOnce, () => {
  it('notifies once when seats are freed again', async () => {
    const { host, sim, page } = await launch({ seats: { purchased: 25, active: 25 } })
    await signInFromWindow(host)
    sim.control.setSeats({ purchased: 25, active: 21 })
    await host.advance(POLL * 3)
    expect(noticesOf(host, 'freed')).toHaveLength(1)
    expect(host.tray().badge).toBe('4')
    await waitForFreeSeats(page, 4)
  })
})

describe(STORY.lowBySeats, () => {
  it('warns once when seats drop to the low mark, and the tray turns low', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    sim.control.setSeats({ purchased: 25, active: 24 })
    await host.advance(POLL * 3)
    expect(noticesOf(host, 'low')).toHaveLength(1)
    expect(host.tray()).toMatchObject({ badge: '1', tone: 'low' })
    await waitForFreeSeats(page, 1)
  })
})

describe(STORY.refreshCoalesces, () => {
  it('asks Zoho once when I click “Refresh now” in the tray twice during the scheduled check', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    const before = licenseCalls(sim)
    // The scheduled check starts and Zoho is slow to answer it.
    host.network.hold()
    const triedBefore = host.network.attempts
    await host.clock.advance(host.clock.nextDueIn()!)
    await until(() => host.network.attempts > triedBefore)
    const attempts = host.network.attempts
    // Meanwhile the person clicks "Refresh now" in the tray menu, twice.
    host.wired.runTrayCommand({ kind: 'refresh' })
    host.wired.runTrayCommand({ kind: 'refresh' })
    await new Promise((r) => setTimeout(r, 100))
    expect(host.network.attempts).toBe(attempts)
    host.network.release()
    await host.advance(0)
    expect(licenseCalls(sim) - before).toBe(1)
    expect(host.tray().badge).toBe('5')
    await waitForFreeSeats(page, 5)
  })
})

describe(STORY.windowBreakdown, () => {
  it('shows the breakdown, the forecast and when the next check is', async () => {
    const { host, page } = await launch()
    const acc = await signInFromWindow(host)
    await waitForFreeSeats(page, 5)
    expect(await breakdownShown(page)).toMatchObject({ Purchased: 25, Active: 20, Available: 5 })
    await windowSays(page, new RegExp(literally(forecastSentence(acc.forecast))))
    expect(acc.nextCheckAt! - acc.lastGoodAt!).toBeGreaterThanOrEqual(0.9 * POLL - 1)
    expect(acc.nextCheckAt! - acc.lastGoodAt!).toBeLessThanOrEqual(1.1 * POLL + 1)
    const next = page.locator(`time[datetime="${new Date(acc.nextCheckAt!).toISOString()}"]`)
    expect(await next.count()).toBe(1)
    await windowSays(page, /next\s*in 1[3-7] min/)
  })
})

describe(STORY.historyAndCsv, () => {
  it('shows the history in each range and saves the CSV with every reading, through the real save path', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    for (const active of [21, 22, 23]) {
      sim.control.setSeats({ purchased: 25, active })
      await host.advance(ONE_POLL)
    }
    await tab(page, UI.history).click()
    const ranges = [
      ['7d', 'the last 7 days'],
      ['30d', 'the last 30 days'],
      ['1y', 'the last year'],
      ['24h', 'the last 24 hours'],
    ] as const
    for (const [range, words] of ranges) {
      await tab(page, words).click()
      await until(() =>
        host.calls.some((c) => c.method === 'getHistory' && JSON.stringify(c.args).includes(range)),
      )
      // What the chart says: every reading of the hour is in every range.
      await until(async () => (await chartSummaryShown(page)).includes(words), 5_000)
      expect(await chartSummaryShown(page)).toMatch(
        new RegExp(
          `^Seats over ${words}: available went from 5 to 2, active from 20 to 23, 25 seats purchased\\.`,
        ),
      )
    }
    const history = await host.wired.engine.getHistory({ accountId: account(host).id, range: '24h' })
    expect(history.points.map((p) => p.available)).toEqual([5, 4, 3, 2])
    await button(page, UI.exportCsv).click()
    const file = join(host.install.home, 'Documents', 'seat-history-24h.csv')
    await until(() => existsSync(file))
    const [header, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/)
    const columns = header!.split(',')
    const available = columns.findIndex((c) => /available/i.test(c))
    const active = columns.findIndex((c) => /active/i.test(c))
    expect(available).toBeGreaterThanOrEqual(0)
    expect(rows.map((r) => Number(r.split(',')[available]))).toEqual([5, 4, 3, 2])
    expect(rows.map((r) => Number(r.split(',')[active]))).toEqual([20, 21, 22, 23])
    expect(host.saveDialogs.map((d) => d.title)).toEqual(['Export seat history'])
  })
})

describe(STORY.offlineRecovery, () => {
  it('keeps the last numbers while the network is down, asks little, and is back to ok when it returns', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    host.network.down()
    const tried = host.network.attempts
    await host.advance(2 * HOUR)
    // Backoff from 30 s up to the 15-minute interval: a handful of tries in two hours, never a storm.
    expect(host.network.attempts - tried).toBeLessThanOrEqual(14)
    expect(account(host).latest?.available).toBe(5)
    expect(account(host).tone).not.toBe('ok')
    expect(account(host).problem?.kind).toMatch(/^(unreachable|offline)$/)
    await windowSays(page, new RegExp(literally(problem(account(host).problem!.kind).message)))
    await waitForFreeSeats(page, 5)
    host.network.up()
    const before = licenseCalls(sim)
    // The next try comes at most 30 minutes (the backoff's cap, ± 10 %) later; one more poll may follow it.
    await host.advance(35 * MINUTE)
    expect(licenseCalls(sim) - before).toBeGreaterThanOrEqual(1)
    expect(licenseCalls(sim) - before).toBeLessThanOrEqual(2)
    expect(account(host).tone).toBe('ok')
    expect(host.tray().tone).toBe('ok')
    await waitForFreeSeats(page, 5)
  })

  it('pauses while the computer is offline and checks once when it is back', async () => {
    const { host, sim } = await launch()
    await signInFromWindow(host)
    host.setOnline(false)
    await new Promise((r) => setTimeout(r, 100))
    const before = licenseCalls(sim)
    await host.advance(HOUR)
    expect(licenseCalls(sim) - before).toBe(0)
    host.setOnline(true)
    await new Promise((r) => setTimeout(r, 100))
    await host.advance(MINUTE)
    expect(licenseCalls(sim) - before).toBe(1)
    expect(account(host).tone).toBe('ok')
  })
})

describe(STORY.revokedSignInAgain, () => {
  it('shows that I must sign in again, and after I do, the numbers and the history are still there', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    await host.advance(POLL * 2)
    const pointsBefore = (await host.wired.engine.getHistory({ accountId: account(host).id, range: '24h' }))
      .points
    sim.control.revokeAll()
    await host.advance(POLL * 3)
    expect(host.tray().tone).toBe('signed-out')
    expect(noticesOf(host, 'sign-in')).toHaveLength(1)
    await windowSays(page, new RegExp(literally(problem('reauth-needed').message)))
    expect(account(host).latest?.available).toBe(5)
    await button(page, UI.signInAgain).first().click()
    await until(() => account(host).problem === null)
    await host.advance(0)
    expect(host.wired.engine.state().accounts).toHaveLength(1)
    const pointsAfter = (await host.wired.engine.getHistory({ accountId: account(host).id, range: '24h' }))
      .points
    expect(pointsAfter.length).toBeGreaterThanOrEqual(pointsBefore.length)
    await waitForFreeSeats(page, 5)
  })
})

describe(STORY.throttledNoLoop, () => {
  it('over a virtual hour of Zoho refusing tokens, asks for a token a handful of times, never in a loop', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    sim.control.throttleTokens(true)
    sim.control.failNext(1, 'invalid-token', 'crm')
    const before = tokenCalls(sim)
    await host.advance(HOUR)
    const asked = tokenCalls(sim) - before
    expect(asked).toBeGreaterThanOrEqual(1)
    expect(asked).toBeLessThanOrEqual(6)
    expect(account(host).latest?.available).toBe(5)
    expect(account(host).problem?.kind).toBe('token-throttled')
    await windowSays(page, new RegExp(literally(problem('token-throttled').message)))
  })
})

describe(STORY.scopeMissing, () => {
  it('says in the window that the sign-in may not read license counts, and waits for me instead of retrying', async () => {
    const { host, sim, page } = await launch({ scenario: 'scope-mismatch' })
    await button(page, UI.signIn).first().click()
    await until(() => account(host)?.problem !== null && account(host)?.problem !== undefined)
    await windowSays(page, new RegExp(literally(problem('scope-missing').message)))
    expect(account(host).problem?.kind).toBe('scope-missing')
    await button(page, UI.signInAgain).first().waitFor()
    // Only a new sign-in can fix it: an hour passes without asking Zoho again and again.
    const before = licenseCalls(sim)
    await host.advance(HOUR)
    expect(licenseCalls(sim) - before).toBeLessThanOrEqual(1)
  })
})

describe(STORY.noPermission, () => {
  it('says in the window that my Zoho profile may not read license counts, and stops asking', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    sim.control.failNext(1_000, 'no-permission', 'crm')
    const before = licenseCalls(sim)
    await host.advance(ONE_POLL)
    await windowSays(page, new RegExp(literally(problem('no-permission').message)))
    expect(account(host).problem?.kind).toBe('no-permission')
    await host.advance(HOUR)
    expect(licenseCalls(sim) - before).toBeLessThanOrEqual(5)
  })
})

describe(STORY.twoOrgs, () => {
  it('watches two orgs, each with its own numbers, its own line in the tray and its own token', async () => {
    const clock = new VirtualClock()
    const acme = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 }, clock })
    // A second org at its own Zoho: the same Seat Tray client, another org id, other seats.
    const beta = await startSimulator({
      scenario: 'steady',
      seats: { purchased: 10, active: 9 },
      clock,
      client: acme.client,
    })
    acme.control.setOrg({ companyName: 'Acme Ltd' })
    beta.control.setOrg({ id: '4150868000000999999', companyName: 'Beta GmbH' })
    const first = await launch({ zoho: acme, clock })
    running.at(-1)!.sims.push(acme, beta)
    const a = await signInFromWindow(first.host)
    // The second sign-in starts at Beta's Zoho: the same installation, launched against it.
    await first.host.stop()
    running.splice(
      running.findIndex((r) => r.host === first.host),
      1,
    )
    const host = await startTestHost({ browser, renderer, clock, zoho: beta, install: first.host.install })
    running.push({ host, sims: [acme, beta] })
    const page = await host.openWindow()
    await openSettings(page, 'Accounts')
    await button(page, UI.addAccount).click()
    await until(() => host.wired.engine.state().accounts.length === 2 && account(host, 1).latest !== null)
    const b = host.wired.engine.state().accounts.find((x) => x.id !== a.id)!
    expect(b.latest).toMatchObject({ purchased: 10, active: 9, available: 1 })
    expect(host.tray().accountLines).toHaveLength(2)
    const before = [licenseCalls(acme), licenseCalls(beta)]
    await host.advance(ONE_POLL)
    expect([licenseCalls(acme) - before[0]!, licenseCalls(beta) - before[1]!]).toEqual([1, 1])
    await tab(page, UI.overview).click()
    await windowSays(page, /Beta GmbH/)
    await windowSays(page, /Acme Ltd/)
    expect(await host.keychain(`refresh:${a.id}`)).not.toBeNull()
    expect(await host.keychain(`refresh:${b.id}`)).not.toBeNull()
  })
})

describe(STORY.settingsSurviveRestart, () => {
  it('keeps the check interval I chose across a real restart, and checks at that pace', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    await openSettings(page, 'Checks')
    const every = field(page, UI.checkEvery)
    await every.fill('30')
    await every.press('Tab')
    await windowSays(page, UI.saved)
    const onDisk = JSON.parse(readFileSync(join(host.install.dataDir, 'settings.json'), 'utf8'))
    expect(onDisk.pollMinutes).toBe(30)
    const again = await restart(host, sim)
    await again.host.advance(0)
    await waitForFreeSeats(again.page, 5)
    await openSettings(again.page, 'Checks')
    expect(await field(again.page, UI.checkEvery).inputValue()).toBe('30')
    // Two hours at 30 minutes ± 10 %: about four checks (at the default 15 it would be about eight).
    const before = licenseCalls(sim)
    await again.host.advance(2 * HOUR)
    expect(licenseCalls(sim) - before).toBeGreaterThanOrEqual(3)
    expect(licenseCalls(sim) - before).toBeLessThanOrEqual(5)
  })

  it('shows the last numbers at once after a restart, before any check', async () => {
    const { host, sim } = await launch()
    await signInFromWindow(host)
    sim.control.failNext(1_000, 'hang', 'crm')
    const again = await restart(host, sim)
    await waitForFreeSeats(again.page, 5)
    expect(again.host.tray().badge).toBe('5')
  })
})

describe(STORY.corruptFiles, () => {
  /** Signs in, quits, lets `damage` break a file, and starts again on the same installation. */
  async function damagedRestart(damage: (dataDir: string, accountId: string) => void) {
    const { host, sim } = await launch()
    const acc = await signInFromWindow(host)
    await host.advance(ONE_POLL)
    await host.stop()
    running.splice(
      running.findIndex((r) => r.host === host),
      1,
    )
    damage(host.install.dataDir, acc.id)
    const next = await startTestHost({
      browser,
      renderer,
      clock: host.clock,
      zoho: sim,
      install: host.install,
    })
    running.push({ host: next, sims: [sim] })
    return { host: next, page: await next.openWindow(), dataDir: host.install.dataDir, acc }
  }

  it('starts with damaged settings, keeps the old file beside them, and says so in the window', async () => {
    const { page, dataDir } = await damagedRestart((dir) =>
      writeFileSync(join(dir, 'settings.json'), '{"pollMinutes": 30, "accounts": [oops'),
    )
    await windowSays(page, /settings file was damaged/i)
    const kept = readdirSync(dataDir).filter((f) => f.startsWith('settings.json.'))
    expect(kept).toHaveLength(1)
    expect(readFileSync(join(dataDir, kept[0]!), 'utf8')).toContain('oops')
    await windowSays(page, new RegExp(literally(kept[0]!)))
  })

  it('starts with a damaged history, sets it aside, still shows the numbers, and says so in the window', async () => {
    const { host, page, dataDir, acc } = await damagedRestart((dir, id) =>
      writeFileSync(join(dir, 'history', `${id}.jsonl`), '\u0000\u0001 not json at all\n'.repeat(20)),
    )
    await host.advance(0)
    await waitForFreeSeats(page, 5)
    const aside = readdirSync(join(dataDir, 'history')).filter((f) =>
      f.startsWith(`${acc.id}.jsonl.corrupt-`),
    )
    expect(aside).toHaveLength(1)
    expect(readFileSync(join(dataDir, 'history', aside[0]!), 'utf8')).toContain('not json at all')
    await windowSays(page, new RegExp(`history file was damaged.*${literally(aside[0]!)}`))
  })
})

describe(STORY.noSecretService, () => {
  it('names the fallback in the window when no Secret Service answers', async () => {
    const { host, page } = await launch({ secretService: 'none' })
    await signInFromWindow(host)
    await openSettings(page, 'Security')
    // The technical reason waits behind Details: read it from the page, open or not.
    expect(await page.locator('#vault-reason').textContent()).toMatch(UI.vaultReason)
    const settings = await host.wired.engine.getSettings()
    expect(settings.vaultBackend).toBe('memory')
    expect(settings.vaultUnavailableReason).toMatch(/\S/)
    expect(await host.keychain(`refresh:${account(host).id}`)).toBeNull()
  })
})

describe(STORY.sleepResume, () => {
  it('checks nothing while the computer sleeps and exactly once when it wakes', async () => {
    const { host, sim } = await launch()
    await signInFromWindow(host)
    host.power.emit('suspend')
    const before = licenseCalls(sim)
    await host.advance(3 * HOUR)
    expect(licenseCalls(sim) - before).toBe(0)
    host.power.emit('resume')
    await host.advance(MINUTE)
    expect(licenseCalls(sim) - before).toBe(1)
  })
})

describe(STORY.launchAtLogin, () => {
  it('writes the autostart entry when I tick the box and removes it when I untick it', async () => {
    const { host, page } = await launch()
    await signInFromWindow(host)
    expect(host.autostartEntryExists()).toBe(false)
    await openSettings(page, 'Checks')
    const box = checkbox(page, UI.launchAtLogin)
    await box.check()
    await windowSays(page, UI.saved)
    await host.settleLoginItem()
    expect(host.autostartEntryExists()).toBe(true)
    await box.uncheck()
    await until(() => !host.wired.engine.currentSettings().launchAtLogin)
    await host.settleLoginItem()
    expect(host.autostartEntryExists()).toBe(false)
  })
})

describe(STORY.signOut, () => {
  it('revokes the token at Zoho and removes it from the keychain when I remove the account', async () => {
    const { host, sim, page } = await launch()
    const acc = await signInFromWindow(host)
    expect(await host.keychain(`refresh:${acc.id}`)).not.toBeNull()
    await openSettings(page, 'Accounts')
    await button(page, UI.removeAccount(acc.label)).click()
    await until(() => host.wired.engine.state().accounts.length === 0)
    await until(() => sim.control.requests().some((r) => r.path.includes('revoke')))
    expect(sim.control.requests().filter((r) => r.path.includes('revoke'))).toHaveLength(1)
    await until(async () => (await host.keychain(`refresh:${acc.id}`)) === null)
    expect(host.tray().tone).toBe('signed-out')
  })
})

describe(STORY.windowIsChecked, () => {
  it('refuses a malformed request from the window and changes nothing on disk', async () => {
    const { host, page } = await launch()
    await signInFromWindow(host)
    const file = join(host.install.dataDir, 'settings.json')
    const before = readFileSync(file, 'utf8')
    const refused = await page.evaluate(() =>
      window.seats!.updateSettings({ pollMinutes: -5, evil: true } as never).then(
        () => 'accepted',
        (e: Error) => e.message,
      ),
    )
    expect(refused).toMatch(/Refused updateSettings/)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(host.calls.at(-1)).toMatchObject({
      method: 'updateSettings',
      refused: expect.stringMatching(/Refused/),
    })
  })

  it('refuses a request from a frame inside the window that is not Seat Tray’s page', async () => {
    const { host, page } = await launch()
    await signInFromWindow(host)
    const refused = await page.evaluate(async () => {
      const frame = document.createElement('iframe')
      frame.srcdoc = '<p>not ours</p>'
      document.body.append(frame)
      await new Promise((r) => frame.addEventListener('load', r))
      const seats = (frame.contentWindow as unknown as { seats?: Window['seats'] }).seats
      if (!seats) return 'no seats in the frame'
      return seats.signOut('us-4150868000000225013').then(
        () => 'accepted',
        (e: Error) => e.message,
      )
    })
    expect(refused).toBe("Refused signOut: the request did not come from Seat Tray's window.")
    expect(host.wired.engine.state().accounts).toHaveLength(1)
  })
})

describe(STORY.keyboardAndScreenReader, () => {
  it('checks again from the keyboard alone, and the real window has no serious accessibility violations', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    await waitForFreeSeats(page, 5)
    const before = licenseCalls(sim)
    sim.control.setSeats({ purchased: 25, active: 22 })
    await button(page, UI.refresh).first().focus()
    await page.keyboard.press('Enter')
    await until(() => licenseCalls(sim) > before)
    await host.advance(0)
    await waitForFreeSeats(page, 3)
    expect(licenseCalls(sim) - before).toBe(1)
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze()
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  })
})

describe(STORY.officeProxy, () => {
  it('asks for the proxy password in the window, hands it to the network once, and never shows it again', async () => {
    const { host, page } = await launch()
    await signInFromWindow(host)
    // Electron's network stack meets a Basic challenge (app 'login' event): the wiring's ProxyAuth is asked.
    const answered = host.wired.proxyAuth.respond({
      host: 'proxy.office.test',
      port: 3128,
      realm: 'Office',
      scheme: 'basic',
    })
    await page.getByRole('heading', { name: UI.proxyQuestion }).waitFor()
    await field(page, UI.proxyUsername).fill('jo')
    await field(page, UI.proxyPassword).fill('hunter2-proxy')
    await button(page, UI.proxySignIn).click()
    expect(await answered).toEqual({ username: 'jo', password: 'hunter2-proxy' })
    const answers = host.calls.filter((c) => c.method === 'answerProxyAuth')
    expect(answers).toHaveLength(1)
    // The password crossed once, window → main; no state pushed to the window or the tray carries it.
    expect(JSON.stringify(host.states)).not.toContain('hunter2-proxy')
    expect(JSON.stringify(host.trays)).not.toContain('hunter2-proxy')
    expect(await windowText(page)).not.toContain('hunter2-proxy')
  })
})

describe(STORY.statusCommand, () => {
  it('exits 0 with free seats and 2 when none are left, as the installed command', async () => {
    const cli = buildCli()
    const sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
    try {
      const env = {
        ...process.env,
        ZOHO_CLIENT_ID: sim.client.clientId,
        ZOHO_CLIENT_SECRET: sim.client.clientSecret,
        ZOHO_REFRESH_TOKEN: sim.refreshToken,
        ZOHO_ACCOUNTS_SERVER: sim.accountsServer,
        ZOHO_ALLOW_LOOPBACK: '1',
      }
      const run = () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = execFile(process.execPath, [cli.path, 'status'], { env }, (_e, out) =>
            resolve({ code: child.exitCode, out }),
          )
        })
      const ok = await run()
      expect(ok.code).toBe(0)
      expect(ok.out).toMatch(/5/)
      sim.control.setSeats({ purchased: 25, active: 25 })
      const out = await run()
      expect(out.code).toBe(2)
    } finally {
      await sim.close()
      cli.remove()
    }
  })
})

describe(STORY.seatPriceAndExport, () => {
  it('sets the price from the seat holders view, then saves that list through the real save path, asking Zoho nothing', async () => {
    const { host, sim, page } = await launch()
    await signInFromWindow(host)
    sim.control.setSeats({ purchased: 25, active: 25 })
    await host.advance(ONE_POLL)
    await waitForFreeSeats(page, 0)
    await button(page, 'Free a seat').click()
    await button(page, 'Set a seat price').click()
    await field(page, 'Currency').selectOption('EUR')
    await field(page, 'Price of one seat').fill('40')
    await field(page, 'Price of one seat').press('Tab')
    await until(() => host.wired.engine.currentSettings().seatPrice?.amount === 40)
    expect(host.wired.engine.currentSettings().seatPrice).toEqual({
      amount: 40,
      per: 'month',
      currency: 'EUR',
    })

    await tab(page, UI.overview).click()
    await button(page, 'Free a seat').click()
    await windowSays(page, /No seat is free, so none is paid for unused\./)
    const before = sim.control.requests().length
    await button(page, 'Export list…').click()
    await windowSays(page, /Saved to .*seat-holders-.*\.csv\./)
    expect(host.saveDialogs.map((d) => d.title)).toEqual(['Export seat holders'])
    const file = host.saveDialogs[0]!.defaultPath
    expect(file).toMatch(/seat-holders-[\p{L}\p{N}-]+-\d{4}-\d{2}-\d{2}\.csv$/u)
    const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\r\n')
    expect(header).toBe('name,email,state,pending_days,role,profile,created')
    const emails = rows.map((row) => row.split(',')[1]!.replaceAll('"', ''))
    expect(emails.length).toBeGreaterThan(10)
    expect(emails.every((email) => email.includes('@'))).toBe(true)
    // The list on screen, one row a person: every exported email is in the window.
    const shown = await windowText(page)
    for (const email of emails) expect(shown).toContain(email)
    expect(sim.control.requests().length - before).toBe(0)

    // Settings, history, alert memory: nothing Seat Tray keeps holds a seat holder's email.
    await host.stop()
    const kept = filesUnder(host.install.dataDir).map((f) => readFileSync(f, 'utf8'))
    expect(kept.length).toBeGreaterThan(1)
    for (const text of kept) for (const email of emails) expect(text).not.toContain(email)
  })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function readdirSafe(path: string): boolean {
  try {
    readdirSync(path)
    return true
  } catch {
    return false
  }
}
