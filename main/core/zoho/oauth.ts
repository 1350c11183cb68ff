/**
 * Zoho sign-in: build the authorize URL (PKCE, state, offline access), read the redirect it ends on, trade the
 * code for tokens at the accounts server the redirect named, refresh, revoke.
 * Every host is checked against the known Zoho servers before it is sent a code, a secret or a token.
 */

import { problem } from '../../../common/problems'
import { SeatTrayError } from '../errors'
import { parseUrl } from '../url'
import type { HostPolicy } from './datacenters'
import { dataCenterForAccountsServer } from './datacenters'
import { checkedAccountsServer, checkedApiDomain, type HttpDeps, send } from './http'
import { parseTokenResponse, type TokenGrant } from './parse'
import { challengeFor, createState, createVerifier, type RandomBytes } from './pkce'
import { SCOPES } from './redirect'

export type { HttpDeps } from './http'
export type { TokenGrant } from './parse'

/** The OAuth client an admin registered in Zoho's API console (or that was configured at build time). */
export interface ZohoClient {
  clientId: string
  clientSecret: string
}

/** One sign-in in progress: what must come back (state) and what proves it is ours (the verifier). */
export interface SignInAttempt {
  url: string
  state: string
  codeVerifier: string
  redirectUri: string
  accountsServer: string
}

export function beginSignIn(o: {
  client: ZohoClient
  accountsServer: string
  redirectUri: string
  hostPolicy: HostPolicy
  random?: RandomBytes
}): SignInAttempt {
  const accountsServer = checkedAccountsServer(o.accountsServer, o.hostPolicy)
  const codeVerifier = createVerifier(o.random)
  const state = createState(o.random)
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: o.client.clientId,
    scope: SCOPES.join(','),
    redirect_uri: o.redirectUri,
    // offline + consent: a refresh token only comes back on a consented offline grant.
    access_type: 'offline',
    prompt: 'consent',
    state,
    code_challenge: challengeFor(codeVerifier),
    code_challenge_method: 'S256',
  })
  return {
    url: `${accountsServer}/oauth/v2/auth?${query}`,
    state,
    codeVerifier,
    redirectUri: o.redirectUri,
    accountsServer,
  }
}

/** What the redirect told us: the code, and which data center's accounts server now holds this user. */
export interface RedirectResult {
  code: string
  accountsServer: string
  /** Zoho's short DC name (`us`, `eu` …) when given. */
  location: string | null
}

export function parseRedirect(
  redirectUrl: string,
  attempt: SignInAttempt,
  hostPolicy: HostPolicy,
): RedirectResult {
  const url = parseUrl(redirectUrl)
  const expected = parseUrl(attempt.redirectUri)
  if (!url || !expected || url.origin !== expected.origin || url.pathname !== expected.pathname) {
    throw signInFailed('the redirect went somewhere else')
  }
  const params = url.searchParams
  // A redirect we did not start (or a stale one) must not be acted on, not even to report an error.
  if (params.get('state') !== attempt.state) throw signInFailed('state mismatch')
  const error = params.get('error')
  if (error === 'access_denied') throw new SeatTrayError(problem('sign-in-cancelled'))
  if (error !== null) throw signInFailed(/^[a-z_]{1,60}$/.test(error) ? error : 'error from Zoho')
  const code = params.get('code')
  if (!code) throw signInFailed('no code in the redirect')
  const named = params.get('accounts-server')
  return {
    code,
    accountsServer: named === null ? attempt.accountsServer : checkedAccountsServer(named, hostPolicy),
    location: params.get('location'),
  }
}

/** Trades the code for tokens. Sign-in is only finished with a refresh token, so one is required. */
export async function exchangeCode(
  d: HttpDeps,
  a: { client: ZohoClient; attempt: SignInAttempt; redirect: RedirectResult; hostPolicy: HostPolicy },
): Promise<TokenGrant & { refreshToken: string }> {
  const accountsServer = checkedAccountsServer(a.redirect.accountsServer, a.hostPolicy)
  const grant = await tokenRequest(d, accountsServer, {
    grant_type: 'authorization_code',
    client_id: a.client.clientId,
    client_secret: a.client.clientSecret,
    redirect_uri: a.attempt.redirectUri,
    code: a.redirect.code,
    code_verifier: a.attempt.codeVerifier,
  })
  if (!grant.refreshToken) throw signInFailed('Zoho gave no refresh token')
  // Zoho always names the API domain; the data center table is the fallback should it ever not.
  const apiDomain = grant.apiDomain || dataCenterForAccountsServer(accountsServer)?.apiDomain
  if (!apiDomain) throw new SeatTrayError(problem('bad-response', { detail: 'no api_domain' }))
  return { ...grant, refreshToken: grant.refreshToken, apiDomain: checkedApiDomain(apiDomain, a.hostPolicy) }
}

/** A fresh access token. `apiDomain` is '' when Zoho did not name one; keep the one you have then. */
export async function refreshAccessToken(
  d: HttpDeps,
  a: { client: ZohoClient; accountsServer: string; refreshToken: string; hostPolicy: HostPolicy },
): Promise<TokenGrant> {
  const accountsServer = checkedAccountsServer(a.accountsServer, a.hostPolicy)
  const grant = await tokenRequest(d, accountsServer, {
    grant_type: 'refresh_token',
    client_id: a.client.clientId,
    client_secret: a.client.clientSecret,
    refresh_token: a.refreshToken,
  })
  return grant.apiDomain ? { ...grant, apiDomain: checkedApiDomain(grant.apiDomain, a.hostPolicy) } : grant
}

/** Revokes a refresh token (and the access tokens made from it). Zoho answers `{"status":"success"}`. */
export async function revokeToken(
  d: HttpDeps,
  a: { accountsServer: string; token: string; hostPolicy: HostPolicy },
): Promise<void> {
  const accountsServer = checkedAccountsServer(a.accountsServer, a.hostPolicy)
  // The form Zoho's CRM docs and SDK use: the token in the query string of a POST.
  const url = `${accountsServer}/oauth/v2/token/revoke?${new URLSearchParams({ token: a.token })}`
  const answer = await send(d, url, { method: 'POST' })
  const status = (answer.body as { status?: unknown } | undefined)?.status
  if (answer.status >= 200 && answer.status < 300 && status === 'success') return
  const kind = answer.status >= 500 ? 'server-error' : 'bad-response'
  throw new SeatTrayError(problem(kind, { detail: `revoke answered HTTP ${answer.status}` }))
}

async function tokenRequest(
  d: HttpDeps,
  accountsServer: string,
  form: Record<string, string>,
): Promise<TokenGrant> {
  const answer = await send(d, `${accountsServer}/oauth/v2/token`, { method: 'POST', form })
  return parseTokenResponse(answer.status, answer.body, d.clock.now())
}

function signInFailed(detail: string): SeatTrayError {
  return new SeatTrayError(problem('sign-in-failed', { detail }))
}
