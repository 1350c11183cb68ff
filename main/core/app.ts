/**
 * The engine: the coordinator of Seat Tray's named parts, with no Electron in it. main/index.ts wires it to Electron
 * adapters; tests, the CLI's `watch` and the headless runtime wire it to Node ones.
 *
 * - one AccountMonitor per watched org (session, poller, history, org, problem, forecast; `check()` is one poll);
 * - the sign-in sequence (sign-in.ts), made a transaction here: persist, then switch, then revoke the old token;
 * - the AlertDesk (what deserves a notification, once per crossing; the snooze);
 * - the SettingsRepository (saved first, in force only once saved);
 * - the ViewPublisher, the one route out: one state push and one tray render per turn of the event loop at most,
 *   none when nothing visible changed.
 * Commands (refresh, sign in, settings) come in as method calls; state only goes out.
 */
import { join } from 'node:path'
import type {
  SeatCommands,
  SettingsPatch,
  SettingsView,
  SignInRequest,
  SnoozeChoice,
} from '../../common/contract'
import type {
  AccountId,
  AppState,
  DataCenterId,
  HistoryRange,
  OrgInfo,
  SeatHoldersAnswer,
} from '../../common/model'
import { type Problem, problem } from '../../common/problems'
import type { AccountRecord, Settings } from '../../common/settings'
import { AccountMonitor } from './account-monitor'
import { AlertDesk } from './alert-desk'
import { diskProblem } from './atomic-file'
import { SeatTrayError, UnknownAccountError } from './errors'
import { HistoryStore } from './history'
import type { PauseReason } from './poller'
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
import {
  nextDigestAt,
  seatHoldersCsv,
  seatHoldersFileName,
  weeklyDigest,
  withSeatHoldersHint,
} from './seat-holders'
import { Session } from './session'
import { applyPatch } from './settings'
import { SettingsRepository } from './settings-repository'
import { signInToZoho } from './sign-in'
import { snoozeUntil } from './snooze'
import { isFileSystemError, toProblem } from './to-problem'
import { trayView, worstAccount } from './tray-model'
import { ViewPublisher } from './view-publisher'
import type { HostPolicy } from './zoho/datacenters'
import { revokeToken, type TokenGrant, type ZohoClient } from './zoho/oauth'
import { REDIRECT_URI } from './zoho/redirect'

export type { PauseReason } from './poller'

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
  /** The settings in force, read without touching the vault (the platform applies some before any secret is read). */
  currentSettings(): Settings
  pause(reason: PauseReason): void
  resume(reason: PauseReason): void
  /** The CSV text of a range; the platform decides where it goes. */
  csv(query: { accountId: AccountId; range: HistoryRange }): Promise<string>
  /** The Zoho CRM page where a seat is freed (the org's Users page, or one user's), for the platform to open. */
  seatHoldersLink(target: { accountId: AccountId; holderId?: string }): string
  /**
   * The seat holders list in memory as CSV, and the file name to suggest; asks Zoho nothing (the list is the one
   * the person is looking at). Throws when no list was read for that account.
   */
  seatHoldersExport(accountId: AccountId): { csv: string; fileName: string }
}

export function createSeatTray(deps: SeatTrayDeps): SeatTray {
  return new Engine(deps)
}

const CLIENT_SECRET_KEY = 'client-secret'
const WEEK = 7 * 24 * 60 * 60 * 1000
const DEMO_ACCOUNT_ID = 'demo'
const NO_CLIENT_MESSAGE =
  'No Zoho client is set up yet. Register one in Zoho’s API console and paste its ID and secret in Settings, or try the demo.'

class Engine implements SeatTray {
  private readonly clock: Clock
  private readonly redirectUri: string
  private readonly settings: SettingsRepository
  private readonly history: HistoryStore
  private readonly alerts: AlertDesk
  private readonly views: ViewPublisher
  private readonly notices: string[] = []
  private readonly monitors = new Map<AccountId, AccountMonitor>()
  private readonly paused = new Set<PauseReason>()
  private online = true
  private signingIn: { dataCenter: DataCenterId; abort: AbortController } | null = null
  private signInProblem: Problem | null = null
  private demoEndpoints: DemoEndpoints | null = null
  private digestTimer: TimerHandle | null = null
  private stopped = false

