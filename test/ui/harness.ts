/**
 * Opening the window in a test: fixed clock, chosen colour scheme, the fake SeatsApi, and a guard that fails the test
 * on any console error, CSP violation, page error, or request that leaves the page's own origin.
 */
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'
import { type FakeCall, type FakeScenario, installFakeSeats } from './fake-seats'
import { NOW, scenario } from './fixtures'

export { expect }

export const test = base.extend<{ guard: undefined }>({
  guard: [
    async ({ page, baseURL }, use) => {
      const problems: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
      })
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
      page.on('request', (r) => {
        if (!r.url().startsWith(baseURL ?? '') && !r.url().startsWith('data:'))
          problems.push(`request: ${r.url()}`)
      })
      await use(undefined)
      expect(problems, 'the window stayed quiet: no errors, no CSP violations, no network').toEqual([])
    },
    { auto: true },
  ],
})

export async function openWindow(
  page: Page,
  over: Partial<FakeScenario> = {},
  colorScheme: 'light' | 'dark' = 'light',
): Promise<void> {
  await page.clock.setFixedTime(NOW)
  await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' })
  await page.addInitScript(installFakeSeats, scenario(over))
  await page.goto('./')
  await expect(page.locator('#app')).not.toHaveAttribute('aria-busy', 'true')
}

/** The arguments of every call the window made to one SeatsApi method, oldest first. */
export async function callsTo(page: Page, method: string): Promise<unknown[][]> {
  const calls = await page.evaluate(() => window.__fake?.calls ?? [])
  return calls.filter((c: FakeCall) => c.method === method).map((c: FakeCall) => c.args)
}

/** axe-core on the whole page: serious and critical violations, as "rule: target" lines. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`))
}

/**
 * Saves what a person sees at the window's real size (artifacts/screenshots/NAME.png) and, when the page is longer
 * than the window, the whole page too (NAME-full.png). Returns whether the page scrolls.
 */
export async function screenshot(page: Page, name: string): Promise<boolean> {
  await page.screenshot({ path: `artifacts/screenshots/${name}.png`, animations: 'disabled' })
  const scrolls = await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)
  if (scrolls) {
    await page.screenshot({
      path: `artifacts/screenshots/${name}-full.png`,
      fullPage: true,
      animations: 'disabled',
    })
  }
  return scrolls
}

/** Whether the element is wholly inside the window as it opens (not below the fold, not cut off at a side). */
export async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect()
      return (
        r.height > 0 &&
        r.top >= 0 &&
        r.left >= 0 &&
        r.bottom <= window.innerHeight &&
        r.right <= window.innerWidth
      )
    })
}
