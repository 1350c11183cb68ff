/**
 * One account's seat holders over time: fetched when the person opens the seat holders view, and otherwise at most
 * once a day (after a good check), plus once when the seats run out: that is when "2 invites never accepted hold
 * seats" is worth saying, and a day-old count would be wrong then. The run-out look is taken at most once until the
 * next daily one, so seats that flicker between 0 and 1 cannot turn it into a stream of requests. Names and emails stay in this object's memory: it writes nothing anywhere, and
 * what it offers the account view (`access`) carries counts only.
 *
 * A sign-in without ZohoCRM.users.READ is not an error: Zoho's OAUTH_SCOPE_MISMATCH turns into the offer of a new
 * consent, and the users calls are not made again with that sign-in (its scopes cannot change; a new sign-in makes
 * a new tracker). Every other failure leaves the last list as it was; the daily fetch waits for the next day.
 */
import type {
  AccountId,
  HistoryPoint,
  OrgInfo,
  SeatHoldersAccess,
  SeatHoldersAnswer,
  SeatHoldersView,
  SeatPrice,
  Snapshot,
} from '../../common/model'
import { SeatTrayError } from './errors'
import type { Clock } from './ports'
import {
  buildSeatHolders,
  SEAT_HOLDERS_REFRESH_MS,
  type SeatHoldersInput,
  seatHoldersAccess,
  USERS_CONSENT_OFFER,
} from './seat-holders'
import { type SeatHolderFacts, zohoUsersPage } from './zoho/users'

/** Opening the view again within this long shows the list just read rather than asking Zoho again. */
export const ON_DEMAND_REUSE_MS = 5 * 60_000

export interface SeatHoldersContext {
  snapshot: Snapshot | null
  org: OrgInfo | null
  apiDomain: string
  /** The last 90 days of history, oldest first. */
  history: HistoryPoint[]
  price: SeatPrice | null
}

export interface SeatHoldersTrackerDeps {
  accountId: AccountId
  clock: Clock
  /** Asks Zoho (with the account's session): the users list and counts. */
  fetchFacts: () => Promise<SeatHolderFacts>
  context: () => SeatHoldersContext
}

export class SeatHoldersTracker {
  /** What the account view shows; counts only. */
  access: SeatHoldersAccess = { kind: 'not-yet' }
  private view: SeatHoldersView | null = null
  /** What the view was built from, so a list reused within minutes is priced at the seat price in force now. */
  private input: SeatHoldersInput | null = null
  /** Monotonic time of the last attempt, so a clock set forward does not trigger a fetch, nor back delay one. */
  private attemptedAt: number | null = null
  private fetchedAt: number | null = null
  /** Free seats when the list was last read: a run-out since then is worth one more look. */
  private availableAtFetch: number | null = null
  private inFlight: Promise<SeatHoldersAnswer> | null = null

  constructor(private readonly deps: SeatHoldersTrackerDeps) {}

  /**
   * The daily look (or the run-out one), after a good check. Never throws: seat holders are extras, the seat count
   * stands without them.
   */
  async refreshIfDue(snapshot: Snapshot): Promise<void> {
    if (this.access.kind === 'consent-needed') return
    const now = this.deps.clock.monotonicNow()
    const daily = this.attemptedAt === null || now - this.attemptedAt >= SEAT_HOLDERS_REFRESH_MS
    const ranOut = snapshot.available <= 0 && (this.availableAtFetch ?? 0) > 0
    if (!daily && !ranOut) return
    await this.load(snapshot).catch(() => undefined)
  }

  /** The person opened the seat holders view: read Zoho now, unless the list is only minutes old. */
  async onDemand(): Promise<SeatHoldersAnswer> {
    if (this.access.kind === 'consent-needed') return consentNeeded()
    const now = this.deps.clock.monotonicNow()
    if (this.view && this.fetchedAt !== null && now - this.fetchedAt < ON_DEMAND_REUSE_MS) {
      return { kind: 'holders', view: this.reprice() }
    }
    return this.load(this.deps.context().snapshot)
  }

  /**
   * The list in memory, priced as settings stand now, with no request to Zoho (what "Export list…" saves);
   * null when none was read or the sign-in may not read it.
   */
  current(): SeatHoldersView | null {
    return this.view ? this.reprice() : null
  }

  /** The person may have set or cleared the seat price since the list was read: cost and renewal follow it. */
  private reprice(): SeatHoldersView {
    if (!this.input || !this.view) throw new Error('No seat holders list has been read yet.')
    const { price, history } = this.deps.context()
    this.view = buildSeatHolders({ ...this.input, price, history })
    return this.view
  }

  /**
   * Where in Zoho CRM to free a seat: a listed user's page, or else the org's Users page. Built here from what Zoho
   * said, never from what the window sends, so a forged id only ever lands on the Users page.
   */
  link(holderId?: string): string {
    const holder = holderId ? this.view?.holders.find((h) => h.id === holderId) : undefined
    if (holder) return holder.zohoUrl
    const { apiDomain, org } = this.deps.context()
    return this.view?.usersPageUrl ?? zohoUsersPage(apiDomain, org?.crmDomain)
  }

  /** One fetch at a time: a view opened during the daily fetch waits for it instead of asking twice. */
  private load(snapshot: Snapshot | null): Promise<SeatHoldersAnswer> {
    this.inFlight ??= this.fetch(snapshot).finally(() => {
      this.inFlight = null
    })
    return this.inFlight
  }

  /** `snapshot`: the seat reading to compare the counts with (a check's new one, not yet shown). */
  private async fetch(snapshot: Snapshot | null): Promise<SeatHoldersAnswer> {
    this.attemptedAt = this.deps.clock.monotonicNow()
    // Set on every attempt, so a failed run-out look is not retried at each check either.
    this.availableAtFetch = snapshot?.available ?? null
    let facts: SeatHolderFacts
    try {
      facts = await this.deps.fetchFacts()
    } catch (error) {
      if (error instanceof SeatTrayError && error.problem.kind === 'scope-missing') {
        this.view = null
        this.input = null
        this.access = { kind: 'consent-needed', offer: USERS_CONSENT_OFFER }
        return consentNeeded()
      }
      throw error
    }
    const context = this.deps.context()
    this.input = {
      accountId: this.deps.accountId,
      facts,
      snapshot,
      org: context.org,
      apiDomain: context.apiDomain,
      now: this.deps.clock.now(),
      history: context.history,
      price: context.price,
    }
    const view = buildSeatHolders(this.input)
    this.view = view
    this.fetchedAt = this.deps.clock.monotonicNow()
    this.access = seatHoldersAccess(view)
    return { kind: 'holders', view }
  }
}

function consentNeeded(): SeatHoldersAnswer {
  return { kind: 'consent-needed', offer: USERS_CONSENT_OFFER }
}
