/**
 * What a person sees in the window, read the way they read it: by role and accessible name, or by the numbers shown.
 * Every selector of the story suite lives here, so the window's redesign is one file to update.
 */
import type { Page } from 'playwright'

/** The hero's big number: how many seats are free, as the window shows it. */
const HERO_NUMBER = '#available .hero-big'

export async function freeSeatsShown(page: Page): Promise<number> {
  const text = (await page.locator(HERO_NUMBER).textContent()) ?? ''
  return Number(text.replace(/[^\d]/g, ''))
}

/** The breakdown as the popover says it: "5 of 25 seats free" in the hero, "20 in use" in the details. */
export async function breakdownShown(page: Page): Promise<Record<string, number>> {
  const text = await windowText(page)
  const hero = /(\d+)\s*of\s*(\d+)\s*seats? free/.exec(text)
  const inUse = /(\d+) in use/.exec(text)
  return {
    Available: Number(hero?.[1] ?? Number.NaN),
    Purchased: Number(hero?.[2] ?? Number.NaN),
    Active: Number(inUse?.[1] ?? Number.NaN),
  }
}

/** Settings, then one of its groups (Checks, Notifications, Accounts, Security, About). */
export async function openSettings(
  page: Page,
  group: 'Checks' | 'Notifications' | 'Accounts' | 'Security' | 'About',
) {
  await page.getByRole('tab', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: group, exact: true }).click()
}

/** The whole visible text of the window, for sentences the person reads. */
export function windowText(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: what is rendered is what the person reads (hidden panels excluded)
  return page.locator('body').innerText()
}

/** Waits until the window's text matches (the state push crosses the bridge asynchronously). */
export async function windowSays(page: Page, pattern: RegExp, timeout = 10_000): Promise<string> {
  const started = Date.now()
  for (;;) {
    const text = await windowText(page)
    if (pattern.test(text)) return text
    if (Date.now() - started > timeout) throw new Error(`The window never said ${pattern}; it says:\n${text}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function waitForFreeSeats(page: Page, expected: number, timeout = 10_000): Promise<void> {
  const started = Date.now()
  for (;;) {
    const shown = await page
      .locator(HERO_NUMBER)
      .textContent({ timeout: 200 })
      .then((t) => t ?? '')
      .catch(() => '')
    if (Number(shown.replace(/[^\d]/g, '')) === expected && shown !== '') return
    if (Date.now() - started > timeout)
      throw new Error(
        `The window shows "${shown}", not ${expected} free; it says:\n${await windowText(page)}`,
      )
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The names of the window's controls, as a person (and a screen reader) finds them. */
export const UI = {
  signIn: 'Sign in with Zoho',
  signInWithBrowser: 'Use my browser instead',
  signInAgain: 'Sign in again',
  addAccount: 'Add an account',
  removeAccount: (label: string) => `Remove ${label}`,
  refresh: /^Check now/,
  exportCsv: 'Export CSV',
  overview: 'Overview',
  history: 'History',
  settings: 'Settings',
  checkEvery: 'Check every (minutes)',
  launchAtLogin: 'Start Seat Tray when I log in',
  proxyQuestion: 'Your office proxy asks you to sign in',
  proxyUsername: 'Username',
  proxyPassword: 'Password',
  proxySignIn: 'Sign in to the proxy',
  demoBadge: /Demo data/,
  firstRun: /See how many Zoho CRM seats are free/,
  saved: /Saved/,
  /** Settings' line on where secrets live when the keychain is not used. */
  vaultReason: /Why: /,
} as const

export const button = (page: Page, name: RegExp | string) => page.getByRole('button', { name })
export const tab = (page: Page, name: RegExp | string) => page.getByRole('tab', { name })
export const checkbox = (page: Page, name: RegExp | string) => page.getByRole('checkbox', { name })
export const field = (page: Page, name: RegExp | string) => page.getByLabel(name)

/** The history chart's accessible name: the sentence a screen reader gives for the chart on screen. */
export async function chartSummaryShown(page: Page): Promise<string> {
  return (await page.getByRole('img', { name: /^Seats over|^No readings/ }).getAttribute('aria-label')) ?? ''
}
