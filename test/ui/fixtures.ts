/**
 * Every state the window can be in, as data: what main would push. Built in Node (they may use the real problem
 * catalogue) and handed to the fake SeatsApi in the page. Times are relative to NOW, the page's fixed clock.
 */

import type { SettingsView } from '../../common/contract'
import {
  type AccountView,
  type AppState,
  EMPTY_APP_STATE,
  type HistoryPoint,
  type HistoryRange,
  type HistorySeries,
  type SeatHolder,
  type SeatHoldersView,
  type SeatPrice,
} from '../../common/model'
import { problem } from '../../common/problems'
import { DEFAULT_SETTINGS } from '../../common/settings'
import { renewalSizing, seatCost } from '../../main/core/seat-cost'
import { REDIRECT_URI } from '../../main/core/zoho/redirect'
import type { FakeScenario } from './fake-seats'

/** 27 November 2026, 10:00 London. */
export const NOW = Date.UTC(2026, 10, 27, 10, 0, 0)
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export function settingsView(over: Partial<SettingsView> = {}): SettingsView {
  const { schemaVersion: _v, accounts: _a, ...defaults } = DEFAULT_SETTINGS
  return {
    ...defaults,
    clientId: 'client-123',
    hasClientSecret: true,
    vaultBackend: 'keychain',
    vaultNeedsConsent: false,
    vaultUnavailableReason: null,
    redirectUri: REDIRECT_URI,
    clientConfigured: true,
    ...over,
  }
}

export function account(over: Partial<AccountView> = {}): AccountView {
  return {
    id: 'acme',
    dataCenter: 'EU',
    label: 'Acme Ltd',
    phase: 'ready',
    latest: { purchased: 25, active: 22, available: 3, at: NOW - 5 * MINUTE, mismatch: false },
    org: {
      id: '1001',
      name: 'Acme Ltd',
      paidExpiry: '2027-03-01',
      trialExpiry: null,
      paid: true,
      licensesPurchased: 25,
    },
    lastAttemptAt: NOW - 5 * MINUTE,
    lastGoodAt: NOW - 5 * MINUTE,
    nextCheckAt: NOW + 10 * MINUTE,
    refreshing: false,
    problem: null,
    tone: 'ok',
    lowAt: 1,
    forecast: { kind: 'runs-out', at: NOW + 105 * DAY, seatsPerDay: 0.03 },
    callsPerDay: 96,
    ...over,
  }
}

export function appState(accounts: AccountView[], over: Partial<AppState> = {}): AppState {
  return {
    ...EMPTY_APP_STATE,
    accounts,
    worstAccountId: accounts[0]?.id ?? null,
    clientConfigured: true,
    ...over,
  }
}

/** A believable history for every range: seats slowly taken, one freed, one purchase, one run-out. */
export function historyFor(accountId: string, range: HistoryRange, points = 200): HistorySeries {
  const span = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '1y': 365 * DAY }[range]
  const from = NOW - span
  const series: HistoryPoint[] = []
  for (let i = 0; i < points; i++) {
    const t = from + Math.round((span * i) / (points - 1))
    const purchased = i < points * 0.6 ? 20 : 25
    const active = Math.min(purchased, 15 + Math.floor((i / points) * 9) + (i % 7 === 0 ? 1 : 0))
    series.push({ t, purchased, active, available: purchased - active })
  }
  return {
    accountId,
    range,
    from,
    to: NOW,
    points: series,
    events: [
      { t: from + span * 0.4, kind: 'freed', label: '1 seat freed' },
      { t: from + span * 0.6, kind: 'purchased-changed', label: '20 → 25 purchased' },
      { t: from + span * 0.55, kind: 'ran-out', label: '0 available' },
    ],
  }
}

const ok = account()

/** The states of the issue, each with what a person must read and press. */
export const STATES = {
  ok: { state: appState([ok]) },
  low: {
    state: appState([
      account({
        tone: 'low',
        latest: { purchased: 25, active: 24, available: 1, at: NOW - 5 * MINUTE, mismatch: false },
      }),
    ]),
  },
  out: {
    state: appState([
      account({
        tone: 'out',
        forecast: { kind: 'out-now' },
        latest: { purchased: 25, active: 25, available: 0, at: NOW - 5 * MINUTE, mismatch: false },
      }),
    ]),
  },
  stale: {
    state: appState([
      account({
        tone: 'stale',
        lastGoodAt: NOW - 3 * HOUR,
        problem: problem('timeout'),
        lastAttemptAt: NOW - 2 * MINUTE,
      }),
    ]),
  },
  offline: {
    state: appState([account({ tone: 'offline', problem: problem('offline') })], { online: false }),
  },
  throttled: {
    state: appState([
      account({
        tone: 'error',
        problem: problem('token-throttled', { retryAfterMs: 10 * MINUTE }),
        lastAttemptAt: NOW - MINUTE,
      }),
    ]),
  },
  'scope-missing': { state: appState([account({ tone: 'error', problem: problem('scope-missing') })]) },
  'no-permission': { state: appState([account({ tone: 'error', problem: problem('no-permission') })]) },
  unreachable: { state: appState([account({ tone: 'offline', problem: problem('unreachable') })]) },
  'signed-out': {
    state: appState([
      account({
        phase: 'signed-out',
        tone: 'signed-out',
        // Tuesday 24 November, 14:05: the last numbers stay, greyed and dated.
        lastGoodAt: Date.UTC(2026, 10, 24, 14, 5),
        latest: {
          purchased: 25,
          active: 22,
          available: 3,
          at: Date.UTC(2026, 10, 24, 14, 5),
          mismatch: false,
        },
        nextCheckAt: null,
        problem: problem('reauth-needed'),
      }),
    ]),
  },
  'signing-in': {
    state: appState(
      [
        account({
          phase: 'signing-in',
          tone: 'signed-out',
          latest: null,
          lastGoodAt: null,
          nextCheckAt: null,
        }),
      ],
      { signingIn: 'EU' },
    ),
  },
  'first-poll': {
    state: appState([
      account({
        phase: 'first-poll',
        tone: 'stale',
        latest: null,
        lastGoodAt: null,
        forecast: { kind: 'not-enough-data' },
      }),
    ]),
  },
} satisfies Record<string, Pick<FakeScenario, 'state'>>

