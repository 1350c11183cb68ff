/**
 * The app's brain: one object that owns the accounts, their sessions and pollers, the history, the alerts and the
 * tray model, and answers the window's commands. It knows nothing of Electron: main/index.ts wires it to Electron
 * adapters, tests and the headless runtime wire it to Node ones.
 *
 * Data flows one way: a poll → a snapshot → history, alerts, tray and window update. Commands (refresh, sign in,
 * settings) come in as method calls; state goes out by one route, the ViewPublisher: one state push and one tray
 * render per turn of the event loop at most, and none when nothing visible changed.
 */
import { join } from 'node:path'
import type { SeatCommands, SettingsView } from '../../common/contract'
import type {
  AccountId,
  AccountView,
  AppState,
  DataCenterId,
  Forecast,
  HistoryRange,
  OrgInfo,
  Snapshot,
} from '../../common/model'
import { needsPerson, type Problem, problem } from '../../common/problems'
import type { AccountRecord, Settings } from '../../common/settings'
import { type AlertMemory, evaluateAlerts, resolveLowThreshold } from './alerts'
import { diskProblem } from './atomic-file'
import { SeatTrayError } from './errors'
import { forecast } from './forecast'
import { HistoryStore } from './history'
import { readJsonFile, writeJsonFileAtomic } from './json-file'
import { callsPerDay, Poller, type PollOutcome } from './poller'
import type {
  AuthBrowser,
  Clock,
  FetchLike,
  Notifier,
  SecretVault,
  SettingsStore,
  StateSink,
  TimerHandle,
  TrayModel,
  TrayView,
  VaultStatus,
} from './ports'
import { nextDigestAt, RENEWAL_LOOKBACK_MS, weeklyDigest, withSeatHoldersHint } from './seat-holders'
import { SeatHoldersTracker } from './seat-holders-tracker'
import { Session } from './session'
import { applyPatch } from './settings'
import { snoozeUntil } from './snooze'
import { singleLine } from './text'
import { accountTone, staleAfter, trayView, worstAccount } from './tray-model'
import { ViewPublisher } from './view-publisher'
import { fetchOrg, fetchUserLicenses } from './zoho/crm'
import { dataCenter, dataCenterForAccountsServer, type HostPolicy } from './zoho/datacenters'
import {
  beginSignIn,
  exchangeCode,
  parseRedirect,
  revokeToken,
  type TokenGrant,
  type ZohoClient,
} from './zoho/oauth'
import { REDIRECT_URI } from './zoho/redirect'
import { fetchSeatHolderFacts } from './zoho/users'

/** The simulator's endpoints and a ready refresh token, for demo mode. */
export interface DemoEndpoints {
  accountsServer: string
  apiDomain: string
  client: ZohoClient
  refreshToken: string
  close(): Promise<void>
}

export interface SeatTrayDeps {
  fetch: FetchLike
  clock: Clock
  vault: SecretVault
  notifier: Notifier
  tray: TrayView
  sink: StateSink
  /** Runs the view flush after the current turn (setImmediate by default). */
  scheduleViews?: (flush: () => void) => void
  /** Zoho's page in a window of ours. */
  authBrowser: AuthBrowser
  /** Zoho's page in the system browser, for single sign-on that refuses embedded windows. */
  systemBrowser?: AuthBrowser
  settings: SettingsStore
  /** Where history and alert memory live. */
  dataDir: string
  /** A client configured when the app was packaged, if any. */
  buildClient: ZohoClient | null
  /** For real accounts. Loopback is allowed only for demo accounts and tests. */
  hostPolicy: HostPolicy
  /** Starts the built-in Zoho simulator for demo mode. */
  demo?: () => Promise<DemoEndpoints>
  /** Sign-in starts here instead of the data center's accounts server (tests against the simulator). */
  signInServerOverride?: string
  redirectUri?: string
  /**
   * Called after settings change, so the platform can apply launch-at-login, the person's answer about where
   * secrets may be kept, and the like. Awaited, so the settings view sent back already shows the outcome.
   */
  onSettingsChanged?: (settings: Settings) => void | Promise<void>
  /** Why the keychain is not in use and whether the person's consent is wanted; absent = the keychain is fine. */
  vaultStatus?: () => VaultStatus
  random?: () => number
}

