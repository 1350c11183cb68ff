/**
 * One watched org: its session (tokens), its poller (when to ask), its history, what Zoho last said about it (the
 * seats, the org, a problem) and its forecast. `check()` is one poll, by name: read the seats (and now and then the
 * org), record them, and tell the engine, which lets the alert desk and the views react.
 */
import type { AccountView, Forecast, OrgInfo, Snapshot } from '../../common/model'
import { needsPerson, type Problem, problem } from '../../common/problems'
import type { AccountRecord, Settings } from '../../common/settings'
import { resolveLowThreshold } from './alerts'
import { FORECAST_WINDOW_MS, forecast } from './forecast'
import type { HistoryLog } from './history'
import { callsPerDay, type PauseReason, Poller, type PollOutcome } from './poller'
import type { Clock, FetchLike, SecretVault } from './ports'
import { RENEWAL_LOOKBACK_MS, seatCost } from './seat-cost'
import { SeatHoldersTracker } from './seat-holders-tracker'
import { Session } from './session'
import { toProblem } from './to-problem'
import { accountTone, staleAfter } from './tray-model'
import { fetchOrg, fetchUserLicenses } from './zoho/crm'
import type { HostPolicy } from './zoho/datacenters'
import type { TokenGrant, ZohoClient } from './zoho/oauth'
import { fetchSeatHolderFacts } from './zoho/users'

export interface MonitorDeps {
  fetch: FetchLike
  clock: Clock
  vault: SecretVault
  log: HistoryLog
  /** Loopback (the simulator) only for the demo and tests. */
  hostPolicy: HostPolicy
  /** The settings in force, read at each use so a change applies from the next check. */
  settings: () => Settings
  random?: () => number
  /** Something visible about this account may have changed. */
  changed: () => void
  /** A check ended (with its outcome recorded on the monitor): time for alerts. */
  checked: (monitor: AccountMonitor) => void
  /** Zoho named the org differently from what was saved: keep the new name. */
  renamed: (record: AccountRecord) => void
}

const DAY = 24 * 60 * 60 * 1000
/** The org's name and renewal dates change rarely: ask at most this often. */
const ORG_REFRESH_MS = DAY

const CLIENT_LOST_MESSAGE =
  'Seat Tray no longer has the Zoho client secret (the keychain did not give it back). Enter the client ID and secret again in Settings.'

export class AccountMonitor {
  readonly session: Session
  readonly poller: Poller
  /** Who holds the seats: names in memory only, read on demand and at most daily otherwise. */
  readonly seatHolders: SeatHoldersTracker
  record: AccountRecord
  phase: AccountView['phase']
  latest: Snapshot | null
  org: OrgInfo | null = null
  problem: Problem | null
  forecast: Forecast
  private orgCheckedAt: number | null = null
  private lastAttemptAt: number | null = null
  private lastGoodAt: number | null
  /** When the poller last planned a check for: shown while that check runs (see view). */
  private plannedAt: number | null = null
  /** A person asked for this check: the window shows it running. The poller's own checks are silent. */
  private personAsked = false

  /** `client` null: set up while no Zoho client was; it asks Zoho nothing until one is (the engine replaces it). */
  constructor(
    record: AccountRecord,
    readonly client: ZohoClient | null,
    readonly demo: boolean,
    private readonly deps: MonitorDeps,
  ) {
    this.record = record
    this.session = new Session(
      { fetch: deps.fetch, clock: deps.clock, vault: deps.vault, hostPolicy: deps.hostPolicy },
      { id: record.id, accountsServer: record.accountsServer, apiDomain: record.apiDomain },
      client ?? { clientId: '', clientSecret: '' },
    )
    this.latest = deps.log.latest()
    this.lastGoodAt = this.latest?.at ?? null
    this.phase = this.latest ? 'ready' : 'first-poll'
    this.problem = client ? null : problem('invalid-client', { message: CLIENT_LOST_MESSAGE })
    this.forecast = this.forecastNow()
    this.seatHolders = this.seatHoldersTracker()
    this.poller = new Poller({
      clock: deps.clock,
      intervalMs: () => deps.settings().pollMinutes * 60_000,
      check: () => this.check(),
      ...(deps.random ? { random: deps.random } : {}),
      onSchedule: (at) => {
        if (at !== null) this.plannedAt = at
        deps.changed()
      },
    })
  }

  get id(): string {
    return this.record.id
  }

  start(paused: Iterable<PauseReason>): void {
    for (const reason of paused) this.poller.pause(reason)
    this.poller.start()
  }

  stop(): void {
    this.poller.stop()
  }

  /** The person asked: the check shows as running (a second ask joins the check under way). */
  refresh(): Promise<void> {
    this.personAsked = true
    return this.poller.refreshNow()
  }

  /** A sign-in just produced an access token and read the org: use both rather than ask Zoho again. */
  adopt(grant: TokenGrant | undefined, org: OrgInfo | null): void {
    if (grant) this.session.adopt(grant)
    if (org) {
      this.org = org
      this.orgCheckedAt = this.deps.clock.now()
    }
  }

