/**
 * The OAuth sequence of one sign-in, from Zoho's page to a record the engine can keep: authorization URL (PKCE,
 * state) → the browser's redirect → the code exchanged at the accounts server the redirect named → the org read
 * with the new access token. What to do with the result (persist, then switch, then revoke the old token) is the
 * engine's transaction; this part only talks to Zoho and the browser.
 */
import type { SignInRequest } from '../../common/contract'
import type { AccountId, DataCenterId, OrgInfo } from '../../common/model'
import type { AccountRecord } from '../../common/settings'
import type { AuthBrowser, Clock, FetchLike } from './ports'
import { fetchOrg } from './zoho/crm'
import { dataCenter, dataCenterForAccountsServer, type HostPolicy } from './zoho/datacenters'
import { beginSignIn, exchangeCode, parseRedirect, type TokenGrant, type ZohoClient } from './zoho/oauth'

export interface SignInSequence {
  fetch: FetchLike
  clock: Clock
  client: ZohoClient
  request: SignInRequest
  browser: AuthBrowser
  /** Where sign-in starts: the data center's accounts server, the simulator's, or a test's. */
  accountsServer?: string
  redirectUri: string
  /** This sign-in's own policy, frozen: nothing that happens meanwhile (the demo ending, say) changes it. */
  hostPolicy: Readonly<HostPolicy>
  signal: AbortSignal
  /** The demo's sign-in keeps the demo's id; a real one gets an id stable across sign-ins to the same org. */
  accountId?: AccountId
}

export interface SignedIn {
  record: AccountRecord
  refreshToken: string
  grant: TokenGrant
  org: OrgInfo | null
}

export async function signInToZoho(s: SignInSequence): Promise<SignedIn> {
  const http = { fetch: s.fetch, clock: s.clock }
  const policy = s.hostPolicy
  const start = s.accountsServer ?? dataCenter(s.request.dataCenter).accountsServer
  const attempt = beginSignIn({
    client: s.client,
    accountsServer: start,
    redirectUri: s.redirectUri,
    hostPolicy: policy,
  })
  const redirectUrl = await s.browser.authorize({
    url: attempt.url,
    redirectUri: s.redirectUri,
    signal: s.signal,
    hostPolicy: policy,
  })
  const redirect = parseRedirect(redirectUrl, attempt, policy)
  const grant = await exchangeCode(http, { client: s.client, attempt, redirect, hostPolicy: policy })
  const org = await fetchOrg(http, {
    apiDomain: grant.apiDomain,
    accessToken: grant.accessToken,
    hostPolicy: policy,
  }).catch(() => null)
  const dc = dataCenterForAccountsServer(redirect.accountsServer)?.id ?? s.request.dataCenter
  return {
    record: {
      id: s.accountId ?? accountIdFor(dc, org),
      dataCenter: dc,
      accountsServer: redirect.accountsServer,
      apiDomain: grant.apiDomain,
      orgId: org?.id ?? null,
      orgName: org?.name ?? null,
      addedAt: s.clock.now(),
    },
    refreshToken: grant.refreshToken,
    grant,
    org,
  }
}

/** Stable across sign-ins to the same org, so history and alert memory carry over. */
export function accountIdFor(dc: DataCenterId, org: OrgInfo | null): AccountId {
  if (org?.id) return `${dc.toLowerCase()}-${org.id.replace(/[^\w-]/g, '')}`
  return `${dc.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}`
}