/** The engine's commands (the contract's SeatCommands), plus the lifecycle the platform drives. */
export interface SeatTray extends SeatCommands {
  start(): Promise<void>
  /** Stops every timer and flushes every write. */
  stop(): Promise<void>
  state(): AppState
  trayModel(): TrayModel
  pause(reason: PauseReason): void
  resume(reason: PauseReason): void
  /** The CSV text of a range; the platform decides where it goes. */
  csv(query: { accountId: AccountId; range: HistoryRange }): Promise<string>
  /** Seat holders (issue 11): the Zoho CRM page where a seat is freed, for the platform to open. */
  seatHoldersLink(target: { accountId: AccountId; holderId?: string }): string
}

export type PauseReason = 'suspend' | 'offline' | 'locked'

/** The window asked about an account the app does not watch (signed out meanwhile, or a forged id). */
export class UnknownAccountError extends Error {
  constructor(readonly accountId: AccountId) {
    super(`Seat Tray has no account “${singleLine(accountId, 40)}”.`)
    this.name = 'UnknownAccountError'
  }
}

const CLIENT_SECRET_KEY = 'client-secret'
const DEMO_ACCOUNT_ID = 'demo'
const DAY = 24 * 60 * 60 * 1000
/** The org's name and renewal dates change rarely: ask at most this often. */
const ORG_REFRESH_MS = DAY
const FORECAST_WINDOW_MS = 30 * DAY

interface Account {
  record: AccountRecord
  demo: boolean
  session: Session
  poller: Poller
  /** When the poller last planned a check for: shown while that check runs (see accountView). */
  plannedAt: number | null
  /** A person asked for this check: the window shows it running. The poller's own checks are silent. */
  personAsked: boolean
  phase: AccountView['phase']
  latest: Snapshot | null
  org: OrgInfo | null
  orgCheckedAt: number | null
  lastAttemptAt: number | null
  lastGoodAt: number | null
  problem: Problem | null
  forecast: Forecast
  /** Set up while no Zoho client was: it cannot ask Zoho anything until one is (see setClient). */
  clientMissing: boolean
  /** Who holds the seats (issue 11): names in memory only, fetched on demand and at most daily otherwise. */
  seatHolders: SeatHoldersTracker
}

/** What survives a restart besides settings and history: what was already announced, and the snooze. */
interface Memory {
  alerts: Record<AccountId, AlertMemory>
  snoozedUntil: number | null
}