  constructor(private readonly deps: SeatTrayDeps) {
    this.clock = deps.clock
    this.redirectUri = deps.redirectUri ?? REDIRECT_URI
    this.settings = new SettingsRepository(deps.settings)
    if (this.settings.notice) this.notices.push(this.settings.notice)
    this.history = new HistoryStore({
      dir: join(deps.dataDir, 'history'),
      clock: this.clock,
      retentionDays: this.settings.current.historyRetentionDays,
    })
    this.alerts = new AlertDesk({ dataDir: deps.dataDir, clock: this.clock, notifier: deps.notifier })
    if (this.alerts.notice) this.notices.push(this.alerts.notice)
    this.views = new ViewPublisher({
      build: () => {
        const state = this.state()
        return { state, tray: trayView(state, this.clock.now()) }
      },
      sink: deps.sink,
      tray: deps.tray,
      ...(deps.scheduleViews ? { schedule: deps.scheduleViews } : {}),
    })
  }

  // ── lifecycle ───────────────────────────────────────────────────────────

  async start(): Promise<void> {
    // Without a client (say its secret was in a keychain that did not answer) the accounts still show, with the
    // fix, rather than vanish into the first-run screen.
    const client = await this.configuredClient()
    for (const record of this.settings.current.accounts) this.addMonitor(record, client, false)
    this.changed()
    this.views.flush()
    for (const monitor of this.monitors.values()) this.startPolling(monitor)
    this.armDigest()
    this.views.flush()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.digestTimer !== null) this.clock.clearTimeout(this.digestTimer)
    this.views.stop()
    this.signingIn?.abort.abort()
    for (const monitor of this.monitors.values()) monitor.stop()
    this.history.closeAll()
    this.alerts.save()
    await this.demoEndpoints?.close()
    this.demoEndpoints = null
  }

  pause(reason: PauseReason): void {
    this.paused.add(reason)
    if (reason === 'offline') this.online = false
    for (const monitor of this.monitors.values()) monitor.poller.pause(reason)
    this.changed()
    this.views.flush()
  }

  resume(reason: PauseReason): void {
    this.paused.delete(reason)
    if (reason === 'offline') this.online = true
    for (const monitor of this.monitors.values()) monitor.poller.resume(reason)
    this.changed()
    this.views.flush()
  }

  // ── what is shown ───────────────────────────────────────────────────────

  state(): AppState {
    const now = this.clock.now()
    const accounts = [...this.monitors.values()].map((m) => m.view())
    return {
      accounts,
      worstAccountId: worstAccount(accounts, now, { online: this.online })?.id ?? null,
      demo: this.demoEndpoints !== null,
      online: this.online,
      signingIn: this.signingIn?.dataCenter ?? null,
      signInProblem: this.signInProblem,
      clientConfigured: this.clientConfigured(),
      snoozedUntil: this.alerts.snoozedUntil(),
      notices: [...this.notices, ...this.history.warnings()],
    }
  }

  trayModel(): TrayModel {
    return trayView(this.state(), this.clock.now())
  }

  currentSettings(): Settings {
    return this.settings.current
  }

  // ── commands ────────────────────────────────────────────────────────────

  async refresh(accountId?: AccountId): Promise<void> {
    const targets = accountId ? [this.monitorOf(accountId)] : [...this.monitors.values()]
    const checks = targets.map((m) => m.refresh())
    // The person clicked: show the check running now, not after it (a second click joins it and shows nothing new).
    this.changed()
    this.views.flush()
    await Promise.all(checks)
    this.views.flush()
  }

  async signIn(request: SignInRequest): Promise<void> {
    if (this.signingIn) {
      throw new SeatTrayError(problem('sign-in-failed', { detail: 'a sign-in is already open' }))
    }
    // A real client wins over the demo: the demo only signs in to the simulator while no client is set up.
    const realClient = await this.configuredClient()
    const demo = realClient === null && this.demoEndpoints !== null
    const client = realClient ?? this.demoEndpoints?.client
    if (!client) {
      this.signInProblem = problem('invalid-client', { message: NO_CLIENT_MESSAGE })
      this.changed()
      throw new SeatTrayError(this.signInProblem)
    }
    const abort = new AbortController()
    this.signingIn = { dataCenter: request.dataCenter, abort }
    this.signInProblem = null
    this.changed()
    try {
      const browser =
        request.via === 'browser' && this.deps.systemBrowser ? this.deps.systemBrowser : this.deps.authBrowser
      const override = demo ? this.demoEndpoints!.accountsServer : this.deps.signInServerOverride
      const signedIn = await signInToZoho({
        fetch: this.deps.fetch,
        clock: this.clock,
        client,
        request,
        browser,
        ...(override ? { accountsServer: override } : {}),
        redirectUri: this.redirectUri,
        hostPolicy: Object.freeze({ ...this.policyFor(demo) }),
        signal: abort.signal,
        ...(demo ? { accountId: DEMO_ACCOUNT_ID } : {}),
      })
      await this.replaceAccount(
        signedIn.record,
        signedIn.refreshToken,
        client,
        demo,
        signedIn.org,
        signedIn.grant,
      )
      if (!demo) await this.endDemo()
    } catch (error) {
      // No account exists yet to carry the problem, so the window reads it from here; the error says the same.
      this.signInProblem = toProblem(error)
      throw error instanceof SeatTrayError ? error : new SeatTrayError(this.signInProblem)
    } finally {
      this.signingIn = null
      this.changed()
      this.views.flush()
    }
  }

  async cancelSignIn(): Promise<void> {
    this.signingIn?.abort.abort()
  }

  async signOut(accountId: AccountId): Promise<void> {
    const monitor = this.monitorOf(accountId)
    // Saved first: should the disk refuse, the account stays signed in rather than come back without its token.
    if (!monitor.demo) this.settings.removeAccount(accountId)
    monitor.stop()
    this.monitors.delete(accountId)
    // History stays: signing back in to the same org picks it up again.
    await monitor.session.signOut()
    if (monitor.demo) await this.endDemo()
    this.alerts.forget(accountId)
    this.changed()
    this.views.flush()
  }

  async startDemo(): Promise<void> {
    if (!this.deps.demo) throw new Error('Demo mode is not available in this build.')
    if (!this.demoEndpoints) this.demoEndpoints = await this.deps.demo()
    const sim = this.demoEndpoints
    const existing = this.monitors.get(DEMO_ACCOUNT_ID)
    if (existing && !existing.problem) return
    const record: AccountRecord = {
      id: DEMO_ACCOUNT_ID,
      dataCenter: 'US',
      accountsServer: sim.accountsServer,
      apiDomain: sim.apiDomain,
      orgId: null,
      orgName: null,
      addedAt: this.clock.now(),
    }
    await this.replaceAccount(record, sim.refreshToken, sim.client, true, null)
    this.views.flush()
  }

  async getHistory(query: { accountId: AccountId; range: HistoryRange; maxPoints?: number }) {
    this.monitorOf(query.accountId)
    return this.history.forAccount(query.accountId).series(query.accountId, query.range, query.maxPoints)
  }

  async csv({ accountId, range }: { accountId: AccountId; range: HistoryRange }): Promise<string> {
    const monitor = this.monitorOf(accountId)
    const log = this.history.forAccount(accountId)
    const series = log.series(accountId, range)
    return log.csv(series.from, series.to, monitor.label())
  }

  async getSettings(): Promise<SettingsView> {
    return this.settingsView()
  }

  async updateSettings(patch: SettingsPatch): Promise<SettingsView> {
    const before = this.settings.current
    // Only what was saved is applied: a change the disk refused would be gone at the next start.
    const after = this.settings.save(applyPatch(before, patch))
    try {
      await this.deps.onSettingsChanged?.(after)
    } catch (error) {
      // The platform could not apply it (say the secrets could not move into their file): saved and in force
      // go back to what they were, and the person is told why.
      this.settings.save(before)
      await (async () => this.deps.onSettingsChanged?.(before))().catch(() => undefined)
      throw isFileSystemError(error) ? new SeatTrayError(diskProblem('apply the settings', error)) : error
    }
    // Shorter retention applies at once (it rewrites each log), so only when it changed.
    if (after.historyRetentionDays !== before.historyRetentionDays) {
      this.history.setRetentionDays(after.historyRetentionDays)
    }
    for (const monitor of this.monitors.values()) monitor.poller.reschedule()
    if (after.notify.digest !== before.notify.digest) this.armDigest()
    this.changed()
    this.views.flush()
    return this.settingsView()
  }

  async setClient({
    clientId,
    clientSecret,
  }: {
    clientId: string
    clientSecret: string
  }): Promise<SettingsView> {
    const id = clientId.trim()
    const secret = clientSecret.trim()
    if (!/^[\w.-]{8,200}$/.test(id)) throw new Error('That does not look like a Zoho client ID.')
    if (secret.length < 8 || secret.length > 500)
      throw new Error('That does not look like a Zoho client secret.')
    // The secret and the ID are one change: if the settings cannot be saved, the vault gets its old secret back.
    const vault = this.deps.vault
    const oldSecret = await vault.get(CLIENT_SECRET_KEY).catch(() => null)
    await vault.set(CLIENT_SECRET_KEY, secret)
    try {
      this.settings.save({ ...this.settings.current, clientId: id })
    } catch (error) {
      await (oldSecret === null
        ? vault.delete(CLIENT_SECRET_KEY)
        : vault.set(CLIENT_SECRET_KEY, oldSecret)
      ).catch(() => undefined)
      throw error
    }
    // Accounts that were waiting for a client can check now.
    for (const waiting of [...this.monitors.values()].filter((m) => m.client === null)) {
      waiting.stop()
      this.startPolling(this.addMonitor(waiting.record, { clientId: id, clientSecret: secret }, waiting.demo))
    }
    this.changed()
    this.views.flush()
    return this.settingsView()
  }

  async getSeatHolders(accountId: AccountId): Promise<SeatHoldersAnswer> {
    const monitor = this.monitorOf(accountId)
    if (monitor.client === null) throw new SeatTrayError(monitor.problem ?? problem('invalid-client'))
    try {
      return await monitor.seatHolders.onDemand()
    } finally {
      this.changed()
      this.views.flush()
    }
  }

  seatHoldersLink({ accountId, holderId }: { accountId: AccountId; holderId?: string }): string {
    return this.monitorOf(accountId).seatHolders.link(holderId)
  }

  seatHoldersExport(accountId: AccountId): { csv: string; fileName: string } {
    const monitor = this.monitorOf(accountId)
    const view = monitor.seatHolders.current()
    if (!view) throw new Error('No list of seat holders to export yet: open who holds seats first.')
    return { csv: seatHoldersCsv(view), fileName: seatHoldersFileName(monitor.label(), this.clock.now()) }
  }

  async snooze(choice: SnoozeChoice | null): Promise<void> {
    this.alerts.snooze(choice === null ? null : snoozeUntil(choice, this.clock.now()))
    this.changed()
    this.views.flush()
  }

  // ── accounts ────────────────────────────────────────────────────────────

  /**
   * A new sign-in, or a sign-in again to an org we already watch (its old token is replaced and revoked). One
   * transaction: persist (token in the vault, settings saved), then switch the poller, then revoke the old token.
   * Should persisting fail, the old sign-in goes on as it was and the new token is given back to Zoho.
   */
  private async replaceAccount(
    record: AccountRecord,
    refreshToken: string,
    client: ZohoClient,
    demo: boolean,
    org: OrgInfo | null,
    grant?: TokenGrant,
  ): Promise<void> {
    const previous = this.monitors.get(record.id)
    const vault = this.deps.vault
    const key = Session.vaultKey(record.id)
    const oldToken = previous ? await vault.get(key).catch(() => null) : null
    try {
      await Session.store(vault, record.id, refreshToken)
    } catch (error) {
      // A token we cannot keep is of no use to anyone: Zoho gets it back, and the old one stays as it was.
      await this.giveBack(record.accountsServer, refreshToken, demo)
      throw error
    }
    if (!demo) {
      try {
        this.settings.putAccount(record)
      } catch (error) {
        await (oldToken === null ? vault.delete(key) : vault.set(key, oldToken)).catch(() => undefined)
        await this.giveBack(record.accountsServer, refreshToken, demo)
        throw error
      }
    }
    previous?.stop()
    if (oldToken && oldToken !== refreshToken) {
      // Every consent mints a refresh token and Zoho keeps only 20 per user: give the old one back.
      await this.giveBack(previous!.record.accountsServer, oldToken, demo)
    }
    const monitor = this.addMonitor(record, client, demo)
    // The sign-in just produced an access token: use it rather than spend one of Zoho's 10 per 10 minutes.
    monitor.adopt(grant, org)
    this.changed()
    this.startPolling(monitor)
  }

  /** Revokes a refresh token at Zoho, best effort: offline or refused, the person can still revoke it in Zoho. */
  private async giveBack(accountsServer: string, token: string, demo: boolean): Promise<void> {
    const http = { fetch: this.deps.fetch, clock: this.clock }
    await revokeToken(http, { accountsServer, token, hostPolicy: this.policyFor(demo) }).catch(
      () => undefined,
    )
  }

  private addMonitor(record: AccountRecord, client: ZohoClient | null, demo: boolean): AccountMonitor {
    const monitor = new AccountMonitor(record, client, demo, {
      fetch: this.deps.fetch,
      clock: this.clock,
      vault: this.deps.vault,
      log: this.history.forAccount(record.id),
      hostPolicy: this.policyFor(demo),
      settings: () => this.settings.current,
      ...(this.deps.random ? { random: this.deps.random } : {}),
      changed: () => this.changed(),
      checked: (m) => this.checked(m),
      renamed: (r) => this.settings.updateAccount(r),
    })
    this.monitors.set(record.id, monitor)
    return monitor
  }

  /** A check ended: alerts for the account if it is still the one watched (not signed out or replaced meanwhile). */
  private checked(monitor: AccountMonitor): void {
    if (this.monitors.get(monitor.id) !== monitor) return
    const view = monitor.view()
    const settings = this.settings.current
    this.alerts.announce(
      {
        accountId: monitor.id,
        label: view.label,
        latest: monitor.latest,
        problem: monitor.problem,
        lowAt: view.lowAt,
        org: monitor.org,
        renewalWarnDays: settings.renewalWarnDays,
        notify: settings.notify,
        reminderHours: settings.reminderHours,
      },
      (notice) => withSeatHoldersHint(notice, monitor.seatHolders.access),
    )
    this.changed()
  }

  // ── the weekly digest: Monday 09:00 local time, opt-in ──────────────────

  /**
   * Armed from wall time at each firing, so a clock change or a sleep moves at most one digest. Armed only while the
   * person wants the digest: no timer waits a week for nothing.
   */
  private armDigest(): void {
    if (this.digestTimer !== null) this.clock.clearTimeout(this.digestTimer)
    this.digestTimer = null
    if (this.stopped || !this.settings.current.notify.digest) return
    const now = this.clock.now()
    this.digestTimer = this.clock.setTimeout(() => {
      this.sendDigests()
      this.armDigest()
    }, nextDigestAt(now) - now)
  }

  private sendDigests(): void {
    const now = this.clock.now()
    if (!this.settings.current.notify.digest || this.alerts.snoozedUntil() !== null) return
    for (const monitor of this.monitors.values()) {
      this.deps.notifier.show(
        weeklyDigest({
          accountId: monitor.id,
          label: monitor.label(),
          points: this.history.forAccount(monitor.id).points(now - WEEK, now, 5000),
          access: monitor.seatHolders.access,
          org: monitor.org,
          now,
        }),
      )
    }
  }

  private startPolling(monitor: AccountMonitor): void {
    if (!this.stopped) monitor.start(this.paused)
  }

  /** The demo ends once a real org is watched, or when its account is signed out: its simulator closes. */
  private async endDemo(): Promise<void> {
    const monitor = this.monitors.get(DEMO_ACCOUNT_ID)
    if (monitor?.demo) {
      monitor.stop()
      this.monitors.delete(DEMO_ACCOUNT_ID)
      this.alerts.forget(DEMO_ACCOUNT_ID)
    }
    const sim = this.demoEndpoints
    this.demoEndpoints = null
    await sim?.close()
  }

  /**
   * The window names accounts by id, and the window is not trusted: an id the app does not watch is refused here,
   * before anything opens a history file for it (which would create the file and hold a descriptor per id).
   */
  private monitorOf(id: AccountId): AccountMonitor {
    const monitor = this.monitors.get(id)
    if (!monitor) throw new UnknownAccountError(id)
    return monitor
  }

  private async configuredClient(): Promise<ZohoClient | null> {
    if (this.deps.buildClient) return this.deps.buildClient
    const clientId = this.settings.current.clientId
    if (!clientId) return null
    const secret = await this.deps.vault.get(CLIENT_SECRET_KEY).catch(() => null)
    return secret ? { clientId, clientSecret: secret } : null
  }

  private clientConfigured(): boolean {
    return this.deps.buildClient !== null || this.settings.current.clientId !== null
  }

  private policyFor(demo: boolean): HostPolicy {
    return demo ? { allowLoopback: true } : this.deps.hostPolicy
  }

  /** Something visible may have changed; the views go out once at the end of this turn. */
  private changed(): void {
    this.views.changed()
  }

  private async settingsView(): Promise<SettingsView> {
    const { schemaVersion: _v, accounts: _a, ...rest } = this.settings.current
    const secret = await this.deps.vault.get(CLIENT_SECRET_KEY).catch(() => null)
    const vault = this.deps.vaultStatus?.() ?? { needsConsent: false, unavailableReason: null }
    return {
      ...rest,
      hasClientSecret: secret !== null,
      vaultBackend: this.deps.vault.backend,
      vaultNeedsConsent: vault.needsConsent,
      vaultUnavailableReason: vault.unavailableReason,
      redirectUri: this.redirectUri,
      clientConfigured: this.clientConfigured(),
    }
  }
}
