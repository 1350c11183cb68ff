/**
 * The rules about who holds the seats (issue 11), as pure functions: which invites are pending and for how long,
 * whether this org's used_count counts them, what could be freed (suggestions, never actions: Seat Tray stays
 * read-only in Zoho), what free seats cost, how many seats to renew, what the "seats ran out" notification can
 * add, and the weekly digest. The engine (app.ts) fetches; everything here only decides.
 */
import type {
  AccountId,
  HistoryPoint,
  OrgInfo,
  PendingCounting,
  SeatHolder,
  SeatHoldersAccess,
  SeatHoldersView,
  SeatPrice,
  SeatSuggestion,
  Snapshot,
} from '../../common/model'
import type { Notice, NoticeAction } from './ports'
import { renewalSizing, seatCost } from './seat-cost'
import { csvText } from './text'
import { type SeatHolderFacts, type ZohoUser, zohoUsersPage } from './zoho/users'

/** The one line that offers the new consent to a sign-in made before ZohoCRM.users.READ was asked. */
export const USERS_CONSENT_OFFER = 'Allow Seat Tray to see who holds seats'
/** Zoho's invitations expire after 7 days: an invite older than that will not be accepted as it is. */
export const STALE_INVITE_DAYS = 7
/** Seat holders are read on demand, and otherwise at most this often. */
export const SEAT_HOLDERS_REFRESH_MS = 24 * 3_600_000

const DAY = 24 * 3_600_000

export interface SeatHoldersInput {
  accountId: AccountId
  facts: SeatHolderFacts
  /** The seat reading taken with it: its `active` is Zoho's used_count. */
  snapshot: Snapshot | null
  org: OrgInfo | null
  apiDomain: string
  now: number
  staleInviteDays?: number
  price?: SeatPrice | null
  /** History points of the last 90 days (or fewer), oldest first. */
  history?: HistoryPoint[]
  locale?: string
}

export function buildSeatHolders(input: SeatHoldersInput): SeatHoldersView {
  const { facts, now } = input
  const staleDays = input.staleInviteDays ?? STALE_INVITE_DAYS
  const holders = orderHolders(
    facts.active.map((u) => toHolder(u, now, input.apiDomain, input.org?.crmDomain)),
  )
  const pending = holders.filter((h) => h.state === 'pending')
  const counting = pendingCounting(
    input.snapshot?.active ?? null,
    facts.active.length,
    facts.activeConfirmedCount,
  )
  const free = input.snapshot?.available ?? null
  return {
    accountId: input.accountId,
    fetchedAt: now,
    holders,
    pendingInvites: pending.length,
    deactivatedUsers: facts.deactivatedCount,
    pendingCounting: counting.kind,
    pendingCountingText: counting.text,
    suggestions: suggestions(pending, staleDays, counting.kind),
    usersPageUrl: zohoUsersPage(input.apiDomain, input.org?.crmDomain),
    creditsPerDay: seatHoldersCreditsPerDay(facts.requests),
    truncated: facts.truncated,
    cost: input.price && free !== null ? seatCost(input.price, free, input.locale) : null,
    renewal: renewalSizing({
      points: input.history ?? [],
      now,
      paidExpiry: input.org?.paidExpiry ?? null,
      price: input.price ?? null,
      locale: input.locale,
    }),
  }
}

/** What the account view (and so the tray and the CLI) may say: counts only, never a name. */
export function seatHoldersAccess(
  view: SeatHoldersView,
  staleInviteDays = STALE_INVITE_DAYS,
): SeatHoldersAccess {
  return {
    kind: 'allowed',
    pendingInvites: view.pendingInvites,
    staleInvites: view.holders.filter((h) => h.state === 'pending' && (h.pendingDays ?? 0) > staleInviteDays)
      .length,
    pendingCounting: view.pendingCounting,
    checkedAt: view.fetchedAt,
    creditsPerDay: view.creditsPerDay,
  }
}

/** Seat holders cost one fetch a day (the on-demand ones are the person's choice): its requests, in credits. */
export function seatHoldersCreditsPerDay(requestsPerFetch: number): number {
  return Math.max(0, Math.ceil(requestsPerFetch))
}

/**
 * Does this org's used_count include pending invites? Zoho does not document it, so it is read off the numbers:
 * used_count equals the active users (invites included) or the active confirmed users (invites left out). With
 * no pending invite the two are the same and nothing can be told; with numbers that match neither, neither is
 * claimed.
 */
