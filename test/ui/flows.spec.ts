/**
 * What a person does in the window, and what the window then asks main for: refresh, fix a problem, change settings,
 * switch ranges and accounts, export, snooze, connect on first run, all from the mouse and from the keyboard.
 */

import { createHash } from 'node:crypto'
import type { Page } from '@playwright/test'
import type { SettingsPatch } from '../../common/contract'
import { windowCsp } from '../../common/csp'
import { problem } from '../../common/problems'
import { type Bounds, DEFAULT_SETTINGS, SETTINGS_BOUNDS } from '../../common/settings'
import { applyPatch } from '../../main/core/settings'
import { account, appState, MULTI, NOW, STATES, settingsView } from './fixtures'
import { callsTo, expect, openWindow, screenshot, seriousA11yViolations, test } from './harness'

/** Opens Settings at one of its groups. */
async function group(page: Page, name: string): Promise<void> {
  if ((await page.getByRole('tablist', { name: 'Settings groups' }).count()) === 0)
    await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByRole('tab', { name, exact: true }).click()
}

test.describe('refresh', () => {
  test('shows progress while Zoho is asked, then the fresh numbers', async ({ page }) => {
    const fresh = appState([
      account({
        latest: { purchased: 25, active: 23, available: 2, at: NOW, mismatch: false },
        lastGoodAt: NOW,
      }),
    ])
    await openWindow(page, { holdRefresh: true, afterRefresh: fresh })
    const button = page.locator('#refresh')
    await expect(button).toHaveText('Check now')
    await button.click()
    await expect(button).toHaveText('Checking…')
    await expect(button).toHaveAttribute('aria-busy', 'true')
    await expect(page.locator('#refresh-result')).toHaveText('Asking Zoho…')
    expect(await callsTo(page, 'refresh')).toEqual([['acme']])

    await page.evaluate(() => window.__fake?.releaseRefresh())
    await expect(button).toHaveText('Check now')
    await expect(page.locator('#refresh-result')).toHaveText('Checked at 10:00: 2 seats free.')
    await expect(page.locator('#available')).toHaveText('2 of 25 seats free')
    await expect(page.locator('#announcer')).toHaveText('Checked at 10:00: 2 seats free.')
  })

  test('says what went wrong when the check fails, and offers nothing to press while Seat Tray retries by itself', async ({
    page,
  }) => {
    await openWindow(page, { afterRefresh: STATES.unreachable.state })
    await page.locator('#refresh').click()
    const sentence = 'Zoho could not be reached. Check the internet connection or the proxy.'
    await expect(page.locator('#refresh-result')).toHaveText(sentence)
    await expect(page.locator('#state-sentence')).toHaveText(sentence)
    await expect(page.locator('#fix')).toHaveCount(0)
    await expect(page.locator('#refresh')).toHaveCount(0)
  })
})

test.describe('problems', () => {
  test('“Sign in again” starts a sign-in in the account’s data center', async ({ page }) => {
    await openWindow(page, { state: STATES['scope-missing'].state })
    await page.getByRole('button', { name: 'Sign in again' }).click()
    expect(await callsTo(page, 'signIn')).toEqual([[{ dataCenter: 'EU', via: 'window' }]])
  })

  test('a missing permission opens the help on asking the admin', async ({ page }) => {
    await openWindow(page, { state: STATES['no-permission'].state })
    await page.getByRole('button', { name: 'How to ask your admin' }).click()
    expect(await callsTo(page, 'openLink')).toEqual([['zoho-scopes-help']])
  })

  test('“Retry” checks again', async ({ page }) => {
    await openWindow(page, { state: STATES.stale.state })
    await page.getByRole('button', { name: 'Retry' }).click()
    await expect.poll(() => callsTo(page, 'refresh')).toEqual([['acme']])
  })

  test('a sign-in in progress can be cancelled', async ({ page }) => {
    await openWindow(page, { state: STATES['signing-in'].state })
    await page.getByRole('button', { name: 'Cancel sign-in' }).click()
    expect(await callsTo(page, 'cancelSignIn')).toEqual([[]])
  })

  test('new numbers pushed by main are announced to screen readers', async ({ page }) => {
    await openWindow(page)
    await page.evaluate((state) => window.__fake?.push(state), STATES.out.state)
    await expect(page.locator('#available')).toHaveText('0 of 25 seats free')
    await expect(page.locator('#announcer')).toHaveText('Acme Ltd: 0 seats free.')
  })
})

