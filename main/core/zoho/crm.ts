/**
 * The two CRM calls Seat Tray makes: the user-license counts (every poll) and the org's name and renewal dates.
 * Each checks the API domain before sending it a token; errors come back as SeatTrayError, with
 * TokenRejectedError meaning "refresh once and retry".
 */
import type { OrgInfo, Snapshot } from '../../../common/model'
import { problem } from '../../../common/problems'
import { SeatTrayError } from '../errors'
import type { HostPolicy } from './datacenters'
import { checkedApiDomain, type HttpAnswer, type HttpDeps, retryAfterMs, send } from './http'
import { parseOrg, parseUserLicenses } from './parse'

/** v7 is the newest version Zoho documents the single-feature route and sample for; v8 has the same shape. */
export const CRM_API_VERSION = 'v7'

export interface CrmCall {
  apiDomain: string
  accessToken: string
  hostPolicy: HostPolicy
}

export async function fetchUserLicenses(d: HttpDeps, a: CrmCall): Promise<Snapshot> {
  const answer = await crmGet(d, a, '__features/user_licenses')
  return parseUserLicenses(answer.status, answer.body, d.clock.now())
}

export async function fetchOrg(d: HttpDeps, a: CrmCall): Promise<OrgInfo> {
  const answer = await crmGet(d, a, 'org')
  return parseOrg(answer.status, answer.body)
}

/** A GET to the CRM API; `path` may carry a query string. Shared with zoho/users.ts. */
export async function crmGet(d: HttpDeps, a: CrmCall, path: string): Promise<HttpAnswer> {
  const apiDomain = checkedApiDomain(a.apiDomain, a.hostPolicy)
  const answer = await send(d, `${apiDomain}/crm/${CRM_API_VERSION}/${path}`, {
    method: 'GET',
    headers: { Authorization: `Zoho-oauthtoken ${a.accessToken}` },
  })
  // Only here are the headers at hand: a 429's Retry-After tells the poller how long to stay away.
  if (answer.status === 429) {
    const wait = retryAfterMs(answer.headers.get('Retry-After'), d.clock.now())
    throw new SeatTrayError(
      problem('rate-limited', { detail: 'HTTP 429', ...(wait === undefined ? {} : { retryAfterMs: wait }) }),
    )
  }
  return answer
}
