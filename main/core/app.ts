/**
 * The app's brain: one object that owns the accounts, their sessions and pollers, the history, the alerts and the
 * tray model, and answers the window's commands. It knows nothing of Electron: main/index.ts wires it to Electron
 * adapters, tests and the headless runtime wire it to Node ones.
 *
 * Data flows one way: a poll → a snapshot → history, alerts, tray and window update. Commands (refresh, sign in,
 * settings) come in as method calls; state goes out through the StateSink and the TrayView.
 */
import { join } from 'node:path'
import type { HistoryRange, SeatsApi, SettingsView } from '../../preload/api'
import { type AlertMemory, evaluateAlerts, resolveLowThreshold } from './alerts'
import { forecast } from './forecast'
import { HistoryStore } from './history'
import { readJsonFile, writeJsonFileAtomic } from './json-file'
import type { AccountId, AccountView, AppState, Forecast, OrgInfo, Snapshot } from './model'
import { callsPerDay, Poller, type PollOutcome } from './poller'
import type {
  AuthBrowser,
  Clock,
  FetchLike,
  Notifier,
  SecretVault,
  SettingsStore,
  StateSink,
  TrayModel,
  TrayView,
  VaultStatus,
} from './ports'
import { needsPerson, type Problem, problem, SeatTrayError } from './problems'
import { Session } from './session'
import { type AccountRecord, applyPatch, type Settings } from './settings'
import { accountTone, staleAfter, trayModel, worstAccount } from './tray-model'
import { fetchOrg, fetchUserLicenses } from './zoho/crm'
import {
  type DataCenterId,
  dataCenter,
  dataCenterForAccountsServer,
  type HostPolicy,
} from './zoho/datacenters'
import {
  beginSignIn,
  exchangeCode,
  parseRedirect,
  revokeToken,
  type TokenGrant,
  type ZohoClient,
} from './zoho/oauth'
import { REDIRECT_URI } from './zoho/redirect'

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

/**
 * The window's commands (SeatsApi, less what only the platform can do: pushing to a window, save dialogs, links,
 * the office proxy's sign-in),
 * plus the lifecycle the platform drives.
 */
export interface SeatTray
  extends Omit<
    SeatsApi,
    'getState' | 'onState' | 'onShowAccount' | 'exportCsv' | 'openLink' | 'onProxyAuth' | 'answerProxyAuth'
  > {
  start(): Promise<void>
  /** Stops every timer and flushes every write. */
  stop(): Promise<void>
  state(): AppState
  trayModel(): TrayModel
  pause(reason: PauseReason): void
  resume(reason: PauseReason): void
  /** The CSV text of a range; the platform decides where it goes. */
  csv(query: { accountId: AccountId; range: HistoryRange }): Promise<string>
}