test.describe('settings', () => {
  test('changes are saved, survive reopening the window, and show their cost in API calls', async ({
    page,
  }) => {
    await openWindow(page)
    await page.getByRole('tab', { name: 'Settings' }).click()
    await expect(page.locator('#poll-cost')).toHaveText('About 96 Zoho API calls a day for 1 account.')
    const poll = page.getByLabel('Check every (minutes)')
    await poll.fill('5')
    await expect(page.locator('#poll-cost')).toHaveText('About 288 Zoho API calls a day for 1 account.')
    await poll.press('Tab')
    await expect(page.locator('#settings-status')).toHaveText('Saved.')
    await expect(page.locator('#poll-minutes-saved')).toHaveText('Saved')
    await group(page, 'Notifications')
    await page.getByLabel('When seats are freed').uncheck()
    await expect(page.locator('#notify-freed-saved')).toHaveText('Saved')
    await group(page, 'Checks')
    await page.getByLabel('Unit').selectOption('percent')
    await page.getByLabel('Warn when').fill('10')
    await page.getByLabel('Warn when').press('Tab')
    await page.getByLabel('Start Seat Tray when I log in').check()
    await expect(page.locator('#settings-status')).toHaveText('Saved.')
    expect(await callsTo(page, 'updateSettings')).toEqual([
      [{ pollMinutes: 5 }],
      [{ notify: { freed: false } }],
      [{ lowThreshold: { unit: 'percent', value: 1 } }],
      [{ lowThreshold: { unit: 'percent', value: 10 } }],
      [{ launchAtLogin: true }],
    ])

    await page.reload()
    await page.getByRole('tab', { name: 'Settings' }).click()
    await expect(page.getByLabel('Check every (minutes)')).toHaveValue('5')
    await group(page, 'Notifications')
    await expect(page.getByLabel('When seats are freed')).not.toBeChecked()
    await expect(page.getByLabel('When the last seat is taken')).toBeChecked()
    await group(page, 'Checks')
    await expect(page.getByLabel('Unit')).toHaveValue('percent')
    await expect(page.getByLabel('Warn when')).toHaveValue('10')
    await expect(page.getByLabel('Start Seat Tray when I log in')).toBeChecked()
  })

  test('About gives the versions and the data folder, copies diagnostics for a support request, and quits', async ({
    page,
  }) => {
    await openWindow(page)
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.getByRole('tab', { name: 'About', exact: true }).click()
    await expect(page.locator('#panel')).toContainText('Electron 45.5.0')
    await expect(page.locator('#about-data-folder')).toHaveText('/home/ana/.config/seat-tray')
    await page.getByRole('button', { name: 'Copy diagnostics' }).click()
    await expect(page.locator('#diagnostics-copied')).toHaveText('Copied (1,234 characters, no secrets)')
    await page.getByLabel('Keep Seat Tray up to date (downloads in the background)').uncheck()
    await expect(page.locator('#auto-update-saved')).toHaveText('Saved')
    await page.getByRole('button', { name: 'Quit Seat Tray' }).click()
    expect(await callsTo(page, 'updateSettings')).toEqual([[{ autoUpdate: false }]])
    expect(await callsTo(page, 'copyDiagnostics')).toEqual([[]])
    expect(await callsTo(page, 'quit')).toEqual([[]])
  })

  test('launch at login is off until the person turns it on', async ({ page }) => {
    await openWindow(page)
    await page.getByRole('tab', { name: 'Settings' }).click()
    await expect(page.getByLabel('Start Seat Tray when I log in')).not.toBeChecked()
  })

  test('the client secret is never shown: only that one is stored', async ({ page }) => {
    await openWindow(page, { settings: settingsView({ vaultBackend: 'safe-storage-basic-text' }) })
    await group(page, 'Security')
    const secret = page.getByLabel('Client secret')
    await expect(secret).toHaveAttribute('placeholder', 'stored')
    await expect(secret).toHaveValue('')
    await expect(page.locator('#vault-words')).toContainText('only lightly protected')
    await page.getByLabel('Client ID').fill('new-client')
    await secret.fill('s3cret')
    await page.getByRole('button', { name: 'Save client' }).click()
    await expect(page.locator('#client-status')).toHaveText(
      'Client saved. The secret is stored and will not be shown again.',
    )
    await expect(secret).toHaveValue('')
    expect(await callsTo(page, 'setClient')).toEqual([[{ clientId: 'new-client', secretLength: 6 }]])
  })

  for (const scheme of ['light', 'dark'] as const) {
    test(`with no keychain, asks before keeping the sign-in in a fixed-key file, and the yes can be withdrawn (${scheme})`, async ({
      page,
    }) => {
      const noKeychain = settingsView({
        vaultBackend: 'memory',
        vaultNeedsConsent: true,
        vaultUnavailableReason: 'The system keychain did not answer (no answer within 3000 ms).',
      })
      await openWindow(page, { settings: noKeychain }, scheme)
      await group(page, 'Security')
      const words = page.locator('#vault-words')
      await expect(words).toContainText('keeps your Zoho sign-in in memory only')
      await expect(words).toContainText('anyone who can read your files could use it')
      await expect(page.locator('#vault-reason')).toHaveText(
        'Why: The system keychain did not answer (no answer within 3000 ms).',
      )
      const accept = page.getByRole('checkbox', {
        name: 'Keep my sign-in in a file protected only by a fixed key',
      })
      await expect(accept).not.toBeChecked()
      await expect(accept).toHaveAccessibleDescription(/memory only/)
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `settings-fixed-key-asked-${scheme}`)

      await accept.check()
      await expect(page.locator('#settings-status')).toHaveText('Saved.')
      await expect(words).toContainText('only lightly protected')
      await expect(accept).toBeChecked()
      await expect(page.locator('#vault-withdraw-hint')).toContainText('deletes it from the file')
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `settings-fixed-key-accepted-${scheme}`)

      // Withdrawn from the keyboard: focus stays on the box as the region redraws.
      await accept.focus()
      await page.keyboard.press('Space')
      await expect(words).toContainText('keeps your Zoho sign-in in memory only')
      await expect(accept).not.toBeChecked()
      await expect(accept).toBeFocused()
      expect(await callsTo(page, 'updateSettings')).toEqual([
        [{ acceptPlainTextSecrets: true }],
        [{ acceptPlainTextSecrets: false }],
      ])
    })
  }

  test('with a working keychain, never asks about a fixed-key file', async ({ page }) => {
    await openWindow(page)
    await group(page, 'Security')
    await expect(page.locator('#vault-words')).toHaveText('Your sign-in is kept in this computer’s keychain.')
    await expect(page.locator('#accept-plain-text-secrets')).toHaveCount(0)
    await expect(page.locator('#vault-reason')).toHaveCount(0)
  })

  test('snoozing quiets notifications until a chosen time, and can be ended', async ({ page }) => {
    await openWindow(page)
    await group(page, 'Notifications')
    await page.getByRole('button', { name: 'For 1 hour' }).click()
    await expect(page.locator('.snooze')).toContainText('Notifications are snoozed until 27 Nov 2026, 11:00.')
    await page.getByRole('button', { name: 'End snooze' }).click()
    expect(await callsTo(page, 'snooze')).toEqual([['hour'], [null]])
  })

  test('accounts can be removed and added in a chosen data center', async ({ page }) => {
    await openWindow(page)
    await group(page, 'Accounts')
    await page.getByRole('button', { name: 'Remove Acme Ltd' }).click()
    await page.locator('#add-account-dc').selectOption('CN')
    await page.getByRole('button', { name: 'Add an account' }).click()
    expect(await callsTo(page, 'signOut')).toEqual([['acme']])
    expect(await callsTo(page, 'signIn')).toEqual([[{ dataCenter: 'CN', via: 'window' }]])
  })

  test('a number the settings rules refuse is never sent, and the numbers at their edges are', async ({
    page,
  }) => {
    await openWindow(page)
    await page.getByRole('tab', { name: 'Settings' }).click()
    const seatsThreshold = (value: number): SettingsPatch => ({ lowThreshold: { unit: 'seats', value } })
    const percentThreshold = (value: number): SettingsPatch => ({ lowThreshold: { unit: 'percent', value } })
    const inputs: { id: string; bounds: Bounds; patch: (value: number) => SettingsPatch }[] = [
      { id: '#poll-minutes', bounds: SETTINGS_BOUNDS.pollMinutes, patch: (v) => ({ pollMinutes: v }) },
      {
        id: '#renewal-days',
        bounds: SETTINGS_BOUNDS.renewalWarnDays,
        patch: (v) => ({ renewalWarnDays: v }),
      },
      {
        id: '#retention-days',
        bounds: SETTINGS_BOUNDS.historyRetentionDays,
        patch: (v) => ({ historyRetentionDays: v }),
      },
      { id: '#low-value', bounds: SETTINGS_BOUNDS.thresholdSeats, patch: seatsThreshold },
      { id: '#low-value', bounds: SETTINGS_BOUNDS.thresholdPercent, patch: percentThreshold },
    ]
    const refused: SettingsPatch[] = []
    const accepted: SettingsPatch[] = []
    for (const { id, bounds, patch } of inputs) {
      await group(page, id === '#renewal-days' ? 'Notifications' : 'Checks')
      if (patch === percentThreshold) await page.getByLabel('Unit').selectOption('percent')
      for (const value of [bounds.min - 1, bounds.min, bounds.max, bounds.max + 1]) {
        await page.locator(id).fill(String(value))
        await page.locator(id).press('Tab')
        const inBounds = value >= bounds.min && value <= bounds.max
        ;(inBounds ? accepted : refused).push(patch(value))
      }
    }
    await expect(page.locator('#settings-status')).toHaveText('Saved.')
    // The engine's own rules, not a copy of its bounds, judge both lists.
    for (const p of accepted) expect(() => applyPatch(DEFAULT_SETTINGS, p)).not.toThrow()
    for (const p of refused) expect(() => applyPatch(DEFAULT_SETTINGS, p)).toThrow(/must be/)
    expect((await callsTo(page, 'updateSettings')).map(([p]) => p)).toEqual(accepted)
  })
})

