/**
 * The decisions both sign-in paths make about URLs, as pure functions: is this the redirect we wait for, and may the
 * sign-in window go there? The Electron window (platform/auth-window.ts) and the loopback listener
 * (core/loopback-redirect.ts) only act on the answers.
 */

import { parseUrl } from './url'
import { DATA_CENTERS, type HostPolicy, isLoopbackOrigin } from './zoho/datacenters'

/** How long a person has to finish signing in before we stop waiting. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000

/**
 * True when `url` is the redirect URI, matched by exact origin and exact path (the query carries the answer).
 * `http://127.0.0.1:47813/oauth/callbackX`, `http://localhost:47813/oauth/callback` and an https look-alike are not.
 */
export function isRedirectTo(url: string, redirectUri: string): boolean {
  const target = parseUrl(url)
  const expected = parseUrl(redirectUri)
  if (!target || !expected) return false
  if (target.username || target.password) return false
  return target.origin === expected.origin && target.pathname === expected.pathname
}

export type NavigationVerdict =
  /** The sign-in ended on the redirect: capture it, never load it. */
  | { kind: 'redirect' }
  /** A Zoho sign-in page (or the simulator's, in demo mode and tests). */
  | { kind: 'allow' }
  /** Anywhere else: stop, so the sign-in window never shows a page that is not Zoho's. */
  | { kind: 'block'; origin: string }

/** What the sign-in window should do with a top-level navigation to `url`. */
export function signInNavigation(url: string, redirectUri: string, policy: HostPolicy): NavigationVerdict {
  if (isRedirectTo(url, redirectUri)) return { kind: 'redirect' }
  const u = parseUrl(url)
  if (!u || u.username || u.password) return { kind: 'block', origin: u?.origin ?? 'an invalid address' }
  if (u.protocol === 'https:' && ZOHO_ACCOUNTS_ORIGINS.has(u.origin)) return { kind: 'allow' }
  if (policy.allowLoopback && isLoopbackOrigin(u.origin)) return { kind: 'allow' }
  return { kind: 'block', origin: u.origin === 'null' ? `${u.protocol} address` : u.origin }
}

const ZOHO_ACCOUNTS_ORIGINS = new Set(DATA_CENTERS.map((d) => d.accountsServer))