export type PauseReason = 'suspend' | 'offline' | 'locked'

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

  const app: SeatTray = {
    async start() {
      // Without a client (say its secret was in a keychain that did not answer) the accounts still show, with the
      // fix, rather than vanish into the first-run screen.
      const client = await configuredClient()
      for (const record of settings.accounts) addAccount(record, client, false)
      publish()
      for (const account of accounts.values()) startPolling(account)
    },

    async stop() {
      stopped = true
      signingIn?.abort.abort()
      for (const account of accounts.values()) account.poller.stop()
      history.closeAll()
      saveMemory()
      await demoEndpoints?.close()
      demoEndpoints = null
    },

    state: () => buildState(),
    trayModel: () => trayModel(buildState().accounts, clock.now(), { online }),

    pause(reason) {
      paused.add(reason)
      if (reason === 'offline') online = false
      for (const account of accounts.values()) account.poller.pause(reason)
      publish()
    },

    resume(reason) {
      paused.delete(reason)
      if (reason === 'offline') online = true
      for (const account of accounts.values()) account.poller.resume(reason)
      publish()
    },

    async refresh(accountId) {
      const targets = accountId ? [requireAccount(accountId)] : [...accounts.values()]
      await Promise.all(targets.map((a) => a.poller.refreshNow()))
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
        const policy = policyFor(demo)
        const start = demo
          ? demoEndpoints!.accountsServer
          : (deps.signInServerOverride ?? dataCenter(request.dataCenter).accountsServer)
        const attempt = beginSignIn({ client, accountsServer: start, redirectUri, hostPolicy: policy })
        const browser =
          request.via === 'browser' && deps.systemBrowser ? deps.systemBrowser : deps.authBrowser
        const redirectUrl = await browser.authorize({ url: attempt.url, redirectUri, signal: abort.signal })
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
        // No account exists yet to carry the problem, so the window reads it from here.
        signInProblem = toProblem(error)
        throw error
      } finally {
        signingIn = null
        publish()
      }
    },

    async cancelSignIn() {
      signingIn?.abort.abort()
    },

    async signOut(accountId) {
      const account = requireAccount(accountId)
      account.poller.stop()
      accounts.delete(accountId)
      // History stays: signing back in to the same org picks it up again.
      await account.session.signOut()
      if (account.demo) await endDemo()
      if (!account.demo) {
        settings = { ...settings, accounts: settings.accounts.filter((a) => a.id !== accountId) }
        deps.settings.save(settings)
      }
      delete memory.alerts[accountId]
      saveMemory()
      publish()
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
    },

    async getHistory({ accountId, range, maxPoints }) {
      return history.forAccount(accountId).series(accountId, range, maxPoints)
    },

    async csv({ accountId, range }) {
      const series = history.forAccount(accountId).series(accountId, range)
      return history.forAccount(accountId).csv(series.from, series.to)
    },

    async getSettings() {
      return settingsView()
    },

    async updateSettings(patch) {
      const before = settings
      settings = applyPatch(settings, patch)
      deps.settings.save(settings)
      await deps.onSettingsChanged?.(settings)
      // Shorter retention applies at once (it rewrites each log), so only when it changed.
      if (settings.historyRetentionDays !== before.historyRetentionDays) {
        history.setRetentionDays(settings.historyRetentionDays)
      }
      for (const account of accounts.values()) account.poller.reschedule()
      publish()
      return settingsView()
    },

    async setClient({ clientId, clientSecret }) {
      const id = clientId.trim()
      const secret = clientSecret.trim()
      if (!/^[\w.-]{8,200}$/.test(id)) throw new Error('That does not look like a Zoho client ID.')
      if (secret.length < 8 || secret.length > 500)
        throw new Error('That does not look like a Zoho client secret.')
      await deps.vault.set(CLIENT_SECRET_KEY, secret)
      settings = { ...settings, clientId: id }
      deps.settings.save(settings)
      // Accounts that were waiting for a client can check now.
      for (const waiting of [...accounts.values()].filter((a) => a.clientMissing)) {
        waiting.poller.stop()
        startPolling(addAccount(waiting.record, { clientId: id, clientSecret: secret }, waiting.demo))
      }
      publish()
      return settingsView()
    },

    async snooze(until) {
      memory.snoozedUntil = until !== null && until > clock.now() ? until : null
      saveMemory()
      publish()
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

  /** A new sign-in, or a sign-in again to an org we already watch (its old token is replaced and revoked). */
  async function replaceAccount(
    record: AccountRecord,
    refreshToken: string,
    client: ZohoClient,
    demo: boolean,
    org: OrgInfo | null,
    grant?: TokenGrant,
  ): Promise<void> {
    const previous = accounts.get(record.id)
    const oldToken = previous ? await deps.vault.get(Session.vaultKey(record.id)).catch(() => null) : null
    previous?.poller.stop()
    await Session.store(deps.vault, record.id, refreshToken)
    if (oldToken && oldToken !== refreshToken) {
      // Every consent mints a refresh token and Zoho keeps only 20 per user: give the old one back.
      await revokeToken(http, {
        accountsServer: previous!.record.accountsServer,
        token: oldToken,
        hostPolicy: policyFor(demo),
      }).catch(() => undefined)
    }
    if (!demo) {
      settings = { ...settings, accounts: [...settings.accounts.filter((a) => a.id !== record.id), record] }
      deps.settings.save(settings)
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
      phase: latest ? 'ready' : 'first-poll',
      latest,
      org: null,
      orgCheckedAt: null,
      lastAttemptAt: null,
      lastGoodAt: latest?.at ?? null,
      problem: client ? null : problem('invalid-client', { message: CLIENT_LOST_MESSAGE }),
      forecast: { kind: 'not-enough-data' },
      clientMissing: client === null,
    }
    account.forecast = forecastFor(account)
    account.poller = new Poller({
      clock,
      intervalMs: () => settings.pollMinutes * 60_000,
      check: () => check(account),
      random: deps.random,
      onSchedule: () => publish(),
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
    publish()
    let outcome: PollOutcome
    try {
      const snapshot = await account.session.withToken((accessToken, apiDomain) =>
        fetchUserLicenses(http, { apiDomain, accessToken, hostPolicy: policy }),
      )
      await refreshOrgIfDue(account, policy)
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
    if (accounts.get(account.record.id) === account) {
      announce(account)
      publish()
    }
    return outcome
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
    account.record = { ...account.record, orgName: name, orgId: account.org?.id ?? account.record.orgId }
    settings = {
      ...settings,
      accounts: settings.accounts.map((a) => (a.id === account.record.id ? account.record : a)),
    }
    deps.settings.save(settings)
  }

  function requireAccount(id: AccountId): Account {
    const account = accounts.get(id)
    if (!account) throw new Error(`No account ${id}.`)
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
    for (const notice of toShow) deps.notifier.show(notice)
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

  function publish(): void {
    if (stopped) return
    const state = buildState()
    deps.tray.render(trayModel(state.accounts, clock.now(), { online }))
    deps.sink.publish(state)
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
      nextCheckAt: account.poller.nextAt,
      refreshing: account.poller.inFlight,
      tone: accountTone(base, now, staleAfter(intervalMs)),
      forecast: account.forecast,
      callsPerDay: callsPerDay(settings.pollMinutes),
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
  return problem('bad-response', { detail: error instanceof Error ? error.name : 'unknown error' })
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