test.describe('history', () => {
  test('each range asks main for that range, at most 500 points', async ({ page }) => {
    await openWindow(page)
    await page.getByRole('tab', { name: 'History' }).click()
    await expect(page.locator('#chart canvas')).toHaveCount(1)
    await page.getByRole('tab', { name: 'the last 7 days' }).click()
    await page.getByRole('tab', { name: 'the last 30 days' }).click()
    await page.getByRole('tab', { name: 'the last year' }).click()
    await expect(page.getByRole('tab', { name: 'the last year' })).toHaveAttribute('aria-selected', 'true')
    await expect
      .poll(() => callsTo(page, 'getHistory'))
      .toEqual(
        (['24h', '7d', '30d', '1y'] as const).map((range) => [{ accountId: 'acme', range, maxPoints: 500 }]),
      )
    await expect(page.locator('#chart')).toHaveAttribute(
      'aria-label',
      /^Seats over the last year: available went from/,
    )
  })

  test('events are listed in words, newest first', async ({ page }) => {
    await openWindow(page)
    await page.getByRole('tab', { name: 'History' }).click()
    const items = page.locator('.event-list li')
    await expect(items).toHaveCount(3)
    await expect(items.nth(0)).toContainText('Purchased seats changed: 20 → 25 purchased')
    await expect(items.nth(1)).toContainText('Ran out: 0 available')
    await expect(items.nth(2)).toContainText('Seats freed: 1 seat freed')
  })

  test('CSV export saves the range on screen and says where', async ({ page }) => {
    await openWindow(page)
    await page.getByRole('tab', { name: 'History' }).click()
    await page.getByRole('tab', { name: 'the last 30 days' }).click()
    await page.getByRole('button', { name: 'Export CSV' }).click()
    await expect(page.locator('#export-result')).toHaveText('Saved to /home/office/acme-seats.csv.')
    expect(await callsTo(page, 'exportCsv')).toEqual([[{ accountId: 'acme', range: '30d' }]])
  })

  test('a cancelled export says nothing was saved', async ({ page }) => {
    await openWindow(page, { exportResult: { saved: false } })
    await page.getByRole('tab', { name: 'History' }).click()
    await page.getByRole('button', { name: 'Export CSV' }).click()
    await expect(page.locator('#export-result')).toHaveText('Export cancelled: nothing was saved.')
  })

  test('an export the disk refused says what the disk said', async ({ page }) => {
    const problem = 'Seat Tray could not save the CSV file: the disk is full. Nothing was lost.'
    await openWindow(page, { exportResult: { saved: false, problem } })
    await page.getByRole('tab', { name: 'History' }).click()
    await page.getByRole('button', { name: 'Export CSV' }).click()
    await expect(page.locator('#export-result')).toHaveText(problem)
  })
})

