/**
 * One route out of the engine: every change in one turn of the event loop reaches the window as one state push and
 * the tray as one render, and a change nobody can see costs neither. Counted at the recorders the engine pushes to,
 * with the poller's own timer (a virtual clock) driving the checks against the simulator over loopback HTTP.
 */
import { rmSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { type Headless, signedInTo, startHeadless } from '../helpers/headless'
import { VirtualClock } from '../helpers/virtual-clock'

let sim: Simulator
let h: Headless
let clock: VirtualClock

beforeEach(async () => {
  sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
  clock = new VirtualClock(Date.now())
  const { settings, vault } = await signedInTo(sim)
  h = startHeadless({ buildClient: sim.client, settings, vault, clock, random: () => 0.5 })
})

afterEach(async () => {
  await h.app.stop()
  rmSync(h.dataDir, { recursive: true, force: true })
  await sim.close()
})

/** Fires the poller's timer and waits (in real time: the HTTP is real) until that check has ended. */
async function nextTimerPoll(): Promise<void> {
  const before = h.app.state().accounts[0]?.lastAttemptAt
  await clock.advance(16 * 60_000)
  const deadline = Date.now() + 5_000
  while (h.app.state().accounts[0]?.lastAttemptAt === before || h.app.state().accounts[0]?.refreshing) {
    if (Date.now() > deadline) throw new Error('the timer-driven check did not end')
    await new Promise((r) => setTimeout(r, 5))
  }
  // Let the end-of-turn flush run.
  await new Promise((r) => setImmediate(r))
  await new Promise((r) => setImmediate(r))
}

async function firstCheckDone(): Promise<void> {
  await h.app.start()
  const deadline = Date.now() + 5_000
  while (h.app.state().accounts[0]?.phase !== 'ready' || h.app.state().accounts[0]?.nextCheckAt === null) {
    if (Date.now() > deadline) throw new Error('the first check did not end')
    await new Promise((r) => setTimeout(r, 5))
  }
  await new Promise((r) => setImmediate(r))
}

describe('one route out of the engine', () => {
  it('a check the poller runs on its own that finds fewer seats costs one state push and one tray render', async () => {
    await firstCheckDone()
    const pushes = h.states.length
    const renders = h.trays.length
    sim.control.setSeats({ purchased: 25, active: 23 })
    await nextTimerPoll()
    expect(h.lastTray().badge).toBe('2')
    expect(h.states.length - pushes).toBe(1)
    expect(h.trays.length - renders).toBe(1)
  })

  it('a check that finds the same seats pushes only the new "last checked" time, once', async () => {
    await firstCheckDone()
    const pushes = h.states.length
    const renders = h.trays.length
    await nextTimerPoll()
    expect(h.states.length - pushes).toBe(1)
    // The tooltip dates the reading ("checked 09:31"), so the tray renders once as well, and only once.
    expect(h.trays.length - renders).toBe(1)
    expect(h.lastTray().badge).toBe('5')
  })

  it('a command that changes nothing visible pushes nothing and renders nothing', async () => {
    await firstCheckDone()
    const pushes = h.states.length
    const renders = h.trays.length
    h.app.resume('offline') // it was never offline
    await h.app.snooze(null) // nothing was snoozed
    await new Promise((r) => setImmediate(r))
    expect(h.states.length - pushes).toBe(0)
    expect(h.trays.length - renders).toBe(0)
  })

  it('the tray menu lists each account with its own line, built from the same state as the badge', async () => {
    await firstCheckDone()
    const tray = h.lastTray()
    const item = tray.menu.find((e) => e.id === 'account:us-1')
    expect(item?.label).toBe(tray.accountLines[0])
    expect(item?.label).toMatch(/: 5 of 25 seats free/)
  })

  it('a refresh the person asks for shows it running, then the answer: two pushes, never more', async () => {
    await firstCheckDone()
    const pushes = h.states.length
    const asked = h.app.refresh()
    const again = h.app.refresh() // a second click joins the first check
    await Promise.all([asked, again])
    const seen = h.states.slice(pushes)
    expect(seen.map((s) => s.accounts[0]?.refreshing)).toEqual([true, false])
    expect(sim.control.requests().filter((r) => r.path.includes('user_licenses')).length).toBe(2)
  })
})
