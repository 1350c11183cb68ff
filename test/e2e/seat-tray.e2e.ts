import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _electron, type ElectronApplication, expect, type Page, test } from '@playwright/test'
import type { SeatTray } from '../../main/core/app'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { STORY } from '../stories/story-catalogue'

/**
 * The built app (out/), launched by Playwright against the Zoho simulator over loopback: the tray, the window,
 * sign-in through Zoho's (simulated) consent page, the badge and a notification. Needs `npm run build` and the
 * Electron binary; test/e2e/run.mjs checks both.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))

interface E2eHook {
  tray: Electron.Tray
  menu: Electron.Menu | null
  app: SeatTray
  showWindow(): void
}
declare global {
  var __seatTrayE2E: E2eHook
  var __shownNotifications: { title: string; body: string }[]
}

let sim: Simulator
let app: ElectronApplication
let userData: string

test.beforeEach(async () => {
  sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
  userData = mkdtempSync(join(tmpdir(), 'seat-tray-e2e-'))
  app = await _electron.launch({
    args: [root, '--disable-gpu'],
    cwd: root,
    env: {
      ...process.env,
      SEAT_TRAY_E2E: '1',
      SEAT_TRAY_E2E_USER_DATA: userData,
      SEAT_TRAY_E2E_ZOHO: JSON.stringify({
        accountsServer: sim.accountsServer,
        clientId: sim.client.clientId,
        clientSecret: sim.client.clientSecret,
      }),
    },
  })
  // Record notifications instead of showing them (and pretend the desktop has a notification service).
  await app.evaluate(({ Notification }) => {
    globalThis.__shownNotifications = []
    Notification.isSupported = () => true
    Notification.prototype.show = function show(this: Electron.Notification) {
      globalThis.__shownNotifications.push({ title: this.title, body: this.body })
    }
  })
})

test.afterEach(async () => {
  await app?.close()
  await sim?.close()
  rmSync(userData, { recursive: true, force: true })
})

// The same story names as the test host's suite (test/stories): the stories this binary can tell, told here too.
test(`${STORY.signInConsent}; then ${STORY.outNotifiesOnce}`, async () => {
  await expect.poll(() => hasHook(app)).toBe(true)
  const popup = await openWindowFromTray(app)
  await expect(popup.locator('body')).toBeVisible()

  const before = await trayBadge(app)
  expect(before).not.toBe('5')

  // Sign in the way the window does, through the preload and IPC; Zoho's page opens in the sign-in window.
  const signInWindow = app.waitForEvent('window')
  const signingIn = popup.evaluate(() => window.seats?.signIn({ dataCenter: 'US', via: 'window' }))
  const consent = await signInWindow
  await consent.locator('#accept').click()
  await signingIn

  await expect.poll(() => trayBadge(app)).toBe('5')
  const state = await popup.evaluate(() => window.seats?.getState())
  expect(state?.accounts).toHaveLength(1)
  expect(state?.accounts[0]?.latest).toMatchObject({ purchased: 25, active: 20, available: 5 })

  // Someone takes the last seats; "Refresh now" in the tray menu picks it up.
  sim.control.setSeats({ purchased: 25, active: 25 })
  await app.evaluate(() => globalThis.__seatTrayE2E.menu?.getMenuItemById('refresh')?.click())
  await expect.poll(() => trayBadge(app)).toBe('0')
  await expect
    .poll(() => app.evaluate(() => globalThis.__shownNotifications.map((n) => n.title)))
    .toContainEqual(expect.stringMatching(/no free seats/))
})

test(STORY.signOut, async () => {
  await expect.poll(() => hasHook(app)).toBe(true)
  const popup = await openWindowFromTray(app)
  await signInThroughWindow(app, popup)
  await expect.poll(() => trayBadge(app)).toBe('5')
  const id = await popup.evaluate(() => window.seats?.getState().then((s) => s.accounts[0]?.id))
  await popup.evaluate((accountId) => window.seats?.signOut(accountId!), id)
  await expect.poll(() => sim.control.requests().filter((r) => r.path.includes('revoke')).length).toBe(1)
  await expect
    .poll(() => popup.evaluate(() => window.seats?.getState().then((s) => s.accounts.length)))
    .toBe(0)
})

test(STORY.windowIsChecked, async () => {
  await expect.poll(() => hasHook(app)).toBe(true)
  const popup = await openWindowFromTray(app)
  // Through Electron's real preload and ipcMain: the payload schema refuses what the contract does not allow.
  const refused = await popup.evaluate(() =>
    window.seats?.updateSettings({ pollMinutes: -5, evil: true } as never).then(
      () => 'accepted',
      (e: Error) => e.message,
    ),
  )
  expect(refused).toMatch(/Refused updateSettings/)
})

test(STORY.secondLaunch, async () => {
  await expect.poll(() => hasHook(app)).toBe(true)
  // The single-instance lock makes the second process quit at once; Playwright may report that as a failed launch.
  const second = await _electron
    .launch({
      args: [root, '--disable-gpu'],
      cwd: root,
      env: { ...process.env, SEAT_TRAY_E2E: '1', SEAT_TRAY_E2E_USER_DATA: userData },
    })
    .catch(() => null)
  if (second) await expect.poll(() => second.process().exitCode, { timeout: 15_000 }).not.toBeNull()
  await expect
    .poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().some((w) => w.isVisible())))
    .toBe(true)
})

/** Sign in the way the window does, through the preload and IPC; Zoho's page opens in the sign-in window. */
async function signInThroughWindow(electronApp: ElectronApplication, popup: Page): Promise<void> {
  const signInWindow = electronApp.waitForEvent('window')
  const signingIn = popup.evaluate(() => window.seats?.signIn({ dataCenter: 'US', via: 'window' }))
  const consent = await signInWindow
  await consent.locator('#accept').click()
  await signingIn
}

function hasHook(electronApp: ElectronApplication): Promise<boolean> {
  return electronApp.evaluate(() => typeof globalThis.__seatTrayE2E === 'object')
}

async function openWindowFromTray(electronApp: ElectronApplication): Promise<Page> {
  await electronApp.evaluate(() => {
    globalThis.__seatTrayE2E.tray.emit('click')
  })
  const page = await electronApp.firstWindow()
  await page.waitForLoadState('domcontentloaded')
  return page
}

function trayBadge(electronApp: ElectronApplication): Promise<string> {
  return electronApp.evaluate(() => globalThis.__seatTrayE2E.app.trayModel().badge)
}