test.describe('several accounts', () => {
  test('the switcher shows the chosen org, and Refresh checks that org', async ({ page }) => {
    await openWindow(page, { state: MULTI })
    await expect(page.locator('#account-name')).toHaveText('Globex GmbH')
    await page.getByRole('tab', { name: /Acme Ltd/ }).click()
    await expect(page.locator('#account-name')).toHaveText('Acme Ltd')
    await expect(page.locator('#available')).toHaveText('3 of 25 seats free')
    await page.locator('#refresh').click()
    await expect.poll(() => callsTo(page, 'refresh')).toEqual([['acme']])
  })

  test('main can ask the window to show an account (a notification was clicked)', async ({ page }) => {
    await openWindow(page, { state: MULTI })
    await page.getByRole('tab', { name: 'Settings' }).click()
    await page.evaluate(() => window.__fake?.show({ accountId: 'acme' }))
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.locator('#account-name')).toHaveText('Acme Ltd')
  })
})

test.describe('opened by main at a place', () => {
  test('“Show who” on the seats-ran-out notice opens who holds that org’s seats, from any view', async ({
    page,
  }) => {
    await openWindow(page, { state: MULTI })
    await page.getByRole('tab', { name: 'History' }).click()
    await page.evaluate(() => window.__fake?.show({ accountId: 'acme', view: 'seat-holders' }))
    await expect(page.getByRole('heading', { name: 'Who holds seats' })).toBeFocused()
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByRole('tab', { name: /Acme Ltd/ })).toHaveAttribute('aria-selected', 'true')
    expect(await callsTo(page, 'getSeatHolders')).toEqual([['acme']])
  })

  test('“About Seat Tray” in the tray menu opens Settings › About, its version on screen', async ({
    page,
  }) => {
    await openWindow(page)
    await page.evaluate(() => window.__fake?.show({ view: 'about' }))
    await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true')
    const about = page.getByRole('tab', { name: 'About', exact: true })
    await expect(about).toHaveAttribute('aria-selected', 'true')
    await expect(about).toBeFocused()
    await expect(page.locator('#about-version')).toHaveText('Seat Tray 0.1.0')
  })

  test('“Settings…” in the tray menu opens Settings', async ({ page }) => {
    await openWindow(page)
    await page.evaluate(() => window.__fake?.show({ view: 'settings' }))
    await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true')
  })

  test('on first run, tray “About” opens the first-run screen’s About (version, Quit) and the first sign-in still lands on the overview', async ({
    page,
  }) => {
    await openWindow(page, { state: appState([]) })
    await expect(page.locator('#about-version')).toHaveCount(0)
    await page.evaluate(() => window.__fake?.show({ view: 'about' }))
    await expect(page.getByRole('button', { name: 'Sign in with Zoho' })).toBeVisible()
    await expect(page.locator('#about-version')).toHaveText('Seat Tray 0.1.0')
    await expect(page.locator('#about-version')).toBeInViewport()
    await expect(page.getByRole('button', { name: 'Quit Seat Tray' })).toBeVisible()
    await expect(page.getByText('About Seat Tray')).toBeFocused()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'first-run-about-light')
    await page.evaluate((next) => window.__fake?.push(next), appState([account()]))
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.locator('#account-name')).toHaveText('Acme Ltd')
  })

  test('a place on an org that is no longer signed in leaves the window as it was and asks for nothing', async ({
    page,
  }) => {
    await openWindow(page, { state: MULTI })
    await page.getByRole('tab', { name: 'History' }).click()
    await page.evaluate(() => window.__fake?.show({ accountId: 'signed-out-since', view: 'seat-holders' }))
    await expect(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true')
    expect(await callsTo(page, 'getSeatHolders')).toEqual([])
  })
})