export function createSeatTray(deps: SeatTrayDeps): SeatTray {
  const { clock } = deps
  const http = { fetch: deps.fetch, clock }
  const redirectUri = deps.redirectUri ?? REDIRECT_URI
  const memoryFile = join(deps.dataDir, 'state.json')
  const notices: string[] = []

  const loaded = deps.settings.load()
  let settings = loaded.settings
  if (loaded.notice) notices.push(loaded.notice)

  const history = new HistoryStore({
    dir: join(deps.dataDir, 'history'),
    clock,
    retentionDays: settings.historyRetentionDays,
  })
  const memory = loadMemory()
  const accounts = new Map<AccountId, Account>()
  const paused = new Set<PauseReason>()
  let online = true
  let signingIn: { dataCenter: DataCenterId; abort: AbortController } | null = null
  let signInProblem: Problem | null = null
  let demoEndpoints: DemoEndpoints | null = null
  let stopped = false
  let digestTimer: TimerHandle | null = null
  const views = new ViewPublisher({
    build: () => {
      const state = buildState()
      return { state, tray: trayView(state, clock.now()) }
    },
    sink: deps.sink,
    tray: deps.tray,
    ...(deps.scheduleViews ? { schedule: deps.scheduleViews } : {}),
  })

  const app: SeatTray = {
    async start() {
      // Without a client (say its secret was in a keychain that did not answer) the accounts still show, with the
      // fix, rather than vanish into the first-run screen.
      const client = await configuredClient()
      for (const record of settings.accounts) addAccount(record, client, false)
      publish()
      views.flush()
      for (const account of accounts.values()) startPolling(account)
      armDigest()
      views.flush()
    },

    async stop() {
      stopped = true
      if (digestTimer !== null) clock.clearTimeout(digestTimer)
      views.stop()
      signingIn?.abort.abort()
      for (const account of accounts.values()) account.poller.stop()
      history.closeAll()
      saveMemory()
      await demoEndpoints?.close()
      demoEndpoints = null
    },

    state: () => buildState(),
    trayModel: () => trayView(buildState(), clock.now()),

    pause(reason) {
      paused.add(reason)
      if (reason === 'offline') online = false
      for (const account of accounts.values()) account.poller.pause(reason)
      publish()
      views.flush()
    },

    resume(reason) {
      paused.delete(reason)
      if (reason === 'offline') online = true
      for (const account of accounts.values()) account.poller.resume(reason)
      publish()
      views.flush()
    },

    async refresh(accountId) {
      const targets = accountId ? [requireAccount(accountId)] : [...accounts.values()]
      for (const account of targets) account.personAsked = true
      const checks = targets.map((a) => a.poller.refreshNow())
      // The person clicked: show the check running now, not after it (a second click joins it and shows nothing new).
      publish()
      views.flush()
      await Promise.all(checks)
      views.flush()
    },

    async signIn(request) {
      if (signingIn)
        throw new SeatTrayError(problem('sign-in-failed', { detail: 'a sign-in is already open' }))
      // A real client wins over the demo: the demo only signs in to the simulator while no client is set up.
      const realClient = await configuredClient()
      const demo = realClient === null && demoEndpoints !== null
      const client = realClient ?? demoEndpoints?.client
      if (!client) {
        signInProblem = problem('invalid-client', { message: NO_CLIENT_MESSAGE })
        publish()
        throw new SeatTrayError(signInProblem)
      }
      const abort = new AbortController()
      signingIn = { dataCenter: request.dataCenter, abort }
      signInProblem = null
      publish()
      try {
        // This sign-in's policy, fixed now: nothing that happens meanwhile (the demo starting or ending) changes it.
        const policy = Object.freeze({ ...policyFor(demo) })
        const start = demo
          ? demoEndpoints!.accountsServer
          : (deps.signInServerOverride ?? dataCenter(request.dataCenter).accountsServer)
        const attempt = beginSignIn({ client, accountsServer: start, redirectUri, hostPolicy: policy })
        const browser =
          request.via === 'browser' && deps.systemBrowser ? deps.systemBrowser : deps.authBrowser
        const redirectUrl = await browser.authorize({
          url: attempt.url,
          redirectUri,
          signal: abort.signal,
          hostPolicy: policy,
        })
        const redirect = parseRedirect(redirectUrl, attempt, policy)
        const grant = await exchangeCode(http, { client, attempt, redirect, hostPolicy: policy })
        const org = await fetchOrg(http, {
          apiDomain: grant.apiDomain,
          accessToken: grant.accessToken,
          hostPolicy: policy,
        }).catch(() => null)
        const dc = dataCenterForAccountsServer(redirect.accountsServer)?.id ?? request.dataCenter
        const id = demo ? DEMO_ACCOUNT_ID : accountIdFor(dc, org)
        await replaceAccount(
          {
            id,
            dataCenter: dc,
            accountsServer: redirect.accountsServer,
            apiDomain: grant.apiDomain,
            orgId: org?.id ?? null,
            orgName: org?.name ?? null,
            addedAt: clock.now(),
          },
          grant.refreshToken,
          client,
          demo,
          org,
          grant,
        )
        if (!demo) await endDemo()
      } catch (error) {
        // No account exists yet to carry the problem, so the window reads it from here; the error says the same.
        signInProblem = toProblem(error)
        throw error instanceof SeatTrayError ? error : new SeatTrayError(signInProblem)
      } finally {
        signingIn = null
        publish()
        views.flush()
      }
    },

    async cancelSignIn() {
      signingIn?.abort.abort()
    },

    async signOut(accountId) {
      const account = requireAccount(accountId)
      // Saved first: should the disk refuse, the account stays signed in rather than come back without its token.
      if (!account.demo) {
        settings = saveSettings({
          ...settings,
          accounts: settings.accounts.filter((a) => a.id !== accountId),
        })
      }
      account.poller.stop()
      accounts.delete(accountId)
      // History stays: signing back in to the same org picks it up again.
      await account.session.signOut()
      if (account.demo) await endDemo()
      delete memory.alerts[accountId]
      saveMemory()
      publish()
      views.flush()
    },

    async startDemo() {
      if (!deps.demo) throw new Error('Demo mode is not available in this build.')
      if (!demoEndpoints) demoEndpoints = await deps.demo()
      const sim = demoEndpoints
      const existing = accounts.get(DEMO_ACCOUNT_ID)
      if (existing && !existing.problem) return
      await replaceAccount(
        {
          id: DEMO_ACCOUNT_ID,
          dataCenter: 'US',
          accountsServer: sim.accountsServer,
          apiDomain: sim.apiDomain,
          orgId: null,
          orgName: null,
          addedAt: clock.now(),
        },
        sim.refreshToken,
        sim.client,
        true,
        null,
      )
      views.flush()
    },

    async getHistory({ accountId, range, maxPoints }) {
      requireAccount(accountId)
      return history.forAccount(accountId).series(accountId, range, maxPoints)
    },

    async csv({ accountId, range }) {
      const account = requireAccount(accountId)
      const log = history.forAccount(accountId)
      const series = log.series(accountId, range)
      return log.csv(series.from, series.to, accountView(account).label)
    },

    async getSettings() {
      return settingsView()
    },

    async updateSettings(patch) {
      const before = settings
      // Only what was saved is applied: a change the disk refused would be gone at the next start.
      settings = saveSettings(applyPatch(settings, patch))
      try {
        await deps.onSettingsChanged?.(settings)
      } catch (error) {
        // The platform could not apply it (say the secrets could not move into their file): saved and in force
        // go back to what they were, and the person is told why.
        settings = saveSettings(before)
        await (async () => deps.onSettingsChanged?.(before))().catch(() => undefined)
        throw isFileSystemError(error) ? new SeatTrayError(diskProblem('apply the settings', error)) : error
      }
      // Shorter retention applies at once (it rewrites each log), so only when it changed.
      if (settings.historyRetentionDays !== before.historyRetentionDays) {
        history.setRetentionDays(settings.historyRetentionDays)
      }
      for (const account of accounts.values()) account.poller.reschedule()
      publish()
      views.flush()
      return settingsView()
    },

    async setClient({ clientId, clientSecret }) {
      const id = clientId.trim()
      const secret = clientSecret.trim()
      if (!/^[\w.-]{8,200}$/.test(id)) throw new Error('That does not look like a Zoho client ID.')
      if (secret.length < 8 || secret.length > 500)
        throw new Error('That does not look like a Zoho client secret.')
      // The secret and the ID are one change: if the settings cannot be saved, the vault gets its old secret back.
      const oldSecret = await deps.vault.get(CLIENT_SECRET_KEY).catch(() => null)
      await deps.vault.set(CLIENT_SECRET_KEY, secret)
      try {
        settings = saveSettings({ ...settings, clientId: id })
      } catch (error) {
        await (oldSecret === null
          ? deps.vault.delete(CLIENT_SECRET_KEY)
          : deps.vault.set(CLIENT_SECRET_KEY, oldSecret)
        ).catch(() => undefined)
        throw error
      }
      // Accounts that were waiting for a client can check now.
      for (const waiting of [...accounts.values()].filter((a) => a.clientMissing)) {
        waiting.poller.stop()
        startPolling(addAccount(waiting.record, { clientId: id, clientSecret: secret }, waiting.demo))
      }
      publish()
      views.flush()
      return settingsView()
    },

    async snooze(choice) {
      memory.snoozedUntil = choice === null ? null : snoozeUntil(choice, clock.now())
      saveMemory()
      publish()
      views.flush()
    },

    seatHoldersLink({ accountId, holderId }) {
      return requireAccount(accountId).seatHolders.link(holderId)
    },

    async getSeatHolders(accountId) {
      const account = requireAccount(accountId)
      if (account.clientMissing) throw new SeatTrayError(account.problem ?? problem('invalid-client'))
      try {
        return await account.seatHolders.onDemand()
      } finally {
        publish()
        views.flush()
      }
    },
  }
  return app

  // ── accounts ────────────────────────────────────────────────────────────

  /** The demo ends once a real org is watched, or when its account is signed out: its simulator closes. */
  async function endDemo(): Promise<void> {
    const account = accounts.get(DEMO_ACCOUNT_ID)
    if (account?.demo) {
      account.poller.stop()
      accounts.delete(DEMO_ACCOUNT_ID)
      delete memory.alerts[DEMO_ACCOUNT_ID]
    }
    const sim = demoEndpoints
    demoEndpoints = null
    await sim?.close()
  }

  async function configuredClient(): Promise<ZohoClient | null> {
    if (deps.buildClient) return deps.buildClient
    if (!settings.clientId) return null
    const secret = await deps.vault.get(CLIENT_SECRET_KEY).catch(() => null)
    return secret ? { clientId: settings.clientId, clientSecret: secret } : null
  }

  /**
   * A new sign-in, or a sign-in again to an org we already watch (its old token is replaced and revoked). One
   * transaction: persist (token in the vault, settings saved), then switch the poller, then revoke the old token.
   * Should persisting fail, the old sign-in goes on as it was and the new token is given back to Zoho.
   */
  async function replaceAccount(
    record: AccountRecord,
    refreshToken: string,
    client: ZohoClient,
    demo: boolean,
    org: OrgInfo | null,
    grant?: TokenGrant,
  ): Promise<void> {
    const previous = accounts.get(record.id)
    const key = Session.vaultKey(record.id)
    const oldToken = previous ? await deps.vault.get(key).catch(() => null) : null
    try {
      await Session.store(deps.vault, record.id, refreshToken)
    } catch (error) {
      // A token we cannot keep is of no use to anyone: Zoho gets it back, and the old one stays as it was.
      await giveBack(record.accountsServer, refreshToken, demo)
      throw error
    }
    if (!demo) {
      try {
        settings = saveSettings({
          ...settings,
          accounts: [...settings.accounts.filter((a) => a.id !== record.id), record],
        })
      } catch (error) {
        await (oldToken === null ? deps.vault.delete(key) : deps.vault.set(key, oldToken)).catch(
          () => undefined,
        )
        await giveBack(record.accountsServer, refreshToken, demo)
        throw error
      }
    }
    previous?.poller.stop()
    if (oldToken && oldToken !== refreshToken) {
      // Every consent mints a refresh token and Zoho keeps only 20 per user: give the old one back.
      await giveBack(previous!.record.accountsServer, oldToken, demo)
    }
    const account = addAccount(record, client, demo)
    // The sign-in just produced an access token: use it rather than spend one of Zoho's 10 per 10 minutes.
    if (grant) account.session.adopt(grant)
    if (org) {
      account.org = org
      account.orgCheckedAt = clock.now()
    }
    publish()
    startPolling(account)
  }

  /** Revokes a refresh token at Zoho, best effort: offline or refused, the person can still revoke it in Zoho. */
  async function giveBack(accountsServer: string, token: string, demo: boolean): Promise<void> {
    await revokeToken(http, { accountsServer, token, hostPolicy: policyFor(demo) }).catch(() => undefined)
  }

  /**
   * Saves `next` and returns it, so callers assign only what reached the disk. A refusal (full, read-only, no
   * permission) is a SeatTrayError that names the disk's problem, with the settings in force unchanged.
   */
  function saveSettings(next: Settings): Settings {
    try {
      deps.settings.save(next)
    } catch (error) {
      throw new SeatTrayError(diskProblem('save the settings', error))
    }
    return next
  }

  function addAccount(record: AccountRecord, client: ZohoClient | null, demo: boolean): Account {
    const session = new Session(
      { ...http, vault: deps.vault, hostPolicy: policyFor(demo) },
      { id: record.id, accountsServer: record.accountsServer, apiDomain: record.apiDomain },
      client ?? { clientId: '', clientSecret: '' },
    )
    const log = history.forAccount(record.id)
    const latest = log.latest()
    const account: Account = {
      record,
      demo,
      session,
      poller: undefined as unknown as Poller,
      plannedAt: null,
      personAsked: false,
      phase: latest ? 'ready' : 'first-poll',
      latest,
      org: null,
      orgCheckedAt: null,
      lastAttemptAt: null,
      lastGoodAt: latest?.at ?? null,
      problem: client ? null : problem('invalid-client', { message: CLIENT_LOST_MESSAGE }),
      forecast: { kind: 'not-enough-data' },
      clientMissing: client === null,
      seatHolders: undefined as unknown as SeatHoldersTracker,
    }
    account.seatHolders = seatHoldersTracker(account)
    account.forecast = forecastFor(account)
    account.poller = new Poller({
      clock,
      intervalMs: () => settings.pollMinutes * 60_000,
      check: () => check(account),
      random: deps.random,
      onSchedule: (at) => {
        if (at !== null) account.plannedAt = at
        publish()
      },
    })
    accounts.set(record.id, account)
    return account
  }

  function startPolling(account: Account): void {
    if (stopped) return
    for (const reason of paused) account.poller.pause(reason)
    account.poller.start()
  }

  /** One poll: read the seats (and now and then the org), then let history, alerts and views react. */
  async function check(account: Account): Promise<PollOutcome> {
    if (account.clientMissing) return { ok: false, needsPerson: true, verdict: 'invalid-client' }
    const policy = policyFor(account.demo)
    let outcome: PollOutcome
    try {
      const snapshot = await account.session.withToken((accessToken, apiDomain) =>
        fetchUserLicenses(http, { apiDomain, accessToken, hostPolicy: policy }),
      )
      await refreshOrgIfDue(account, policy)
      // Daily at most, with the new seats but before they are shown, so the state, the tray and "seats ran out"
      // (announced below) all tell the same moment, and that notice can say which invites hold the seats.
      await account.seatHolders.refreshIfDue(snapshot)
      account.latest = snapshot
      account.lastGoodAt = snapshot.at
      account.problem = null
      account.phase = 'ready'
      if (history.forAccount(account.record.id).record(snapshot)) account.forecast = forecastFor(account)
      outcome = { ok: true }
    } catch (error) {
      const p = toProblem(error)
      account.problem = p
      outcome = { ok: false, retryAfterMs: p.retryAfterMs, needsPerson: needsPerson(p), verdict: p.kind }
    }
    account.lastAttemptAt = clock.now()
    account.personAsked = false
    if (accounts.get(account.record.id) === account) {
      announce(account)
      publish()
    }
    return outcome
  }

  // ── seat holders (issue 11) ─────────────────────────────────────────────

  function seatHoldersTracker(account: Account): SeatHoldersTracker {
    return new SeatHoldersTracker({
      accountId: account.record.id,
      clock,
      fetchFacts: () =>
        account.session.withToken((accessToken, apiDomain) =>
          fetchSeatHolderFacts(http, { apiDomain, accessToken, hostPolicy: policyFor(account.demo) }),
        ),
      context: () => {
        const now = clock.now()
        return {
          snapshot: account.latest,
          org: account.org,
          apiDomain: account.session.apiDomain,
          history: history.forAccount(account.record.id).points(now - RENEWAL_LOOKBACK_MS, now, 20_000),
          price: settings.seatPrice,
        }
      },
    })
  }

  // ── weekly digest (issue 11): Monday 09:00 local time, opt-in ───────────

  /** Armed from wall time at each firing, so a clock change or a sleep moves at most one digest. */
  function armDigest(): void {
    if (stopped) return
    const now = clock.now()
    digestTimer = clock.setTimeout(() => {
      sendDigests()
      armDigest()
    }, nextDigestAt(now) - now)
  }

  function sendDigests(): void {
    const now = clock.now()
    if (!settings.notify.digest || (memory.snoozedUntil !== null && now < memory.snoozedUntil)) return
    for (const account of accounts.values()) {
      const points = history.forAccount(account.record.id).points(now - 7 * DAY, now, 5000)
      deps.notifier.show(
        weeklyDigest({
          accountId: account.record.id,
          label: accountView(account).label,
          points,
          access: account.seatHolders.access,
          org: account.org,
          now,
        }),
      )
    }
  }

  async function refreshOrgIfDue(account: Account, policy: HostPolicy): Promise<void> {
    const now = clock.now()
    if (account.orgCheckedAt !== null && now - account.orgCheckedAt < ORG_REFRESH_MS) return
    account.orgCheckedAt = now
    try {
      account.org = await account.session.withToken((accessToken, apiDomain) =>
        fetchOrg(http, { apiDomain, accessToken, hostPolicy: policy }),
      )
      rememberOrgName(account)
    } catch {
      // The org name and renewal dates are extras: the seat count stands without them.
    }
  }

  function rememberOrgName(account: Account): void {
    const name = account.org?.name ?? null
    if (account.demo || !name || account.record.orgName === name) return
    const record = { ...account.record, orgName: name, orgId: account.org?.id ?? account.record.orgId }
    // Should the disk refuse, the name is still shown from `org` and saved at the next check.
    settings = saveSettings({
      ...settings,
      accounts: settings.accounts.map((a) => (a.id === record.id ? record : a)),
    })
    account.record = record
  }

  /**
   * The window names accounts by id, and the window is not trusted: an id the app does not watch is refused here,
   * before anything opens a history file for it (which would create the file and hold a descriptor per id).
   */
  function requireAccount(id: AccountId): Account {
    const account = accounts.get(id)
    if (!account) throw new UnknownAccountError(id)
    return account
  }

  function policyFor(demo: boolean): HostPolicy {
    return demo ? { allowLoopback: true } : deps.hostPolicy
  }

  function forecastFor(account: Account): Forecast {
    const now = clock.now()
    return forecast(history.forAccount(account.record.id).points(now - FORECAST_WINDOW_MS, now, 2000), now)
  }

  // ── alerts ──────────────────────────────────────────────────────────────

  function announce(account: Account): void {
    const view = accountView(account)
    const { memory: next, notices: toShow } = evaluateAlerts(
      memory.alerts[account.record.id],
      {
        accountId: account.record.id,
        label: view.label,
        latest: account.latest,
        problem: account.problem,
        lowAt: view.lowAt,
        org: account.org,
        renewalWarnDays: settings.renewalWarnDays,
        notify: settings.notify,
        reminderHours: settings.reminderHours,
        snoozedUntil: memory.snoozedUntil,
      },
      clock.now(),
    )
    const changed = JSON.stringify(next) !== JSON.stringify(memory.alerts[account.record.id])
    memory.alerts[account.record.id] = next
    if (changed) saveMemory()
    for (const notice of toShow) deps.notifier.show(withSeatHoldersHint(notice, account.seatHolders.access))
  }

  function loadMemory(): Memory {
    const read = readJsonFile(memoryFile, clock.now)
    if (read.kind === 'corrupt') {
      notices.push('Seat Tray could not read what it had already announced, so an alert may repeat once.')
    }
    const value = read.kind === 'ok' && isRecord(read.value) ? read.value : {}
    return {
      alerts: isRecord(value.alerts) ? (value.alerts as Record<AccountId, AlertMemory>) : {},
      snoozedUntil: typeof value.snoozedUntil === 'number' ? value.snoozedUntil : null,
    }
  }

  function saveMemory(): void {
    try {
      writeJsonFileAtomic(memoryFile, memory)
    } catch {
      // Losing alert memory means at worst one repeated notification; never worth a crash.
    }
  }

  // ── views ───────────────────────────────────────────────────────────────

  /** Something visible may have changed; the views go out once at the end of this turn. */
  function publish(): void {
    views.changed()
  }

  function buildState(): AppState {
    const views = [...accounts.values()].map(accountView)
    return {
      accounts: views,
      worstAccountId: worstAccount(views, clock.now(), { online })?.id ?? null,
      demo: demoEndpoints !== null,
      online,
      signingIn: signingIn?.dataCenter ?? null,
      signInProblem,
      clientConfigured: deps.buildClient !== null || settings.clientId !== null,
      snoozedUntil:
        memory.snoozedUntil !== null && memory.snoozedUntil > clock.now() ? memory.snoozedUntil : null,
      notices: [...notices, ...history.warnings()],
    }
  }

  function accountView(account: Account): AccountView {
    const now = clock.now()
    const lowAt = account.latest ? resolveLowThreshold(settings.lowThreshold, account.latest.purchased) : 0
    const intervalMs = settings.pollMinutes * 60_000
    const base = {
      phase: account.phase,
      latest: account.latest,
      problem: account.problem,
      lowAt,
      lastGoodAt: account.lastGoodAt,
    }
    return {
      id: account.record.id,
      dataCenter: account.record.dataCenter,
      label:
        account.org?.name ?? account.record.orgName ?? (account.demo ? 'Demo Org' : dataCenterLabel(account)),
      ...base,
      org: account.org,
      lastAttemptAt: account.lastAttemptAt,
      // While a check runs the poller plans nothing; showing the time it was due keeps a quiet poll to one push.
      nextCheckAt: account.poller.nextAt ?? (account.poller.inFlight ? account.plannedAt : null),
      refreshing: account.poller.inFlight && account.personAsked,
      tone: accountTone(base, now, staleAfter(intervalMs)),
      forecast: account.forecast,
      callsPerDay: callsPerDay(settings.pollMinutes),
      seatHolders: account.seatHolders.access,
    }
  }

  async function settingsView(): Promise<SettingsView> {
    const { schemaVersion: _v, accounts: _a, ...rest } = settings
    const secret = await deps.vault.get(CLIENT_SECRET_KEY).catch(() => null)
    const vault = deps.vaultStatus?.() ?? { needsConsent: false, unavailableReason: null }
    return {
      ...rest,
      hasClientSecret: secret !== null,
      vaultBackend: deps.vault.backend,
      vaultNeedsConsent: vault.needsConsent,
      vaultUnavailableReason: vault.unavailableReason,
      redirectUri,
      clientConfigured: deps.buildClient !== null || settings.clientId !== null,
    }
  }
}

