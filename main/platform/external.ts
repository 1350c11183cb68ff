/**
 * The only door to the system browser. Every link the app opens goes through `isSafeExternalUrl`, so a compromised
 * window, a crafted Zoho page or a redirect can never make us launch `file:`, `smb:` or a custom scheme handler.
 * Biome bans importing `shell` anywhere else.
 */
// biome-ignore lint/style/noRestrictedImports: this is the one module that may open links; it checks them first.
import { shell } from 'electron'
import type { HelpLink } from '../../common/contract'
import { parseUrl } from '../core/url'
import {
  DATA_CENTERS,
  type HostPolicy,
  isLoopbackOrigin,
  trustedAccountsServer,
} from '../core/zoho/datacenters'
import { crmWebOrigin } from '../core/zoho/users'

/** Where the window's named help links go. The window names a link; it never hands us a URL. */
export const HELP_LINKS: Record<HelpLink, string> = {
  'zoho-api-console': 'https://api-console.zoho.com/',
  'zoho-scopes-help': 'https://www.zoho.com/crm/developer/docs/api/v8/scopes.html',
  'seat-tray-help': 'https://github.com/seat-tray/seat-tray#readme',
  'zoho-crm-users': 'https://help.zoho.com/portal/en/kb/crm/users-and-control/users/articles/manage-users',
  // Zoho documents buying seats as steps inside the CRM (profile icon › Manage Subscription › Upgrade Users), not as
  // an address of its own per org: the link goes to those steps.
  'zoho-buy-seats':
    'https://help.zoho.com/portal/en/kb/crm/users-and-control/manage-subscriptions/articles/manage-subscriptions',
}

/** Open a named help link in the system browser. */
export async function openHelpLink(link: HelpLink): Promise<void> {
  const url = HELP_LINKS[link]
  if (!url) throw new Error(`Unknown help link: ${String(link)}`)
  await openExternal(url)
}

/** Open `url` in the system browser if it is on the allow-list; returns whether it was opened. */
export async function openExternal(url: string): Promise<boolean> {
  if (!isSafeExternalUrl(url)) return false
  // Checked on the line above. The bundler drops this comment, so scripts/electronegativity.mjs lists it too.
  await shell.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  return true
}

/**
 * Zoho's sign-in page in the system browser (the path for single sign-on that refuses embedded windows).
 * Only a known accounts server's authorization endpoint, or the simulator's when the host policy allows loopback.
 */
export async function openAuthorizationPage(url: string, policy: HostPolicy): Promise<void> {
  if (!isAuthorizationUrl(url, policy))
    throw new Error(`Refusing to open a sign-in page that is not Zoho's: ${url}`)
  // Checked above: only a known accounts server's /oauth/v2/auth (see openExternal's note on the comment).
  await shell.openExternal(url) /* eng-disable OPEN_EXTERNAL_JS_CHECK */
}

/**
 * https only, no credentials in the URL, and only hosts we link to: Zoho's API console (every data center),
 * Zoho's help and developer pages, and the project's own help page.
 */
export function isSafeExternalUrl(url: string): boolean {
  const u = parseUrl(url)
  if (u?.protocol !== 'https:' || u.username || u.password || u.port) return false
  const host = u.hostname
  if (API_CONSOLE_HOSTS.has(host)) return true
  // Seat holders (issue 11): the org's Users page in Zoho CRM and a user's page under it; no other CRM page.
  if (CRM_WEB_HOSTS.has(host)) return /^\/crm\/org\d{1,30}\/settings\/users(\/\d{1,30})?$/.test(u.pathname)
  if (host === 'www.zoho.com' || host === 'zoho.com')
    return ZOHO_DOC_PATHS.some((p) => u.pathname.startsWith(p))
  if (host === 'help.zoho.com') return u.pathname.startsWith('/portal/')
  return Object.values(HELP_LINKS).some((link) => sameDocument(parseUrl(link), u))
}

export function isAuthorizationUrl(url: string, policy: HostPolicy): boolean {
  const u = parseUrl(url)
  if (!u || u.username || u.password || u.pathname !== '/oauth/v2/auth') return false
  if (u.protocol === 'http:' && !(policy.allowLoopback && isLoopbackOrigin(u.origin))) return false
  try {
    trustedAccountsServer(u.origin, policy)
    return true
  } catch {
    return false
  }
}

/** api-console.zoho.com, api-console.zoho.eu, …: the console lives next to each data center's accounts server. */
const API_CONSOLE_HOSTS = new Set(
  DATA_CENTERS.map((dc) => new URL(dc.accountsServer).hostname.replace(/^accounts\./, 'api-console.')),
)

/** crm.zoho.com, crm.zoho.eu, crm.zohocloud.ca, …: Zoho CRM's web app for each data center. */
const CRM_WEB_HOSTS = new Set(
  DATA_CENTERS.flatMap((dc) => {
    const origin = crmWebOrigin(dc.apiDomain)
    return origin ? [new URL(origin).hostname] : []
  }),
)

const ZOHO_DOC_PATHS = ['/crm/developer/docs/', '/crm/help/', '/accounts/protocol/']

function sameDocument(a: URL | undefined, b: URL): boolean {
  return !!a && a.origin === b.origin && a.pathname === b.pathname
}