test.describe('keyboard', () => {
  test('tab order runs sections, accounts, then the panel; arrows move within tab lists', async ({
    page,
  }) => {
    await openWindow(page, { state: MULTI })
    await page.keyboard.press('Tab')
    await expect(page.getByRole('tab', { name: 'Overview' })).toBeFocused()
    await page.keyboard.press('Tab')
    await expect(page.getByRole('tab', { name: /Globex GmbH/ })).toBeFocused()
    await page.keyboard.press('ArrowLeft')
    await expect(page.getByRole('tab', { name: /Acme Ltd/ })).toBeFocused()
    await expect(page.locator('#account-name')).toHaveText('Acme Ltd')

    await page.keyboard.press('Shift+Tab')
    await expect(page.getByRole('tab', { name: 'Overview' })).toBeFocused()
    await page.keyboard.press('ArrowRight')
    await expect(page.getByRole('tab', { name: 'History' })).toBeFocused()
    await expect(page.locator('#chart')).toBeVisible()

    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await expect(page.getByRole('tab', { name: 'the last 24 hours' })).toBeFocused()
    await page.keyboard.press('End')
    await expect(page.getByRole('tab', { name: 'the last year' })).toBeFocused()
    await page.keyboard.press('Home')
    await expect(page.getByRole('tab', { name: 'the last 24 hours' })).toBeFocused()
    await page.keyboard.press('ArrowRight')
    await expect(page.getByRole('tab', { name: 'the last 7 days' })).toHaveAttribute('aria-selected', 'true')
    await expect
      .poll(async () => (await callsTo(page, 'getHistory')).map((c) => (c[0] as { range: string }).range))
      .toEqual(['24h', '1y', '24h', '7d'])
  })

  test('Enter and Space press buttons', async ({ page }) => {
    await openWindow(page, { state: STATES.stale.state, afterRefresh: STATES.ok.state })
    await page.locator('#fix').focus()
    await page.keyboard.press('Space')
    await expect.poll(() => callsTo(page, 'refresh')).toEqual([['acme']])
    await page.locator('#refresh').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => callsTo(page, 'refresh')).toEqual([['acme'], ['acme']])
  })
})