  /** One poll: read the seats (and now and then the org), record them, then let alerts and views react. */
  async check(): Promise<PollOutcome> {
    if (this.client === null) return { ok: false, needsPerson: true, verdict: 'invalid-client' }
    const http = { fetch: this.deps.fetch, clock: this.deps.clock }
    const hostPolicy = this.deps.hostPolicy
    let outcome: PollOutcome
    try {
      const snapshot = await this.session.withToken((accessToken, apiDomain) =>
        fetchUserLicenses(http, { apiDomain, accessToken, hostPolicy }),
      )
      await this.refreshOrgIfDue()
      // Daily at most, with the new seats but before they are shown, so the state, the tray and "seats ran out"
      // (announced after this check) all tell the same moment, and that notice can say which invites hold seats.
      await this.seatHolders.refreshIfDue(snapshot)
      this.latest = snapshot
      this.lastGoodAt = snapshot.at
      this.problem = null
      this.phase = 'ready'
      if (this.deps.log.record(snapshot)) this.forecast = this.forecastNow()
      outcome = { ok: true }
    } catch (error) {
      const p = toProblem(error)
      this.problem = p
      outcome = { ok: false, retryAfterMs: p.retryAfterMs, needsPerson: needsPerson(p), verdict: p.kind }
    }
    this.lastAttemptAt = this.deps.clock.now()
    this.personAsked = false
    this.deps.checked(this)
    return outcome
  }

  /** What the window and the tray show of this account. */
  view(): AccountView {
    const settings = this.deps.settings()
    const lowAt = this.latest ? resolveLowThreshold(settings.lowThreshold, this.latest.purchased) : 0
    const base = {
      phase: this.phase,
      latest: this.latest,
      problem: this.problem,
      lowAt,
      lastGoodAt: this.lastGoodAt,
    }
    return {
      id: this.record.id,
      dataCenter: this.record.dataCenter,
      label: this.label(),
      ...base,
      org: this.org,
      lastAttemptAt: this.lastAttemptAt,
      // While a check runs the poller plans nothing; showing the time it was due keeps a quiet poll to one push.
      nextCheckAt: this.poller.nextAt ?? (this.poller.inFlight ? this.plannedAt : null),
      refreshing: this.poller.inFlight && this.personAsked,
      tone: accountTone(base, this.deps.clock.now(), staleAfter(settings.pollMinutes * 60_000)),
      forecast: this.forecast,
      callsPerDay: callsPerDay(settings.pollMinutes),
      seatHolders: this.seatHolders.access,
      seatCost:
        settings.seatPrice && this.latest ? seatCost(settings.seatPrice, this.latest.available) : null,
    }
  }

  label(): string {
    return (
      this.org?.name ??
      this.record.orgName ??
      (this.demo ? 'Demo Org' : `Zoho CRM (${this.record.dataCenter})`)
    )
  }

  private async refreshOrgIfDue(): Promise<void> {
    const now = this.deps.clock.now()
    if (this.orgCheckedAt !== null && now - this.orgCheckedAt < ORG_REFRESH_MS) return
    this.orgCheckedAt = now
    const http = { fetch: this.deps.fetch, clock: this.deps.clock }
    try {
      this.org = await this.session.withToken((accessToken, apiDomain) =>
        fetchOrg(http, { apiDomain, accessToken, hostPolicy: this.deps.hostPolicy }),
      )
      this.rememberOrgName()
    } catch {
      // The org name and renewal dates are extras: the seat count stands without them.
    }
  }

  private rememberOrgName(): void {
    const name = this.org?.name ?? null
    if (this.demo || !name || this.record.orgName === name) return
    const record = { ...this.record, orgName: name, orgId: this.org?.id ?? this.record.orgId }
    // Should the disk refuse, the name is still shown from `org` and saved at the next check.
    this.deps.renamed(record)
    this.record = record
  }

  private seatHoldersTracker(): SeatHoldersTracker {
    const http = { fetch: this.deps.fetch, clock: this.deps.clock }
    return new SeatHoldersTracker({
      accountId: this.record.id,
      clock: this.deps.clock,
      fetchFacts: () =>
        this.session.withToken((accessToken, apiDomain) =>
          fetchSeatHolderFacts(http, { apiDomain, accessToken, hostPolicy: this.deps.hostPolicy }),
        ),
      context: () => {
        const now = this.deps.clock.now()
        return {
          snapshot: this.latest,
          org: this.org,
          apiDomain: this.session.apiDomain,
          history: this.deps.log.points(now - RENEWAL_LOOKBACK_MS, now, 20_000),
          price: this.deps.settings().seatPrice,
        }
      },
    })
  }

  private forecastNow(): Forecast {
    const now = this.deps.clock.now()
    return forecast(this.deps.log.points(now - FORECAST_WINDOW_MS, now, 2000), now)
  }
}