export function pendingCounting(
  usedCount: number | null,
  activeUsers: number,
  activeConfirmed: number,
): { kind: PendingCounting; text: string } {
  const pending = activeUsers - activeConfirmed
  if (usedCount === null) return { kind: 'unknown', text: 'No seat count yet to compare with.' }
  if (pending <= 0) {
    return {
      kind: 'unknown',
      text: 'No invites are pending, so whether Zoho counts them as used seats cannot be told yet.',
    }
  }
  if (usedCount === activeUsers) {
    return {
      kind: 'counted',
      text: `Zoho counts pending invites as used seats here: ${usedCount} used = ${activeConfirmed} confirmed users + ${plural(pending, 'pending invite')}.`,
    }
  }
  if (usedCount === activeConfirmed) {
    return {
      kind: 'not-counted',
      text: `Zoho does not count pending invites as used seats here: ${usedCount} used = ${plural(activeConfirmed, 'confirmed user')}, ${plural(pending, 'invite')} aside.`,
    }
  }
  return {
    kind: 'unknown',
    text: `Zoho’s ${usedCount} used seats match neither the ${activeUsers} active users nor the ${activeConfirmed} confirmed ones.`,
  }
}

/** Suggestions only: each pending invite older than `staleDays`, oldest first, with what the admin can do in Zoho. */
export function suggestions(
  pending: SeatHolder[],
  staleDays: number,
  counting: PendingCounting,
): SeatSuggestion[] {
  // An org whose used_count leaves invites out frees no seat by deleting one: nothing to suggest then.
  if (counting === 'not-counted') return []
  return pending
    .filter((h) => (h.pendingDays ?? 0) > staleDays)
    .map((h) => ({
      holderId: h.id,
      text: `Invited ${plural(h.pendingDays ?? 0, 'day')} ago and never accepted (Zoho’s invitations expire after 7 days): re-invite or delete this user in Zoho CRM to free the seat.`,
    }))
}

/** Pending invites first, oldest first; then the rest by profile, role and name (as an admin scans the list). */
export function orderHolders(holders: SeatHolder[]): SeatHolder[] {
  const text = (s: string | null) => s ?? '\uffff'
  return [...holders].sort((a, b) => {
    if (a.state !== b.state) return a.state === 'pending' ? -1 : 1
    if (a.state === 'pending') return (a.createdAt ?? 0) - (b.createdAt ?? 0)
    return (
      text(a.profile).localeCompare(text(b.profile)) ||
      text(a.role).localeCompare(text(b.role)) ||
      a.name.localeCompare(b.name)
    )
  })
}

function toHolder(
  u: ZohoUser,
  now: number,
  apiDomain: string,
  crmDomain: string | null | undefined,
): SeatHolder {
  const pending = !u.confirmed
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    profile: u.profile,
    state: pending ? 'pending' : 'confirmed',
    createdAt: u.createdAt,
    pendingDays: pending && u.createdAt !== null ? Math.max(0, Math.floor((now - u.createdAt) / DAY)) : null,
    zohoUrl: zohoUsersPage(apiDomain, crmDomain, u.id),
  }
}

/**
 * The one line `status --verbose` adds: "2 pending invites hold seats", or that they hold none here, or what
 * the refresh token lacks; null when there is nothing to say.
 */
export function pendingInvitesLine(
  counts: { activeUsers: number; activeConfirmed: number } | 'scope-missing' | null,
  usedCount: number,
): string | null {
  if (counts === null) return null
  if (counts === 'scope-missing') return 'seat holders: the refresh token lacks ZohoCRM.users.READ'
  const pending = Math.max(0, counts.activeUsers - counts.activeConfirmed)
  if (pending === 0) return 'no pending invites'
  const invites = plural(pending, 'pending invite')
  if (pendingCounting(usedCount, counts.activeUsers, counts.activeConfirmed).kind === 'not-counted') {
    return `${invites} (Zoho does not count them as used seats here)`
  }
  return `${invites} ${pending === 1 ? 'holds a seat' : 'hold seats'}`
}

/**
 * The seat holders as CSV, for when the person exports that list (the only way names and emails leave memory):
 * `name,email,state,pending_days,role,profile,created`, every text cell quoted and made inert for spreadsheets.
 */
export function seatHoldersCsv(view: SeatHoldersView): string {
  const rows = view.holders.map((h) =>
    [
      csvText(h.name),
      csvText(h.email),
      h.state,
      h.pendingDays ?? '',
      csvText(h.role ?? ''),
      csvText(h.profile ?? ''),
      h.createdAt === null ? '' : new Date(h.createdAt).toISOString(),
    ].join(','),
  )
  return `${['name,email,state,pending_days,role,profile,created', ...rows].join('\r\n')}\r\n`
}