test.describe('first run', () => {
  const noClient = {
    state: appState([], { clientConfigured: false }),
    settings: settingsView({ clientConfigured: false, clientId: null, hasClientSecret: false }),
  }

  test('saving the registered client enables signing in, in the chosen data center', async ({ page }) => {
    await openWindow(page, noClient)
    const signIn = page.getByRole('button', { name: 'Sign in with Zoho' })
    // Without a client there is nothing to sign in with: the button comes with the client.
    await expect(signIn).toHaveCount(0)

    await page.getByRole('button', { name: 'I’m setting up Zoho for my company' }).click()
    await page.getByRole('button', { name: 'Open the API console' }).click()
    await page.getByLabel('Client ID').fill('1000.ABC')
    await page.getByLabel('Client secret').fill('shh')
    await page.getByRole('button', { name: 'Save client' }).click()
    await expect(signIn).toBeVisible()
    await page.getByLabel('Where your Zoho account lives').selectOption('CN')
    await page.getByRole('button', { name: 'Sign in with Zoho' }).click()
    await page.getByRole('button', { name: 'Use my browser instead' }).click()

    expect(await callsTo(page, 'openLink')).toEqual([['zoho-api-console']])
    expect(await callsTo(page, 'setClient')).toEqual([[{ clientId: '1000.ABC', secretLength: 3 }]])
    expect(await callsTo(page, 'signIn')).toEqual([
      [{ dataCenter: 'CN', via: 'window' }],
      [{ dataCenter: 'CN', via: 'browser' }],
    ])
  })

  test('“Try the demo” starts the simulated org', async ({ page }) => {
    await openWindow(page, noClient)
    await page.getByRole('button', { name: 'Try the demo' }).click()
    expect(await callsTo(page, 'startDemo')).toEqual([[]])
  })

  test('a sign-in that did not finish says why, and a missing client leads to the client form', async ({
    page,
  }) => {
    const failed = problem('invalid-client', { message: 'No Zoho client is set up yet.' })
    await openWindow(page, {
      ...noClient,
      state: appState([], { clientConfigured: false, signInProblem: failed }),
    })
    const alert = page.getByRole('alert').filter({ hasText: 'No Zoho client is set up yet.' })
    await expect(alert).toBeVisible()
    await alert.getByRole('button', { name: failed.actionLabel }).click()
    await expect(page.getByLabel('Client ID')).toBeFocused()
    expect(await seriousA11yViolations(page)).toEqual([])
  })

  test('a refused consent is explained without a button to press', async ({ page }) => {
    await openWindow(page, { state: appState([], { signInProblem: problem('sign-in-cancelled') }) })
    const alert = page.getByRole('alert').filter({ hasText: 'Sign-in was cancelled.' })
    await expect(alert).toBeVisible()
    await expect(alert.getByRole('button')).toHaveCount(0)
  })

  test('while signing in, the first-run screen waits and offers to cancel', async ({ page }) => {
    await openWindow(page, { state: appState([], { signingIn: 'US' }) })
    await expect(page.locator('#app')).toContainText('Finish signing in to Zoho in the window that opened.')
    await page.getByRole('button', { name: 'Cancel sign-in' }).click()
    expect(await callsTo(page, 'cancelSignIn')).toEqual([[]])
  })
})

