/**
 * What the window's shell (app.ts) gives each panel, and what a panel gives back. Its own room, so the panels and
 * the shell that shows them do not import each other.
 */
import type { SeatsApi, SettingsView, SignInRequest } from '../../common/contract'
import type { AccountId, AccountView, AppState, HistoryRange } from '../../common/model'

/**
 * The window's views. `seat-holders` (issue 11) is where "Free a seat" in the out and low states leads: a step on
 * from the overview, not a section of its own (no tab; Overview stays chosen).
 */
export type ViewName = 'overview' | 'history' | 'settings' | 'seat-holders'

/** What every panel can read and ask for. */
export interface Ctx {
  readonly seats: SeatsApi
  readonly state: AppState
  readonly settings: SettingsView
  /** The account on screen, or null when none is signed in. */
  readonly account: AccountView | null
  readonly range: HistoryRange
  /**
   * True for the window's first frame only: panels show their numbers and leave what needs Intl's date and number
   * formatters (30–70 ms to build in a fresh window) to the update that follows once that frame is on screen.
   */
  readonly numbersOnly: boolean
  now(): number
  refresh(accountId: AccountId): Promise<void>
  isRefreshing(accountId: AccountId): boolean
  refreshNote(accountId: AccountId): string | null
  /** Run the one action that fixes the account's problem. */
  fix(account: AccountView): void
  signIn(request: SignInRequest): Promise<void>
  go(view: ViewName, focusId?: string): void
  setRange(range: HistoryRange): void
  setSettings(settings: SettingsView): void
  announce(text: string): void
}

export interface Panel {
  readonly element: HTMLElement
  /** The state or settings changed: bring the panel up to date without losing what the person is doing. */
  update(): void
  destroy?(): void
}