export type StateName = keyof typeof STATES

export const MULTI = appState(
  [
    account(),
    account({
      id: 'globex',
      label: 'Globex GmbH',
      dataCenter: 'US',
      tone: 'out',
      forecast: { kind: 'out-now' },
      latest: { purchased: 10, active: 10, available: 0, at: NOW - 2 * MINUTE, mismatch: false },
    }),
  ],
  { worstAccountId: 'globex' },
)

/**
 * Who holds Acme's 25 seats, as the engine answers getSeatHolders (shape of `seat-tray users --json` against the
 * simulator): three pending invites (12, 9 and 1 days old), then 22 people by profile, role and name. The engine's
 * suggestions name the two invites older than Zoho's 7-day expiry, deliberately not oldest first, so the window's
 * order is its own.
 */
export function seatHoldersView(): SeatHoldersView {
  const person = (
    id: string,
    name: string,
    profile: string,
    role: string,
    pendingDays: number | null = null,
  ): SeatHolder => ({
    id,
    name,
    email: `${name.toLowerCase().replace(' ', '.')}@acme.example`,
    role,
    profile,
    state: pendingDays === null ? 'confirmed' : 'pending',
    createdAt: NOW - (pendingDays ?? 400) * DAY,
    pendingDays,
    zohoUrl: `https://crm.zoho.eu/crm/acme/settings/users/${id}`,
  })
  const sales = ['Ava Berg', 'Ben Berg', 'Chloe Berg', 'Dev Berg', 'Elena Okafor', 'Farid Berg', 'Grace Berg']
  const more = [
    'Hugo Berg',
    'Ines Berg',
    'Jonas Okafor',
    'Kemi Berg',
    'Kemi Okafor',
    'Liam Okafor',
    'Mira Sato',
    'Oscar Lind',
    'Priya Shah',
    'Ravi Iyer',
  ]
  const holders: SeatHolder[] = [
    person('u-liam', 'Liam Berg', 'Standard', 'Sales Rep', 12),
    person('u-noor', 'Noor Haddad', 'Standard', 'Manager', 9),
    person('u-ava-n', 'Ava Nakamura', 'Standard', 'Sales Rep', 1),
    person('u-ava-o', 'Ava Okafor', 'Administrator', 'CEO'),
    person('u-ben-o', 'Ben Okafor', 'Administrator', 'Manager'),
    ...['Elena Berg', 'Grace Okafor', 'Jonas Berg'].map((n, i) =>
      person(`u-m${i}`, n, 'Standard', 'Manager'),
    ),
    ...[...sales, ...more].map((n, i) => person(`u-s${i}`, n, 'Standard', 'Sales Rep')),
  ]
  return {
    accountId: 'acme',
    fetchedAt: NOW - MINUTE,
    holders,
    pendingInvites: 3,
    deactivatedUsers: 2,
    pendingCounting: 'counted',
    pendingCountingText:
      'Zoho counts pending invites as used seats here: 25 used = 22 confirmed users + 3 pending invites.',
    suggestions: [
      {
        holderId: 'u-noor',
        text: 'Invited 9 days ago and never accepted (Zoho’s invitations expire after 7 days): re-invite or delete this user in Zoho CRM to free the seat.',
      },
      {
        holderId: 'u-liam',
        text: 'Invited 12 days ago and never accepted (Zoho’s invitations expire after 7 days): re-invite or delete this user in Zoho CRM to free the seat.',
      },
    ],
    usersPageUrl: 'https://crm.zoho.eu/crm/acme/settings/users',
    creditsPerDay: 5,
    truncated: false,
    cost: null,
    renewal: null,
  }
}

/**
 * The same list as the engine answers it once a seat price is set: what `free` free seats cost and the renewal
 * sizing, from the engine's own rules (core/seat-holders.ts) over 90 days in which `free` seats always stayed free.
 */
export function pricedSeatHoldersView(price: SeatPrice, free: number): SeatHoldersView {
  const days = Array.from({ length: 91 }, (_, i) => ({
    t: NOW - (90 - i) * DAY,
    purchased: 25,
    active: 25 - free,
    available: free,
  }))
  return {
    ...seatHoldersView(),
    cost: seatCost(price, free, 'en-GB'),
    renewal: renewalSizing({ points: days, now: NOW, paidExpiry: '2027-03-01', price, locale: 'en-GB' }),
  }
}

export function scenario(over: Partial<FakeScenario> = {}): FakeScenario {
  return {
    state: STATES.ok.state,
    settings: settingsView(),
    history: Object.fromEntries(
      (['24h', '7d', '30d', '1y'] as const).map((r) => [r, historyFor('acme', r)]),
    ) as FakeScenario['history'],
    holdRefresh: false,
    afterRefresh: null,
    exportResult: { saved: true, path: '/home/office/acme-seats.csv' },
    exportHoldersResult: { saved: true, path: '/home/office/Documents/seat-holders-acme-ltd-2026-11-27.csv' },
    seatHolders: { kind: 'holders', view: seatHoldersView() },
    pricedSeatHolders: null,
    holdSeatHolders: false,
    ...over,
  }
}