test.describe('office proxy sign-in', () => {
  const PROXY = {
    id: 'proxy-1',
    host: 'proxy.corp',
    port: 3128,
    realm: 'Corp',
    scheme: 'basic',
    retry: false,
  }

  test('asks for the proxy’s username and password, with focus in the dialog, and sends them once', async ({
    page,
  }) => {
    await openWindow(page)
    await page.evaluate((request) => window.__fake?.askProxyAuth(request), PROXY)
    const dialog = page.getByRole('dialog', { name: 'Your office proxy asks you to sign in' })
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('proxy.corp:3128')
    await expect(page.getByLabel('Username')).toBeFocused()
    await expect(page.locator('#proxy-auth-error')).toBeHidden()
    await page.keyboard.type('CORP\\ann')
    await page.keyboard.press('Tab')
    await page.keyboard.type('s3cret')
    await page.getByLabel('Remember on this computer').check()
    await page.keyboard.press('Enter')
    await expect(dialog).toBeHidden()
    expect(await callsTo(page, 'answerProxyAuth')).toEqual([
      [{ id: 'proxy-1', username: 'CORP\\ann', password: 's3cret', remember: true }],
    ])
    // Nothing of the password stays in the page.
    await expect(page.getByLabel('Password')).toHaveValue('')
  })

  test('Escape and Cancel both answer “cancel”', async ({ page }) => {
    await openWindow(page)
    await page.evaluate((request) => window.__fake?.askProxyAuth(request), PROXY)
    await expect(page.getByRole('dialog')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog')).toBeHidden()
    await page.evaluate((request) => window.__fake?.askProxyAuth(request), { ...PROXY, id: 'proxy-2' })
    await page.getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('dialog')).toBeHidden()
    expect(await callsTo(page, 'answerProxyAuth')).toEqual([
      [{ id: 'proxy-1', cancel: true }],
      [{ id: 'proxy-2', cancel: true }],
    ])
  })

  test('says when the proxy refused the last username or password', async ({ page }) => {
    await openWindow(page)
    await page.evaluate((request) => window.__fake?.askProxyAuth(request), { ...PROXY, retry: true })
    await expect(page.getByRole('alert')).toHaveText('That username or password was not accepted.')
  })

  test('does not send an empty username', async ({ page }) => {
    await openWindow(page)
    await page.evaluate((request) => window.__fake?.askProxyAuth(request), PROXY)
    await page.getByRole('button', { name: 'Sign in to the proxy' }).click()
    await expect(page.getByRole('dialog')).toBeVisible()
    expect(await callsTo(page, 'answerProxyAuth')).toEqual([])
  })

  for (const scheme of ['light', 'dark'] as const) {
    test(`passes axe in ${scheme}, refusal message included`, async ({ page }) => {
      await openWindow(page, {}, scheme)
      await page.evaluate((request) => window.__fake?.askProxyAuth(request), { ...PROXY, retry: true })
      await expect(page.getByRole('dialog')).toBeVisible()
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `proxy-auth-${scheme}`)
    })
  }
})

