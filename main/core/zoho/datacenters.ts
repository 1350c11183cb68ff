/**
 * Zoho data centers: where a user's accounts server and CRM API live.
 * Sources: ../shared/reference/zoho-api.md §1 (Zoho multi-DC pages and the SDK DC classes).
 */

import type { DataCenterId } from '../../../common/model'
import { parseUrl } from '../url'

export interface DataCenter {
  id: DataCenterId
  label: string
  accountsServer: string
  apiDomain: string
  /** The UK DC is listed by Zoho Accounts but its CRM API host comes from community code only. */
  confirmed: boolean
  /** China's accounts server is separate: sign-in must start there, not at the US server. */
  separateSignIn: boolean
}

export const DATA_CENTERS: readonly DataCenter[] = [
  dc('US', 'United States', 'https://accounts.zoho.com', 'https://www.zohoapis.com'),
  dc('EU', 'Europe', 'https://accounts.zoho.eu', 'https://www.zohoapis.eu'),
  dc('IN', 'India', 'https://accounts.zoho.in', 'https://www.zohoapis.in'),
  dc('AU', 'Australia', 'https://accounts.zoho.com.au', 'https://www.zohoapis.com.au'),
  dc('JP', 'Japan', 'https://accounts.zoho.jp', 'https://www.zohoapis.jp'),
  dc('CA', 'Canada', 'https://accounts.zohocloud.ca', 'https://www.zohoapis.ca'),
  dc('SA', 'Saudi Arabia', 'https://accounts.zoho.sa', 'https://www.zohoapis.sa'),
  dc('CN', 'China', 'https://accounts.zoho.com.cn', 'https://www.zohoapis.com.cn', { separateSignIn: true }),
  dc('UK', 'United Kingdom (unconfirmed for CRM)', 'https://accounts.zoho.uk', 'https://www.zohoapis.uk', {
    confirmed: false,
  }),
]

/** Where sign-in starts for everyone outside China: Zoho forwards other users to their own DC. */
export const DEFAULT_DATA_CENTER: DataCenterId = 'US'

export function dataCenter(id: DataCenterId): DataCenter {
  const found = DATA_CENTERS.find((d) => d.id === id)
  if (!found) throw new Error(`Unknown Zoho data center: ${id}`)
  return found
}

export function dataCenterForAccountsServer(origin: string): DataCenter | undefined {
  return DATA_CENTERS.find((d) => d.accountsServer === normalizeOrigin(origin))
}

export interface HostPolicy {
  /** Accept http://127.0.0.1 / localhost origins: only demo mode and tests turn this on, never a redirect. */
  allowLoopback: boolean
}

export class UntrustedHostError extends Error {
  constructor(
    readonly url: string,
    readonly role: 'accounts server' | 'API domain',
  ) {
    super(`Refusing to talk to ${url}: it is not a known Zoho ${role}.`)
    this.name = 'UntrustedHostError'
  }
}

/** Checks an accounts server before we send it a code, a secret or a token. Returns the normalized origin. */
export function trustedAccountsServer(url: string, policy: HostPolicy): string {
  return trustedOrigin(url, policy, 'accounts server', (host) =>
    DATA_CENTERS.some((d) => hostOf(d.accountsServer) === host),
  )
}

/** Checks an API domain before we send it an access token. Returns the normalized origin. */
export function trustedApiDomain(url: string, policy: HostPolicy): string {
  return trustedOrigin(url, policy, 'API domain', (host) => {
    if (DATA_CENTERS.some((d) => hostOf(d.apiDomain) === host)) return true
    // Zoho's sandbox and developer API hosts share the DC suffix: sandbox.zohoapis.com, developer.zohoapis.eu …
    const m = /^(sandbox|developer)\.(zohoapis\..+)$/.exec(host)
    return m !== null && DATA_CENTERS.some((d) => hostOf(d.apiDomain) === `www.${m[2]}`)
  })
}

/**
 * The one rule for every Zoho host, whatever its role: https, a host Zoho runs, and the default port. An explicit
 * `:443` is the same origin (URL drops it) and passes; any other port (`:444`, `:8443`) is not Zoho's and is refused.
 */
function trustedOrigin(
  url: string,
  policy: HostPolicy,
  role: UntrustedHostError['role'],
  isZohoHost: (hostname: string) => boolean,
): string {
  const origin = normalizeOrigin(url)
  const parsed = parseUrl(origin)
  if (parsed?.protocol === 'https:' && parsed.port === '' && isZohoHost(parsed.hostname)) return origin
  if (policy.allowLoopback && isLoopbackOrigin(origin)) return origin
  throw new UntrustedHostError(url, role)
}

function hostOf(origin: string): string {
  return new URL(origin).hostname
}

export function isLoopbackOrigin(origin: string): boolean {
  const u = parseUrl(origin)
  if (u?.protocol !== 'http:') return false
  return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]'
}

/** `https://Accounts.Zoho.com/` → `https://accounts.zoho.com`; anything that is not a bare http(s) origin → '' */
export function normalizeOrigin(url: string): string {
  const u = parseUrl(url)
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return ''
  if (u.username || u.password) return ''
  if (u.pathname !== '/' || u.search || u.hash) return ''
  return u.origin
}

function dc(
  id: DataCenterId,
  label: string,
  accountsServer: string,
  apiDomain: string,
  extra: Partial<Pick<DataCenter, 'confirmed' | 'separateSignIn'>> = {},
): DataCenter {
  return { id, label, accountsServer, apiDomain, confirmed: true, separateSignIn: false, ...extra }
}
