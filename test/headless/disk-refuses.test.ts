/**
 * When the disk refuses to save the settings (full, read-only, no permission), nothing the person had stops working
 * and nothing they asked for is half-applied: the app says it was the disk, and what is in force is what was saved.
 * The failure is a real one from the kernel: the store writes to /dev/full, which answers every write with ENOSPC.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Settings } from '../../common/settings'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import {
  ChromiumAuthBrowser,
  type Headless,
  MemorySettings,
  MemoryVault,
  startHeadless,
} from '../helpers/headless'

/** Settings on a disk that can fill up: while `full`, every save fails as a full disk does. */
class FillingDiskSettings extends MemorySettings {
  full = false
  saves = 0
  override save(settings: Settings) {
    this.saves++
    if (this.full) writeFileSync('/dev/full', JSON.stringify(settings))
    super.save(settings)
  }
}

/** A vault kept in a file on a disk that has filled up (what the safeStorage file vault meets on a full disk). */
class FullDiskVault extends MemoryVault {
  override async set(key: string, value: string) {
    writeFileSync('/dev/full', value)
    await super.set(key, value)
  }
}

let sim: Simulator
let h: Headless
let store: FillingDiskSettings
const browser = new ChromiumAuthBrowser('accept')

beforeAll(async () => {
  sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
})
afterAll(async () => {
  await browser.close()
  await sim.close()
})

beforeEach(async () => {
  store = new FillingDiskSettings()
  h = startHeadless({
    buildClient: sim.client,
    authBrowser: browser,
    signInServerOverride: sim.accountsServer,
    settings: store,
  })
  await h.app.start()
})
afterEach(async () => {
  await h.app.stop()
  rmSync(h.dataDir, { recursive: true, force: true })
})

describe('signing in again while the disk is full', () => {
  it('keeps the old sign-in checking, gives the new token back to Zoho, and says the disk is full', async () => {
    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    await h.app.refresh()
    const [before] = h.app.state().accounts
    expect(before).toMatchObject({ phase: 'ready', problem: null })
    const oldToken = await h.vault.get(`refresh:${before!.id}`)
    const savedBefore = structuredClone(store.saved)

    store.full = true
    sim.control.clearRequests()
    const error = await h.app.signIn({ dataCenter: 'US', via: 'window' }).catch((e: unknown) => e)

    // Told what happened: the disk, not Zoho.
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/disk/)
    expect((error as Error).message).toMatch(/full/)
    expect((error as Error).message).not.toMatch(/Zoho sent an answer/)
    const state = h.app.state()
    expect(state.signInProblem).toMatchObject({ kind: 'disk-error', action: 'retry' })
    expect(state.signInProblem?.detail).toMatch(/ENOSPC/)

    // The old sign-in is still in force and still scheduled.
    expect(state.accounts).toHaveLength(1)
    const [after] = state.accounts
    expect(after).toMatchObject({ id: before!.id, phase: 'ready', problem: null })
    expect(after?.nextCheckAt).toBeGreaterThan(Date.now())
    expect(await h.vault.get(`refresh:${before!.id}`)).toBe(oldToken)
    expect(store.saved).toEqual(savedBefore)

    // Zoho saw one revoke — the new token, given back — and the old token still works there.
    const seen = sim.control.requests()
    expect(seen.filter((r) => r.path.endsWith('/revoke'))).toHaveLength(1)
    expect(seen.length).toBeLessThanOrEqual(6)
    expect(await refreshWorks(oldToken!)).toBe(true)

    // And the app keeps checking with it.
    sim.control.setSeats({ purchased: 25, active: 22 })
    await h.app.refresh()
    expect(h.app.state().accounts[0]).toMatchObject({ problem: null, latest: { available: 3 } })
  })

  it('a first sign-in that cannot be saved leaves no account and no token behind, and says the disk is full', async () => {
    store.full = true
    sim.control.clearRequests()
    await expect(h.app.signIn({ dataCenter: 'US', via: 'window' })).rejects.toThrow(/disk.*full/)
    expect(h.app.state().accounts).toEqual([])
    expect(h.vault.keys()).toEqual([])
    expect(h.app.state().signInProblem?.kind).toBe('disk-error')
    expect(sim.control.requests().filter((r) => r.path.endsWith('/revoke'))).toHaveLength(1)
  })
})

