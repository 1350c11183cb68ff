/**
 * What signing out keeps (README, "Signing in"): the token goes, the org's history stays, and signing in to the same
 * org again picks the history up. The real composition on Node adapters against the simulator over loopback HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { consentBot } from '../doubles/consent-bot'
import { type Headless, startHeadless } from '../helpers/headless'

let sim: Simulator
let h: Headless

beforeEach(async () => {
  sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
  h = startHeadless({
    buildClient: sim.client,
    signInServerOverride: sim.accountsServer,
    authBrowser: consentBot(),
  })
  await h.app.start()
})

afterEach(async () => {
  await h.dispose()
  await sim.close()
})

describe('signing out', () => {
  it('keeps the org’s history, and signing in to it again picks the history up', async () => {
    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    await until(() => h.app.state().accounts[0]?.latest?.available === 5)
    const id = h.app.state().accounts[0]!.id
    await h.app.signOut(id)
    expect(h.app.state().accounts).toEqual([])

    sim.control.setSeats({ purchased: 25, active: 22 })
    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    await until(() => h.app.state().accounts[0]?.latest?.available === 3)
    expect(h.app.state().accounts[0]?.id).toBe(id)

    const series = await h.app.getHistory({ accountId: id, range: '24h' })
    const readings = series.points.map((p) => p.available)
    expect(readings).toContain(5)
    expect(readings.at(-1)).toBe(3)
    // Two sign-ins, two refresh tokens; the first went back to Zoho when the person signed out.
    expect(sim.control.requests().filter((r) => r.path.includes('revoke'))).toHaveLength(1)
  })
})

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
