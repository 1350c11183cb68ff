/**
 * Zoho's consent page in headless Chromium, as Seat Tray's sign-in window shows it: the person clicks Accept (or
 * Reject); the redirect to Seat Tray is caught before it loads. One class for the headless tests (their own browser)
 * and the stories' test host (its shared one).
 */
import { type Browser, chromium } from 'playwright'
import { problem } from '../../common/problems'
import { SeatTrayError } from '../../main/core/errors'
import type { AuthBrowser, AuthRequest } from '../../main/core/ports'
import { chromiumLaunchOptions } from './chromium'

export class ChromiumAuthBrowser implements AuthBrowser {
  private browser: Browser | null
  pagesOpened = 0

  /** With `shared`, pages open in that browser and `close` leaves it running; without, it launches its own. */
  constructor(
    private readonly choice: 'accept' | 'reject' = 'accept',
    private readonly shared?: Browser,
  ) {
    this.browser = shared ?? null
  }

  async authorize({ url, redirectUri, signal }: AuthRequest): Promise<string> {
    this.browser ??= await chromium.launch(chromiumLaunchOptions)
    const context = await this.browser.newContext()
    const page = await context.newPage()
    this.pagesOpened++
    const target = new URL(redirectUri)
    try {
      const caught = new Promise<string>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new SeatTrayError(problem('sign-in-cancelled'))))
        void page.route(
          (u) => u.origin === target.origin && u.pathname === target.pathname,
          async (route) => {
            resolve(route.request().url())
            await route.abort()
          },
        )
      })
      await page.goto(url)
      await page.click(this.choice === 'accept' ? '#accept' : '#reject')
      return await caught
    } finally {
      await context.close()
    }
  }

  async close(): Promise<void> {
    if (this.shared) return
    await this.browser?.close()
    this.browser = null
  }
}