test('the window paints from one file, and its CSP allows nothing but its own files and that file’s script and style', async ({
  page,
}) => {
  await openWindow(page)
  const found = await page.evaluate(() => {
    const painted = performance.getEntriesByName('seats:data-rendered')[0]?.startTime ?? Number.NaN
    return {
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
      scripts: [...document.querySelectorAll('script')].map((s) => ({
        src: s.src,
        text: s.textContent ?? '',
      })),
      styles: [...document.querySelectorAll('style')].map((s) => s.textContent ?? ''),
      linkedStyles: [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) =>
        l.getAttribute('href'),
      ),
      fetchedBeforeNumbers: performance
        .getEntriesByType('resource')
        .filter((r) => r.startTime < painted)
        .map((r) => r.name),
    }
  })
  // One file up to the numbers on screen: each extra file cost 15–20 ms there.
  expect(found.fetchedBeforeNumbers).toEqual([])
  expect(found.scripts.map((s) => s.src)).toEqual([''])
  expect(found.styles).toHaveLength(1)
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
  const inline = { scripts: found.scripts.map((s) => hash(s.text)), styles: found.styles.map(hash) }
  expect(found.csp).toBe(windowCsp(inline, 'meta'))
  expect(found.csp).toBe(
    `default-src 'none'; script-src 'self' ${inline.scripts[0]}; style-src 'self' ${inline.styles[0]}; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'`,
  )
  // Only the chart's own stylesheet is a file, and it comes with the chart (loaded while idle).
  expect(found.linkedStyles.every((href) => /uPlot/.test(href ?? ''))).toBe(true)
})
