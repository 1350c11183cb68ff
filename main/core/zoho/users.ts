/**
 * Who holds the seats: `GET /crm/v7/users?type=…&page=&per_page=` and `GET /crm/v7/users/actions/count?type=…`
 * (scope ZohoCRM.users.READ). Shapes from Zoho's OpenAPI file (crm-oas v8.0 users.json): `users[]` with `info`
 * (`more_records` says whether another page follows), 204 when nobody is of that type, and `{count}` typed as a
 * string while Zoho's doc sample shows a number (both are read).
 *
 * Names and emails come back only as values in memory: nothing here logs, and no error message quotes a body.
 */
import { z } from 'zod'
import { problem } from '../../../common/problems'
import { SeatTrayError } from '../errors'
import { type CrmCall, crmGet } from './crm'
import type { HttpDeps } from './http'
import { throwIfCrmError } from './parse'

/** The user types Seat Tray reads (Zoho lists more, such as AdminUsers). */
export type UserType = 'ActiveUsers' | 'ActiveConfirmedUsers' | 'NotConfirmedUsers' | 'DeactiveUsers'

/** One person as Seat Tray needs them; `confirmed: false` on an active user is an invite never accepted. */
export interface ZohoUser {
  id: string
  name: string
  email: string
  role: string | null
  profile: string | null
  active: boolean
  confirmed: boolean
  /** ms since the epoch, or null when Zoho's date could not be read. */
  createdAt: number | null
}

/** Zoho's largest page (per_page max 200). */
export const USERS_PER_PAGE = 200
/**
 * At most this many pages per type (10,000 users): a Zoho, a proxy or a bug that always says `more_records: true`
 * costs 50 requests once, never an endless walk through the org's API credits.
 */
export const MAX_USER_PAGES = 50

export interface UserList {
  users: ZohoUser[]
  /** Requests it took (each costs one API credit). */
  requests: number
  /** The page limit was reached with more_records still true: the list is not the whole org. */
  truncated: boolean
}

/** Every user of one type, page after page until `more_records` is false (or the page limit). */
export async function fetchUsers(d: HttpDeps, a: CrmCall, type: UserType): Promise<UserList> {
  const users: ZohoUser[] = []
  for (let page = 1; page <= MAX_USER_PAGES; page++) {
    const query = new URLSearchParams({ type, page: String(page), per_page: String(USERS_PER_PAGE) })
    const answer = await crmGet(d, a, `users?${query}`)
    const { users: more, moreRecords } = parseUsersPage(answer.status, answer.body)
    users.push(...more)
    // An empty page that claims more is not progress: stop rather than ask again.
    if (!moreRecords || more.length === 0) return { users, requests: page, truncated: false }
  }
  return { users, requests: MAX_USER_PAGES, truncated: true }
}

/** How many users of one type: one request, where a count is enough. */
export async function fetchUserCount(d: HttpDeps, a: CrmCall, type: UserType): Promise<number> {
  const answer = await crmGet(d, a, `users/actions/count?${new URLSearchParams({ type })}`)
  return parseUserCount(answer.status, answer.body)
}

export function parseUsersPage(status: number, body: unknown): { users: ZohoUser[]; moreRecords: boolean } {
  throwIfCrmError(status, body)
  // users.json lists 204 (no content): nobody of this type.
  if (status === 204 || body === undefined) return { users: [], moreRecords: false }
  if (typeof body === 'string') throw unreadable('the users list is not JSON')
  const parsed = UsersBody.safeParse(body)
  if (!parsed.success) throw unreadable('no users list')
  const users = parsed.data.users.flatMap((raw) => {
    const user = UserRecord.safeParse(raw)
    // One odd record must not hide the rest; it is left out (the counts still include it).
    return user.success ? [toUser(user.data)] : []
  })
  return { users, moreRecords: parsed.data.info?.more_records === true }
}

export function parseUserCount(status: number, body: unknown): number {
  throwIfCrmError(status, body)
  const parsed = CountBody.safeParse(body)
  if (!parsed.success) throw unreadable('no user count')
  return parsed.data.count
}

const UsersBody = z.object({
  users: z.array(z.unknown()),
  info: z.object({ more_records: z.boolean().nullish() }).nullish().catch(null),
})

const Named = z.object({ name: z.string() }).nullish().catch(null)

const UserRecord = z.object({
  id: z.union([z.string().min(1), z.number().int()]),
  full_name: z.string().nullish().catch(null),
  first_name: z.string().nullish().catch(null),
  last_name: z.string().nullish().catch(null),
  email: z.string().nullish().catch(null),
  status: z.string().nullish().catch(null),
  confirm: z.boolean().nullish().catch(null),
  role: Named,
  profile: Named,
  created_time: z.string().nullish().catch(null),
})

