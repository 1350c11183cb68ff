/**
 * Every state the window can show: the plain sentence from the Problem, the one action that fixes it, no serious
 * accessibility violation in light or dark, and a screenshot of each for people to look at.
 */
import { problem } from '../../common/problems'
import { appState, MULTI, STATES, type StateName, settingsView } from './fixtures'
import { expect, openWindow, screenshot, seriousA11yViolations, test } from './harness'

interface Expectation {
  /** What a person reads. */
  says: (string | RegExp)[]
  /** The one button that fixes it, or null when there is nothing to press (Seat Tray waits by itself). */
  action: string | null
}

const EXPECT: Record<StateName, Expectation> = {
  ok: {
    says: [
      '3 seats free',
      'Seats free',
      /Last checked\s*5 minutes ago/,
      'Licenses renew on 1 March 2027, in 94 days.',
    ],
    action: null,
  },
  low: { says: ['1 seat free', 'Running low'], action: null },
  out: { says: ['0 seats free', 'No seats free', 'Every seat is taken now.'], action: null },
  stale: {
    says: ['These numbers are from 3 hours ago', problem('timeout').message, 'Out of date'],
    action: 'Retry',
  },
  offline: { says: [problem('offline').message], action: 'Retry' },
  throttled: {
    says: [problem('token-throttled').message, 'Seat Tray will try again by itself in 9 minutes'],
    action: null,
  },
  'scope-missing': { says: [problem('scope-missing').message], action: 'Sign in again' },
  'no-permission': {
    says: ['Ask your Zoho admin for the ZohoCRM.features.READ scope.'],
    action: 'How to ask your admin',
  },
  unreachable: { says: [problem('unreachable').message], action: 'Retry' },
  'signed-out': { says: [problem('reauth-needed').message, 'Signed out'], action: 'Sign in again' },
  'signing-in': { says: ['Finish signing in to Zoho in the window that opened.'], action: 'Cancel sign-in' },
  'first-poll': { says: ['Signed in. Reading your license counts from Zoho…'], action: null },
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode`, () => {
    for (const [name, fixture] of Object.entries(STATES) as [StateName, (typeof STATES)[StateName]][]) {
      const expected = EXPECT[name]
      test(`the ${name} state says what is going on and offers the one fix`, async ({ page }) => {
        await openWindow(page, { state: fixture.state }, scheme)
        const panel = page.locator('#panel')
        for (const text of expected.says) await expect(page.locator('#app')).toContainText(text)
        const fix = panel.locator('#fix, #cancel-sign-in')
        if (expected.action) await expect(fix).toHaveText(expected.action)
        else await expect(fix).toHaveCount(0)
        expect(await seriousA11yViolations(page)).toEqual([])
        await screenshot(page, `${name}-${scheme}`)
      })
    }

    test('first run explains how to register a Zoho client and offers the demo', async ({ page }) => {
      await openWindow(
        page,
        {
          state: appState([], { clientConfigured: false }),
          settings: settingsView({ clientConfigured: false, clientId: null, hasClientSecret: false }),
        },
        scheme,
      )
      const app = page.locator('#app')
      await expect(app).toContainText('“Mobile-based”')
      await expect(app).toContainText('“Server-based”')
      await expect(page.getByLabel('Redirect URI')).toHaveValue('http://127.0.0.1:47813/oauth/callback')
      await expect(
        page.getByLabel('Where your Zoho account lives').locator('option', { hasText: 'China' }),
      ).toHaveCount(1)
      await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible()
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `first-run-${scheme}`)
    })

    test('several orgs get an account switcher showing each one’s free seats', async ({ page }) => {
      await openWindow(page, { state: MULTI }, scheme)
      const tabs = page.getByRole('tablist', { name: 'Accounts' }).getByRole('tab')
      await expect(tabs).toHaveCount(2)
      await expect(tabs.nth(1)).toHaveAccessibleName('Globex GmbH: 0 seats free')
      // The worst account is shown first.
      await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true')
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `accounts-${scheme}`)
    })

    test('history and settings read cleanly', async ({ page }) => {
      await openWindow(page, {}, scheme)
      await page.getByRole('tab', { name: 'History' }).click()
      await expect(page.locator('#chart canvas')).toHaveCount(1)
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `history-${scheme}`)
      await page.getByRole('tab', { name: 'Settings' }).click()
      await expect(page.getByLabel('Check every (minutes)')).toHaveValue('15')
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `settings-${scheme}`)
    })
  })
}