describe('keeping the sign-in while the disk is full', () => {
  it('says the disk is full, not that Zoho answered oddly, and gives the unkept token back to Zoho', async () => {
    const app = startHeadless({
      buildClient: sim.client,
      authBrowser: browser,
      signInServerOverride: sim.accountsServer,
      vault: new FullDiskVault(),
    })
    try {
      await app.app.start()
      sim.control.clearRequests()
      await expect(app.app.signIn({ dataCenter: 'US', via: 'window' })).rejects.toThrow(/disk/)
      expect(app.app.state().signInProblem).toMatchObject({ kind: 'disk-error' })
      expect(app.app.state().signInProblem?.message).toMatch(/the disk is full/)
      expect(app.app.state().signInProblem?.detail).toBe('ENOSPC')
      expect(app.app.state().accounts).toEqual([])
      expect(app.settings.saved.accounts).toEqual([])
      expect(sim.control.requests().filter((r) => r.path.endsWith('/revoke'))).toHaveLength(1)
    } finally {
      await app.dispose()
    }
  })
})

describe('changing settings while the disk is full', () => {
  it('keeps the settings in force, the schedule and the state unchanged, and says the disk is full', async () => {
    await h.app.signIn({ dataCenter: 'US', via: 'window' })
    await h.app.refresh()
    const viewBefore = await h.app.getSettings()
    const stateBefore = h.app.state()
    store.full = true

    await expect(h.app.updateSettings({ pollMinutes: 1, reminderHours: 4 })).rejects.toThrow(
      /could not save.*disk.*full.*ENOSPC/s,
    )
    expect(await h.app.getSettings()).toEqual(viewBefore)
    const stateAfter = h.app.state()
    expect(stateAfter.accounts[0]?.callsPerDay).toBe(96)
    expect(stateAfter.accounts[0]?.nextCheckAt).toBe(stateBefore.accounts[0]?.nextCheckAt)
    expect(store.saved.pollMinutes).toBe(15)

    // Once the disk has room again, the same change applies.
    store.full = false
    expect(await h.app.updateSettings({ pollMinutes: 1 })).toMatchObject({ pollMinutes: 1 })
    expect(h.app.state().accounts[0]?.callsPerDay).toBe(1440)
  })

  it('rolls a saved setting back when applying it hits a full disk, and says so', async () => {
    // What main/index.ts does on a yes to basic_text: move the secrets into a file — here, on a full disk.
    const app = startHeadless({
      settings: store,
      onSettingsChanged: (settings) => {
        if (settings.acceptPlainTextSecrets) writeFileSync('/dev/full', 'the secrets, encrypted')
      },
    })
    try {
      await app.app.start()
      await expect(app.app.updateSettings({ acceptPlainTextSecrets: true })).rejects.toThrow(
        /could not apply the settings.*disk.*full.*ENOSPC/s,
      )
      expect((await app.app.getSettings()).acceptPlainTextSecrets).toBe(false)
      expect(store.saved.acceptPlainTextSecrets).toBe(false)
    } finally {
      await app.dispose()
    }
  })

  it('a Zoho client that cannot be saved is not half set: no client, the old secret kept, and the disk named', async () => {
    await h.vault.set('client-secret', 'the-old-secret-value')
    store.full = true
    await expect(
      h.app.setClient({ clientId: '1000.ABCDEFGH12345', clientSecret: 'a-new-secret-value' }),
    ).rejects.toThrow(/could not save.*disk.*full/s)
    expect(await h.vault.get('client-secret')).toBe('the-old-secret-value')
    expect((await h.app.getSettings()).clientId).toBeNull()
    expect(store.saved.clientId).toBeNull()
  })
})

/** Asks the simulator directly whether a refresh token is still good. */
async function refreshWorks(refreshToken: string): Promise<boolean> {
  const answer = await fetch(`${sim.accountsServer}/oauth/v2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: sim.client.clientId,
      client_secret: sim.client.clientSecret,
    }).toString(),
  })
  const body = (await answer.json()) as { access_token?: string }
  return typeof body.access_token === 'string'
}
