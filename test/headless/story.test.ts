/**
 * The whole app, headless: the real composition (core/app.ts) on Node adapters, against the Zoho simulator over
 * loopback HTTP, with Debian's Chromium clicking through the simulator's consent page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { ChromiumAuthBrowser, type Headless, startHeadless } from '../helpers/headless'

describe('an office manager with one Zoho org', () => {
  let sim: Simulator
  let h: Headless
  const browser = new ChromiumAuthBrowser('accept')

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
    h = startHeadless({
      buildClient: sim.client,
      authBrowser: browser,
      signInServerOverride: sim.accountsServer,
    })
    await h.app.start()
  })

  afterAll(async () => {
    await h?.dispose()
    await browser.close()
    await sim?.close()
  })

  it('starts signed out, with an empty tray that says so', () => {
    expect(h.app.state().accounts).toEqual([])
    expect(h.lastTray().tone).toBe('signed-out')
  })

  it('signs in through Zoho’s consent page and sees 5 free seats on the first check', async () => {
    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    expect(browser.pagesOpened).toBe(1)
    await until(() => h.app.state().accounts[0]?.latest !== null)
    const [account] = h.app.state().accounts
    expect(account?.latest).toMatchObject({ purchased: 25, active: 20, available: 5 })
    expect(account?.tone).toBe('ok')
    expect(h.lastTray()).toMatchObject({ badge: '5', tone: 'ok' })
    // The refresh token went to the vault, never to settings.
    expect(JSON.stringify(h.settings.saved)).not.toContain(sim.refreshToken)
    expect(h.vault.keys()).toEqual([`refresh:${account?.id}`])
  })

  it('notifies exactly once when the last seat is taken, however often it checks', async () => {
    sim.control.setSeats({ purchased: 25, active: 25 })
    for (let i = 0; i < 5; i++) await h.app.refresh()
    expect(h.lastTray()).toMatchObject({ badge: '0', tone: 'out' })
    expect(h.notices.filter((n) => n.kind === 'out')).toHaveLength(1)
    expect(h.notices.at(-1)?.body).toMatch(/25/)
  })

  it('notifies once when seats free up again', async () => {
    sim.control.setSeats({ purchased: 25, active: 22 })
    await h.app.refresh()
    await h.app.refresh()
    expect(h.lastTray()).toMatchObject({ badge: '3', tone: 'ok' })
    expect(h.notices.filter((n) => n.kind === 'freed')).toHaveLength(1)
  })

  it('shows signed-out and asks once to sign in again when Zoho revokes the token', async () => {
    sim.control.revokeAll()
    await h.app.refresh()
    await h.app.refresh()
    const [account] = h.app.state().accounts
    expect(account?.problem?.action).toBe('sign-in')
    expect(h.lastTray().tone).toBe('signed-out')
    expect(h.notices.filter((n) => n.kind === 'sign-in')).toHaveLength(1)
    // The last good numbers are kept for the window.
    expect(account?.latest?.available).toBe(3)
  })

  it('signs in again, then signs out, revoking the token at Zoho', async () => {
    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    await until(() => h.app.state().accounts[0]?.problem === null)
    const [account] = h.app.state().accounts
    const before = sim.control.requests().filter((r) => r.path.includes('revoke')).length
    await h.app.signOut(account!.id)
    const after = sim.control.requests().filter((r) => r.path.includes('revoke')).length
    expect(after).toBe(before + 1)
    expect(h.app.state().accounts).toEqual([])
    expect(h.vault.keys()).toEqual([])
    expect(h.lastTray().tone).toBe('signed-out')
  })
})

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