const CountBody = z.object({
  count: z.union([
    z.number().int().nonnegative(),
    z
      .string()
      .regex(/^\d{1,9}$/)
      .transform(Number),
  ]),
})

function toUser(u: z.infer<typeof UserRecord>): ZohoUser {
  const name = u.full_name || [u.first_name, u.last_name].filter(Boolean).join(' ') || (u.email ?? '')
  const created = u.created_time ? Date.parse(u.created_time) : Number.NaN
  return {
    id: String(u.id),
    name,
    email: u.email ?? '',
    role: u.role?.name ?? null,
    profile: u.profile?.name ?? null,
    // Zoho says "active"; deactivated users are "disabled" (deleted ones never come in these types).
    active: (u.status ?? 'active').toLowerCase() === 'active',
    // An absent `confirm` is read as confirmed: only Zoho saying false makes someone a pending invite.
    confirmed: u.confirm !== false,
    createdAt: Number.isNaN(created) ? null : created,
  }
}

function unreadable(detail: string): SeatTrayError {
  return new SeatTrayError(problem('bad-response', { detail }))
}

/** Active users and active confirmed users, two counts: the difference is the invites never accepted. */
export async function fetchInviteCounts(
  d: HttpDeps,
  a: CrmCall,
): Promise<{ activeUsers: number; activeConfirmed: number }> {
  const activeUsers = await fetchUserCount(d, a, 'ActiveUsers')
  const activeConfirmed = await fetchUserCount(d, a, 'ActiveConfirmedUsers')
  return { activeUsers, activeConfirmed }
}

/** What one look at the seat holders brings back from Zoho. */
export interface SeatHolderFacts {
  /** Every active user (confirmed or not): they hold the seats. */
  active: ZohoUser[]
  activeConfirmedCount: number
  deactivatedCount: number
  /** Requests it took: the list's pages plus two counts. */
  requests: number
  truncated: boolean
}

/**
 * The active users listed (that is where names, roles and invite ages come from), and two counts where a count is
 * enough: ActiveConfirmedUsers, to tell from Zoho's own numbers how many invites are pending, and DeactiveUsers.
 * Three requests for an org of up to 200 users.
 */
export async function fetchSeatHolderFacts(d: HttpDeps, a: CrmCall): Promise<SeatHolderFacts> {
  const list = await fetchUsers(d, a, 'ActiveUsers')
  const activeConfirmedCount = await fetchUserCount(d, a, 'ActiveConfirmedUsers')
  const deactivatedCount = await fetchUserCount(d, a, 'DeactiveUsers')
  return {
    active: list.users.filter((u) => u.active),
    activeConfirmedCount,
    deactivatedCount,
    requests: list.requests + 2,
    truncated: list.truncated,
  }
}

/**
 * Zoho CRM's web address for a data center, from its API domain: www.zohoapis.<tld> serves crm.zoho.<tld>, except
 * Canada, whose CRM is on zohocloud.ca (as its accounts server is). Null for a host that is not Zoho's (the demo).
 */
export function crmWebOrigin(apiDomain: string): string | null {
  const host = /^https:\/\/(?:www\.)?zohoapis\.([a-z.]+)$/.exec(apiDomain.replace(/\/+$/, ''))?.[1]
  if (!host) return null
  return host === 'ca' ? 'https://crm.zohocloud.ca' : `https://crm.zoho.${host}`
}

/**
 * Zoho's documented page on managing users: the link when the org's own Users page cannot be built (the demo, or
 * an org whose domain_name we did not get).
 */
export const MANAGE_USERS_HELP =
  'https://help.zoho.com/portal/en/kb/crm/users-and-control/users/articles/manage-users'

/**
 * The org's Users page in Zoho CRM (Setup → Users & Control → Users), and one user's page under it. Zoho's CRM web
 * addresses take the form https://crm.zoho.<tld>/crm/org<digits>/…, the org segment being the org API's
 * `domain_name` (e.g. …/crm/org123/settings/modules/Leads, …/crm/org123/tab/Leads/<id> in Zoho's community
 * scripts); /settings/users is where Setup's Users page lives. Not in Zoho's API docs, hence the documented help
 * page as the fallback.
 */
export function zohoUsersPage(
  apiDomain: string,
  crmDomain: string | null | undefined,
  userId?: string,
): string {
  const origin = crmWebOrigin(apiDomain)
  if (!origin || !crmDomain || !/^org\d{1,30}$/.test(crmDomain)) return MANAGE_USERS_HELP
  const base = `${origin}/crm/${crmDomain}/settings/users`
  return userId && /^\d{1,30}$/.test(userId) ? `${base}/${userId}` : base
}
