/**
 * An AuthBrowser that clicks through the simulator's consent page over plain HTTP, a test double for tests
 * that want a whole sign-in without launching Chromium. It only understands the simulator's page, never Zoho's.
 */

import { problem } from '../../common/problems'
import { SeatTrayError } from '../../main/core/errors'
import type { AuthBrowser, FetchLike } from '../../main/core/ports'

export type ConsentDecision = 'accept' | 'reject'

export function consentBot(o: { decision?: ConsentDecision; fetch?: FetchLike } = {}): AuthBrowser {
  const decision = o.decision ?? 'accept'
  const fetchImpl: FetchLike = o.fetch ?? ((url, init) => fetch(url, init))
  return {
    async authorize({ url, redirectUri, signal }) {
      const page = await fetchImpl(url, { signal, redirect: 'manual' })
      // The simulator redirects straight back with an error for a bad request; that is the answer, as in a browser.
      const early = page.headers.get('location')
      if (early) return early
      const html = await page.text()
      const consentId = /name="consent" value="([^"]+)"/.exec(html)?.[1]
      if (!consentId) throw new SeatTrayError(problem('sign-in-failed', { detail: `HTTP ${page.status}` }))
      const action = new URL('/oauth/v2/auth/consent', url).toString()
      const answer = await fetchImpl(action, {
        method: 'POST',
        signal,
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ consent: consentId, decision }).toString(),
      })
      const location = answer.headers.get('location')
      if (!location || !sameTarget(location, redirectUri)) {
        throw new SeatTrayError(problem('sign-in-failed', { detail: `HTTP ${answer.status}` }))
      }
      return location
    },
  }
}

/** Matched as the AuthBrowser contract says: exact origin and path. */
function sameTarget(location: string, redirectUri: string): boolean {
  const a = new URL(location)
  const b = new URL(redirectUri)
  return a.origin === b.origin && a.pathname === b.pathname
}
