/**
 * The simulator's seat holders: `GET /crm/{v}/users?type=…&page=&per_page=` and `GET /crm/{v}/users/actions/count`,
 * shaped after Zoho's OpenAPI file (crm-oas v8.0 users.json: `users[]` + `info{per_page,count,page,more_records}`,
 * 204 when a type has nobody, `{count}` typed as a string). The people follow the seat counts: whoever is active
 * holds a seat, so `user_licenses` and `users` never disagree unless a test asks them to.
 */
import type { SeatSetting } from './scenarios'

/** Zoho's largest page; it answers INVALID_DATA for more. */
export const USERS_MAX_PER_PAGE = 200

export type SimUserType = 'ActiveUsers' | 'ActiveConfirmedUsers' | 'NotConfirmedUsers' | 'DeactiveUsers'

/** The user types the simulator answers (the OAS lists these and more; the rest are INVALID_DATA here). */
export const SIM_USER_TYPES: readonly SimUserType[] = [
  'ActiveUsers',
  'ActiveConfirmedUsers',
  'NotConfirmedUsers',
  'DeactiveUsers',
]

export interface SimPeople {
  /** Invites sent and never accepted, each this many days ago. They are active users with `confirm: false`. */
  pendingAgesDays: number[]
  /** Deactivated users: they hold no seat (but were paid for until the renewal). */
  deactivated: number
  /**
   * Whether Zoho's `used_count` includes pending invites. Zoho does not document it; the engine must find out by
   * comparing counts, so the simulator can be either kind of org.
   */
  pendingCounted: boolean
}

export const DEFAULT_PEOPLE: SimPeople = { pendingAgesDays: [12, 3], deactivated: 2, pendingCounted: true }

/** SimPeople as the simulator keeps them: invites sent at a time, so they age as the (virtual) clock runs. */
export interface SimPeopleAt extends Omit<SimPeople, 'pendingAgesDays'> {
  pendingSentAt: number[]
}

export function peopleAsOf(people: SimPeople, now: number): SimPeopleAt {
  const { pendingAgesDays, ...rest } = people
  return { ...rest, pendingSentAt: pendingAgesDays.map((days) => now - days * DAY) }
}

export interface SimUser {
  id: string
  first_name: string
  last_name: string
  full_name: string
  email: string
  status: 'active' | 'disabled'
  confirm: boolean
  role: { name: string; id: string }
  profile: { name: string; id: string }
  created_time: string
}

const DAY = 86_400_000
const ID_BASE = 4150868000000300000n

/**
 * Everyone in the org right now: the confirmed active users, the pending invites, the deactivated. `seats.active`
 * is what `used_count` says, so it covers the pending invites only when the org counts them.
 */
export function peopleAt(seats: SeatSetting, people: SimPeopleAt, now: number): SimUser[] {
  const pending = people.pendingSentAt.length
  const confirmed = Math.max(0, seats.active - (people.pendingCounted ? pending : 0))
  const users: SimUser[] = []
  for (let i = 0; i < confirmed; i++) users.push(person(i, 'confirmed', now - (400 + i) * DAY))
  people.pendingSentAt.forEach((sentAt, j) => {
    users.push(person(confirmed + j, 'pending', sentAt))
  })
  for (let k = 0; k < people.deactivated; k++) {
    users.push(person(confirmed + pending + k, 'deactivated', now - (700 + k) * DAY))
  }
  return users
}

export function ofType(users: SimUser[], type: SimUserType): SimUser[] {
  switch (type) {
    case 'ActiveUsers':
      return users.filter((u) => u.status === 'active')
    case 'ActiveConfirmedUsers':
      return users.filter((u) => u.status === 'active' && u.confirm)
    case 'NotConfirmedUsers':
      return users.filter((u) => !u.confirm)
    case 'DeactiveUsers':
      return users.filter((u) => u.status === 'disabled')
  }
}

/** One page in Zoho's shape, or null for an empty type (Zoho answers 204 then). */
export function usersPage(users: SimUser[], page: number, perPage: number): Record<string, unknown> | null {
  if (users.length === 0) return null
  const slice = users.slice((page - 1) * perPage, page * perPage)
  return {
    users: slice.map(zohoUser),
    info: { per_page: perPage, count: slice.length, page, more_records: page * perPage < users.length },
  }
}

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kemi',
  'Liam',
]
const LAST = [
  'Okafor',
  'Berg',
  'Nakamura',
  'Silva',
  'Dubois',
  'Patel',
  'Kowalski',
  'Reyes',
  'Haddad',
  'Moreau',
]
const ROLES = ['Sales Rep', 'Manager', 'CEO'] as const
const PROFILES = ['Standard', 'Administrator'] as const

function person(i: number, kind: 'confirmed' | 'pending' | 'deactivated', createdAt: number): SimUser {
  const first = FIRST[i % FIRST.length]!
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!
  const n = Math.floor(i / (FIRST.length * LAST.length))
  const local = `${first}.${last}${n > 0 ? n : ''}`.toLowerCase()
  const role = i === 0 ? ROLES[2] : i % 5 === 1 ? ROLES[1] : ROLES[0]
  const profile = i === 0 ? PROFILES[1] : PROFILES[0]
  return {
    id: String(ID_BASE + BigInt(i)),
    first_name: first,
    last_name: last,
    full_name: `${first} ${last}${n > 0 ? ` ${n}` : ''}`,
    email: `${local}@zylker.example`,
    status: kind === 'deactivated' ? 'disabled' : 'active',
    confirm: kind !== 'pending',
    role: { name: role, id: `41508680000000264${ROLES.indexOf(role)}` },
    profile: { name: profile, id: `41508680000000265${PROFILES.indexOf(profile)}` },
    created_time: new Date(createdAt).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
  }
}

/** The record as Zoho sends it: the fields the spec lists, more than Seat Tray reads. */
function zohoUser(u: SimUser): Record<string, unknown> {
  return {
    ...u,
    country: 'US',
    language: 'en_US',
    locale: 'en_US',
    country_locale: 'en_US',
    microsoft: false,
    Isonline: false,
    time_zone: 'America/Los_Angeles',
    time_format: 'hh:mm a',
    date_format: 'MMM d, yyyy',
    offset: -28_800_000,
    zuid: String(700000100n + BigInt(u.id.slice(-4))),
    phone: null,
    mobile: null,
    fax: null,
    website: null,
    dob: null,
    alias: null,
    street: null,
    city: null,
    state: null,
    zip: null,
    signature: null,
    status_reason__s: u.confirm ? null : 'Invitation sent',
    sort_order_preference__s: 'first_name,last_name',
    category: 'regular_user',
    sandboxDeveloper: false,
    Currency: 'USD',
    created_by: { name: 'Ava Okafor', id: String(ID_BASE), email: 'ava.okafor@zylker.example' },
    Modified_Time: u.created_time,
    Modified_By: { name: 'Ava Okafor', id: String(ID_BASE), first_name: 'Ava', last_name: 'Okafor' },
    Reporting_To: null,
    customize_info: {
      notes_desc: null,
      show_right_panel: null,
      bc_view: null,
      unpin_recent_item: null,
      show_home: false,
      show_detail_view: true,
    },
  }
}
