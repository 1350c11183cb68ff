import { createHash, randomBytes } from 'node:crypto'
import AxeBuilder from '@axe-core/playwright'
import { type Browser, chromium } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REDIRECT_URI, SCOPES } from '../../main/core/zoho/redirect'
import { startSimulator } from '../../main/demo/simulator'
import { chromiumLaunchOptions } from '../helpers/chromium'

// The consent page is the first Zoho-like screen a newcomer sees in demo mode: it must work in a real browser.

let browser: Browser
beforeAll(async () => {
  browser = await chromium.launch(chromiumLaunchOptions)
})
afterAll(async () => {
  await browser?.close()
})

describe('the simulated consent page in Chromium', () => {
  it('has no accessibility violations, and Accept sends the browser to the redirect URI with a code', async () => {
    const sim = await startSimulator()
    const context = await browser.newContext()
    const page = await context.newPage()
    try {
      const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url')
      const url = new URL('/oauth/v2/auth', sim.accountsServer)
      url.search = new URLSearchParams({
        client_id: sim.client.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: SCOPES.join(','),
        access_type: 'offline',
        state: 'browser-state',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }).toString()
      await page.goto(url.toString())
      const axe = await new AxeBuilder({ page }).analyze()
      expect(axe.violations.map((v) => v.id)).toEqual([])

      const redirected = new Promise<URL>((resolve) => {
        void page.route(`${REDIRECT_URI}**`, async (route) => {
          resolve(new URL(route.request().url()))
          await route.abort()
        })
      })
      await page.click('#accept')
      const back = await redirected
      expect(back.searchParams.get('state')).toBe('browser-state')
      expect(back.searchParams.get('code')).toMatch(/^1000\./)
      expect(back.searchParams.get('accounts-server')).toBe(sim.accountsServer)
    } finally {
      await context.close()
      await sim.close()
    }
  })
})