/**
 * What "Export list…" suggests as the file name: `seat-holders-<org>-<yyyy-mm-dd>.csv`, the date in local time.
 * The org's name is Zoho's text: only letters and digits are kept (so it can never leave the folder, name a device
 * or hide an extension), joined by hyphens, and cut short enough for any file system.
 */
export function seatHoldersFileName(orgName: string, at: number): string {
  const org =
    orgName
      .normalize('NFC')
      .toLocaleLowerCase('en')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .join('-')
      .slice(0, 40)
      .replace(/-+$/, '') || 'org'
  const d = new Date(at)
  const day = [d.getFullYear(), d.getMonth() + 1, d.getDate()]
    .map((n) => String(n).padStart(2, '0'))
    .join('-')
  return `seat-holders-${org}-${day}.csv`
}

// ── notifications ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The "seats ran out" notification names what can be done: "2 invites never accepted hold seats.", and offers
 * "Show who", which opens the seat holders view. Only when the org's counts say invites hold seats (or cannot
 * tell), and only for that notification: without the users scope there is no list to show, and with no invite
 * holding a seat the sentence would promise something to free that is not there.
 */
export function withSeatHoldersHint(notice: Notice, access: SeatHoldersAccess | undefined): Notice {
  if (notice.kind !== 'out' || access?.kind !== 'allowed') return notice
  if (access.pendingInvites === 0 || access.pendingCounting === 'not-counted') return notice
  const n = access.pendingInvites
  const hint = `${n} ${n === 1 ? 'invite' : 'invites'} never accepted ${n === 1 ? 'holds a seat' : 'hold seats'}.`
  return { ...notice, body: `${notice.body} ${hint}`, action: SHOW_WHO }
}

const SHOW_WHO: NoticeAction = { label: 'Show who', opens: 'seat-holders' }

/** Monday, 09:00 local time: when the weekly digest goes out. */
export const DIGEST_WEEKDAY = 1
export const DIGEST_HOUR = 9

/** The next Monday 09:00 local time strictly after `now` (a digest due right now has just gone out). */
export function nextDigestAt(now: number): number {
  const d = new Date(now)
  d.setHours(DIGEST_HOUR, 0, 0, 0)
  const days = (DIGEST_WEEKDAY - d.getDay() + 7) % 7
  d.setDate(d.getDate() + days)
  if (d.getTime() <= now) d.setDate(d.getDate() + 7)
  return d.getTime()
}

export interface DigestInput {
  accountId: AccountId
  label: string
  /** The week's history, oldest first. */
  points: HistoryPoint[]
  access: SeatHoldersAccess | undefined
  org: OrgInfo | null
  now: number
  locale?: string
}

/** A notification of its own kind, so the person can turn it on (it is opt-in) without touching the alarms. */
export type DigestNotice = Notice & { kind: 'digest' }

/** The week in one notification: seats taken and freed, pending invites, and the renewal countdown. */
export function weeklyDigest(input: DigestInput): DigestNotice {
  const { taken, freed } = seatMoves(input.points)
  const lines = [`This week: ${plural(taken, 'seat')} taken, ${freed} freed.`]
  const last = input.points.at(-1)
  if (last) lines.push(`${last.available} of ${plural(last.purchased, 'seat')} free now.`)
  if (input.access?.kind === 'allowed' && input.access.pendingInvites > 0) {
    lines.push(`${plural(input.access.pendingInvites, 'invite')} still pending.`)
  }
  const expiry = input.org?.paidExpiry ? Date.parse(`${input.org.paidExpiry}T00:00:00Z`) : Number.NaN
  if (!Number.isNaN(expiry) && expiry >= input.now - DAY) {
    const days = Math.max(0, Math.ceil((expiry - input.now) / DAY))
    lines.push(days === 0 ? 'Licenses renew today.' : `Licenses renew in ${plural(days, 'day')}.`)
  }
  return {
    kind: 'digest',
    accountId: input.accountId,
    title: `Seat Tray: the week in ${input.org?.name || input.label}`,
    body: lines.join(' '),
  }
}

/** Seats taken (active went up) and freed (active went down) between consecutive readings. */
export function seatMoves(points: HistoryPoint[]): { taken: number; freed: number } {
  let taken = 0
  let freed = 0
  for (let i = 1; i < points.length; i++) {
    const delta = points[i]!.active - points[i - 1]!.active
    if (delta > 0) taken += delta
    else freed -= delta
  }
  return { taken, freed }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
