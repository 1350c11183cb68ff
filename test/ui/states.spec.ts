/**
 * Every state the window can show, judged at its real size (380 × 560) in light and dark: the hero (org, free seats
 * of purchased), the one sentence and its one action are inside the window as it opens, calm states are grey and
 * offer nothing that would make things worse, no serious accessibility violation, the keyboard reaches the action
 * first, and a screenshot of each at real size (plus the whole page where it scrolls) for people to look at.
 */
import { readFileSync } from 'node:fs'
import { problem } from '../../common/problems'
import { appState, MULTI, STATES, type StateName, settingsView } from './fixtures'
import { callsTo, expect, inViewport, openWindow, screenshot, seriousA11yViolations, test } from './harness'

interface Expectation {
  /** The hero's figure: free seats of purchased, or "Checking…". */
  hero: string | RegExp
  /** The state's one sentence. */
  sentence: string | RegExp
  /** The one button, or null when there is nothing to press (Seat Tray waits by itself). */
  action: string | null
  /** Grey and quiet: nothing is wrong with the seats. */
  calm: boolean
  /** Other things a person reads somewhere in the window. */
  also?: (string | RegExp)[]
}

const EXPECT: Record<StateName, Expectation> = {
  ok: {
    hero: '3 of 25 seats free',
    sentence: 'Enough seats free: nothing to do.',
    action: null,
    calm: false,
    also: [/Checked\s*5 minutes ago/, 'Licenses renew on 1 March 2027, in 94 days.', '22 in use'],
  },
  low: { hero: '1 of 25 seats free', sentence: /Running low/, action: 'Free a seat', calm: false },
  out: {
    hero: '0 of 25 seats free',
    sentence: 'No one new can be added until a seat is freed or bought.',
    action: 'Free a seat',
    calm: false,
  },
  stale: {
    hero: '3 of 25 seats free',
    sentence: problem('timeout').message,
    action: 'Retry',
    calm: true,
    also: ['as of Fri 07:00', /Next check\s*in 10 minutes/],
  },
  offline: {
    hero: '3 of 25 seats free',
    sentence: 'This computer is offline. Seat Tray checks again when it is back online.',
    action: null,
    calm: true,
  },
  throttled: {
    hero: '3 of 25 seats free',
    sentence: /Next try in 9 minutes\./,
    action: null,
    calm: true,
  },
  'scope-missing': {
    hero: '3 of 25 seats free',
    sentence: problem('scope-missing').message,
    action: 'Sign in again',
    calm: false,
  },
  'no-permission': {
    hero: '3 of 25 seats free',
    sentence: /Ask your Zoho admin for the ZohoCRM.features.READ scope./,
    action: 'How to ask your admin',
    calm: false,
  },
  unreachable: {
    hero: '3 of 25 seats free',
    sentence: problem('unreachable').message,
    action: null,
    calm: true,
  },
  'signed-out': {
    hero: '3 of 25 seats free',
    sentence: problem('reauth-needed').message,
    action: 'Sign in again',
    calm: false,
    also: ['as of Tue 14:05'],
  },
  'signing-in': {
    hero: 'Checking…',
    sentence: 'Finish signing in to Zoho in the window that opened.',
    action: 'Cancel sign-in',
    calm: true,
  },
  'first-poll': {
    hero: 'Checking…',
    sentence: 'Signed in. Reading your license counts from Zoho…',
    action: null,
    calm: true,
  },
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode at 380 × 560`, () => {
    for (const [name, fixture] of Object.entries(STATES) as [StateName, (typeof STATES)[StateName]][]) {
      const expected = EXPECT[name]
      test(`the ${name} state shows the org, its seats, one sentence and its one action without scrolling`, async ({
        page,
      }) => {
        await openWindow(page, { state: fixture.state }, scheme)
        await expect(page.locator('#account-name')).toHaveText('Acme Ltd')
        await expect(page.locator('#available')).toHaveText(expected.hero)
        await expect(page.locator('#state-sentence')).toHaveText(expected.sentence)
        for (const text of expected.also ?? []) await expect(page.locator('#app')).toContainText(text)
        // Each fact once: when the numbers are dated in the hero, nothing else says again how old they are.
        const overview = ((await page.locator('#panel').textContent()) ?? '').replace(/\s+/g, ' ')
        const ages = overview.match(/as of |numbers are from|Checked /g) ?? []
        expect(ages.length, `how old the numbers are, said in: ${overview}`).toBeLessThanOrEqual(1)
        for (const id of ['#account-name', '#available', '#state-sentence'])
          expect(await inViewport(page, id), `${id} inside the window`).toBe(true)
        const action = page.locator('#panel button.action')
        if (expected.action) {
          await expect(action).toHaveText(expected.action)
          expect(await inViewport(page, '#panel button.action'), 'the action inside the window').toBe(true)
        } else await expect(action).toHaveCount(0)
        // Calm states are grey: the figure is not coloured as seats ok, low or out, and nothing red says "act".
        // Numbers that are not current (signed out, a problem to fix) are greyed too; only the sentence is red.
        const seats = name === 'ok' || name === 'low' || name === 'out'
        await expect(page.locator('.hero')).toHaveClass(seats ? new RegExp(`tone-${name}`) : /tone-calm/)
        if (expected.calm) {
          await expect(page.locator('#state-sentence')).toHaveClass(/mood-calm/)
          await expect(page.locator('#panel button.primary')).toHaveCount(0)
        } else await expect(page.locator('#state-sentence')).not.toHaveClass(/mood-calm/)
        expect(await seriousA11yViolations(page)).toEqual([])
        expect(await screenshot(page, `${name}-${scheme}`), 'the overview fits the window').toBe(false)
        // The keyboard reaches the state's action straight after the sections.
        if (expected.action) {
          await page.locator('body').focus()
          const order: string[] = []
          for (let i = 0; i < 3; i++) {
            await page.keyboard.press('Tab')
            order.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''))
          }
          expect(order[0]).toBe('Overview')
          expect(order[1]).toBe(expected.action)
        }
      })
    }

    test('“Free a seat” leads to who holds the seats, not out of the window', async ({ page }) => {
      await openWindow(page, { state: STATES.out.state }, scheme)
      await page.getByRole('button', { name: 'Free a seat' }).click()
      await expect(page.getByRole('heading', { name: 'Who holds seats' })).toBeFocused()
      expect(await callsTo(page, 'openLink')).toEqual([])
      expect(await callsTo(page, 'refresh')).toEqual([])
    })

    test('first run offers “Sign in with Zoho” and “Try the demo” first, the setup tutorial behind its own button', async ({
      page,
    }) => {
      await openWindow(
        page,
        {
          state: appState([], { clientConfigured: true }),
          settings: settingsView({ clientConfigured: true }),
        },
        scheme,
      )
      for (const name of ['Sign in with Zoho', 'Try the demo']) {
        const button = page.getByRole('button', { name, exact: true })
        await expect(button).toBeVisible()
        expect(await button.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(
          true,
        )
      }
      await expect(page.getByText('“Mobile-based”')).toHaveCount(0)
      await expect(
        page.getByLabel('Where your Zoho account lives').locator('option', { hasText: 'China' }),
      ).toHaveCount(1)
      expect(await seriousA11yViolations(page)).toEqual([])
      expect(await screenshot(page, `first-run-${scheme}`)).toBe(false)
    })

    test('first run without a built-in client puts the demo first and the registration steps behind “I’m setting up Zoho for my company”', async ({
      page,
    }) => {
      await openWindow(
        page,
        {
          state: appState([], { clientConfigured: false }),
          settings: settingsView({ clientConfigured: false, clientId: null, hasClientSecret: false }),
        },
        scheme,
      )
      const demo = page.getByRole('button', { name: 'Try the demo' })
      expect(await inViewport(page, '#start-demo')).toBe(true)
      await expect(demo).toBeVisible()
      await expect(page.getByText('“Mobile-based”')).toHaveCount(0)
      expect(await screenshot(page, `first-run-no-client-${scheme}`)).toBe(false)
      await page.getByRole('button', { name: 'I’m setting up Zoho for my company' }).click()
      const app = page.locator('#app')
      await expect(app).toContainText('“Mobile-based”')
      await expect(app).toContainText('“Server-based”')
      await expect(page.getByLabel('Redirect URI')).toHaveValue('http://127.0.0.1:47813/oauth/callback')
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `first-run-setup-${scheme}`)
    })

    test('several orgs get an account switcher showing each one’s free seats', async ({ page }) => {
      await openWindow(page, { state: MULTI }, scheme)
      const tabs = page.getByRole('tablist', { name: 'Accounts' }).getByRole('tab')
      await expect(tabs).toHaveCount(2)
      await expect(tabs.nth(1)).toHaveAccessibleName('Globex GmbH: 0 seats free')
      // The worst account is shown first.
      await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true')
      expect(await inViewport(page, '#panel button.action')).toBe(true)
      expect(await seriousA11yViolations(page)).toEqual([])
      expect(await screenshot(page, `accounts-${scheme}`)).toBe(false)
    })

    test('history has a legend for its events, dates on the axis, and purchased as a plain line', async ({
      page,
    }) => {
      await openWindow(page, {}, scheme)
      await page.getByRole('tab', { name: 'History' }).click()
      await expect(page.locator('#chart canvas')).toHaveCount(1)
      const legend = page.locator('.legend')
      for (const text of ['Available', 'Active', 'Purchased', 'Ran out', 'Seats freed', 'Purchase changed'])
        await expect(legend).toContainText(text)
      expect(await inViewport(page, '#chart')).toBe(true)
      expect(await seriousA11yViolations(page)).toEqual([])
      await screenshot(page, `history-${scheme}`)
    })

    test('settings come in groups that each fit the window, saved where the change was made', async ({
      page,
    }) => {
      await openWindow(page, {}, scheme)
      await page.getByRole('tab', { name: 'Settings' }).click()
      const groups = page.getByRole('tablist', { name: 'Settings groups' }).getByRole('tab')
      await expect(groups).toHaveText(['Checks', 'Notifications', 'Accounts', 'Security', 'About'])
      for (const group of ['Checks', 'Notifications', 'Accounts', 'Security', 'About']) {
        await page.getByRole('tab', { name: group, exact: true }).click()
        expect(await seriousA11yViolations(page), group).toEqual([])
        expect(await screenshot(page, `settings-${group.toLowerCase()}-${scheme}`), `${group} fits`).toBe(
          false,
        )
      }
      await expect(page.locator('#about-version')).toHaveText(
        `Seat Tray ${JSON.parse(readFileSync('package.json', 'utf8')).version}`,
      )
      await expect(page.locator('#panel')).toContainText('Quit Seat Tray')
      await page.getByRole('tab', { name: 'Checks', exact: true }).click()
      const minutes = page.getByLabel('Check every (minutes)')
      await expect(minutes).toHaveValue('15')
      await minutes.fill('30')
      await minutes.press('Tab')
      await expect(page.locator('#poll-minutes-saved')).toHaveText('Saved')
      expect(await inViewport(page, '#poll-minutes-saved')).toBe(true)
    })
  })
}
