/**
 * Views per poll: how many state pushes (IPC messages to the window) and tray renders (native menu rebuilds) one
 * check costs, with the poller's own timer driving the checks (a virtual clock) against the simulator over loopback.
 *
 * Counted at the two outputs the engine writes to. Reference, measured on the code before the one-route-out change
 * (commit 2e684c3) with the same recorders and the same simulator: a check that changed the seats cost 4 pushes and
 * 4 tray renders at the engine, whether a timer or a refresh started it (8 renders in the app, whose state sink
 * rendered the tray once more per push).
 * Targets: a check that changes the seats costs 1 and 1; a command that changes nothing visible costs 0 and 0.
 */
import { rmSync } from 'node:fs'
import { startSimulator } from '../../main/demo/simulator'
import { signedInTo, startHeadless } from '../../test/helpers/headless'
import { VirtualClock } from '../../test/helpers/virtual-clock'
import type { Report } from '../report'

const POLLS = 20

export async function run(report: Report): Promise<void> {
  const sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
  const clock = new VirtualClock(Date.now())
  const { settings, vault } = await signedInTo(sim, 'bench')
  const h = startHeadless({ buildClient: sim.client, settings, vault, clock, random: () => 0.5 })
  const lastAttempt = () => h.app.state().accounts[0]?.lastAttemptAt ?? null

  async function timerPoll(): Promise<void> {
    const before = lastAttempt()
    await clock.advance(16 * 60_000)
    while (lastAttempt() === before) await new Promise((r) => setTimeout(r, 1))
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r))
  }
  async function measure(poll: () => Promise<void>): Promise<{ pushes: number; renders: number }> {
    const pushes = h.states.length
    const renders = h.trays.length
    for (let i = 0; i < POLLS; i++) await poll()
    return { pushes: (h.states.length - pushes) / POLLS, renders: (h.trays.length - renders) / POLLS }
  }

  try {
    await h.app.start()
    while (h.app.state().accounts[0]?.nextCheckAt == null) await new Promise((r) => setTimeout(r, 1))
    let active = 20
    const changed = await measure(async () => {
      active = active === 20 ? 21 : 20
      sim.control.setSeats({ purchased: 25, active })
      await timerPoll()
    })
    const steady = await measure(timerPoll)
    const refresh = await measure(async () => {
      await Promise.all([h.app.refresh(), h.app.refresh()])
    })
    const nothing = await measure(async () => {
      h.app.resume('offline')
      await h.app.snooze(null)
      await new Promise((r) => setImmediate(r))
    })
    const rows: Array<[string, { pushes: number; renders: number }]> = [
      ['timer check, seats changed', changed],
      ['timer check, same seats (only "last checked" moves)', steady],
      ['person clicks Refresh twice during one check', refresh],
      ['a command that changes nothing visible', nothing],
    ]
    for (const [what, c] of rows) report.figure({ bench: 'views.per-poll', impl: what, ...c })
    report.table(
      `State pushes and tray renders per event (mean of ${POLLS}); before this design: 4 and 4 (8 in the app)`,
      ['event', 'state pushes', 'tray renders'],
      rows.map(([what, c]) => [what, c.pushes, c.renders]),
    )
    report.target(
      'a check that changes the seats: 1 push and 1 tray render',
      changed.pushes === 1 && changed.renders === 1,
      `${changed.pushes} and ${changed.renders}`,
    )
    report.target(
      'a change nobody can see: 0 pushes and 0 renders',
      nothing.pushes === 0 && nothing.renders === 0,
      `${nothing.pushes} and ${nothing.renders}`,
    )
  } finally {
    await h.app.stop()
    rmSync(h.dataDir, { recursive: true, force: true })
    await sim.close()
  }
}