const CLIENT_LOST_MESSAGE =
  'Seat Tray no longer has the Zoho client secret (the keychain did not give it back). Enter the client ID and secret again in Settings.'

const NO_CLIENT_MESSAGE =
  'No Zoho client is set up yet. Register one in Zoho’s API console and paste its ID and secret in Settings, or try the demo.'

function dataCenterLabel(account: Account): string {
  return `Zoho CRM (${account.record.dataCenter})`
}

/** Stable across sign-ins to the same org, so history and alert memory carry over. */
function accountIdFor(dc: DataCenterId, org: OrgInfo | null): AccountId {
  if (org?.id) return `${dc.toLowerCase()}-${org.id.replace(/[^\w-]/g, '')}`
  return `${dc.toLowerCase()}-${Math.random().toString(36).slice(2, 10)}`
}

function toProblem(error: unknown): Problem {
  if (error instanceof SeatTrayError) return error.problem
  if (error instanceof Error && error.name === 'UntrustedHostError') return problem('untrusted-host')
  // A file the app could not write (the vault's, say) is the disk's problem, not Zoho's.
  if (isFileSystemError(error)) return diskProblem('save a file it keeps', error)
  return problem('bad-response', { detail: error instanceof Error ? error.name : 'unknown error' })
}

/** Node's errors from a file operation carry the syscall that failed; network errors go through zoho/http. */
function isFileSystemError(error: unknown): boolean {
  const syscall = (error as NodeJS.ErrnoException | null)?.syscall
  return typeof syscall === 'string' && FILE_SYSCALLS.has(syscall)
}

const FILE_SYSCALLS = new Set(['open', 'write', 'rename', 'mkdir', 'fsync', 'close', 'unlink', 'copyfile'])

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
