/**
 * THE contract between the main process and the window. Both sides import their types from here:
 * main/platform/ipc.ts registers exactly these channels, preload/index.ts exposes exactly `SeatsApi`,
 * and the renderer's tests implement `SeatsApi` so they cannot drift from the real thing.
 *
 * `SeatsApi` is the engine's commands (`SeatCommands`, which main/core/app.ts implements) plus what only the
 * platform can do for a window (`WindowExtras`).
 */
import type {
  AccountId,
  AppState,
  DataCenterId,
  HistoryRange,
  HistorySeries,
  SeatHoldersAnswer,
} from './model'
import type { NotificationSettings, Settings } from './settings'

export type Unsubscribe = () => void

/** Which mechanism protects the refresh tokens, shown in settings. */
export type VaultBackend = 'keychain' | 'safe-storage' | 'safe-storage-basic-text' | 'memory'

/** Settings as the window sees them: no secrets, plus facts it cannot know itself. */
export interface SettingsView extends Omit<Settings, 'schemaVersion' | 'accounts'> {
  /** Whether a client secret is stored (never the secret). */
  hasClientSecret: boolean
  /** Which mechanism protects tokens: keychain, safeStorage, … */
  vaultBackend: VaultBackend
  /**
   * No keychain is available and safeStorage only offers `basic_text` (a fixed key): secrets are held in memory
   * only until the person accepts that file (`acceptPlainTextSecrets`).
   */
  vaultNeedsConsent: boolean
  /** Why the keychain is not used, in plain words; null when it is. */
  vaultUnavailableReason: string | null
  /** The redirect URI an admin registers in Zoho's API console. */
  redirectUri: string
  /** Whether a Zoho client is configured at build time or by the admin (else only the demo is possible). */
  clientConfigured: boolean
}

export type SettingsPatch = Partial<
  Pick<
    Settings,
    | 'pollMinutes'
    | 'lowThreshold'
    | 'renewalWarnDays'
    | 'reminderHours'
    | 'launchAtLogin'
    | 'acceptPlainTextSecrets'
    | 'autoUpdate'
    | 'historyRetentionDays'
    | 'seatPrice'
    | 'trayIcon'
  > & { notify: Partial<NotificationSettings> }
>

export interface SignInRequest {
  dataCenter: DataCenterId
  /** 'window': Zoho's page in a Seat Tray window; 'browser': the system browser (for SSO that refuses embedded windows). */
  via: 'window' | 'browser'
}

/** Named links only: the window never hands main an arbitrary URL to open. */
export type HelpLink =
  | 'zoho-api-console'
  | 'zoho-scopes-help'
  | 'seat-tray-help'
  | 'zoho-crm-users'
  /** Zoho's steps for buying more user licenses (Manage Subscription › Upgrade Users). */
  | 'zoho-buy-seats'

/** An office proxy asks for a username and password (Basic/Digest): main asks the person through the window. */
export interface ProxyAuthRequest {
  /** Names this question; the answer carries it back. */
  id: string
  host: string
  port: number
  realm: string
  scheme: string
  /** The proxy refused the username and password it was just given. */
  retry: boolean
}

/** The person's answer. The password crosses IPC this once, window → main, and never comes back. */
export type ProxyAuthAnswer =
  | { id: string; cancel: true }
  | { id: string; username: string; password: string; remember: boolean }

/** What the engine does when asked: the window's commands, which the tray and tests send too. */
export interface SeatCommands {
  /** Check now; coalesces with a check in flight. No account = every account. */
  refresh(accountId?: AccountId): Promise<void>
  signIn(request: SignInRequest): Promise<void>
  cancelSignIn(): Promise<void>
  signOut(accountId: AccountId): Promise<void>
  startDemo(): Promise<void>

  getHistory(query: { accountId: AccountId; range: HistoryRange; maxPoints?: number }): Promise<HistorySeries>

  getSettings(): Promise<SettingsView>
  updateSettings(patch: SettingsPatch): Promise<SettingsView>
  /** Store an org's own Zoho client; the secret goes to the keychain and never comes back. */
  setClient(client: { clientId: string; clientSecret: string }): Promise<SettingsView>
  /** Quiet notifications for an hour or until tomorrow morning (the engine picks the time); null ends the snooze. */
  snooze(choice: SnoozeChoice | null): Promise<void>

  // Seat holders (issue 11): who holds the seats, read from Zoho when the person opens the seat holders view (a
  // list only minutes old is reused). A sign-in without ZohoCRM.users.READ answers `consent-needed`, not an error.
  getSeatHolders(accountId: AccountId): Promise<SeatHoldersAnswer>
}

/** What the About view shows. */
export interface AboutInfo {
  version: string
  electron: string | null
  chromium: string | null
  node: string
  os: string
  /** The data centers of the accounts being watched, in order. */
  dataCenters: DataCenterId[]
  dataFolder: string
  logFile: string | null
}

/** The window's update line and its "Restart now" button. */
export interface UpdateLine {
  /** One sentence ("Seat Tray 0.2.0 is ready: …"), or null when there is nothing to say. */
  line: string | null
  canRestart: boolean
}

/** What an export did: saved where the person chose, cancelled (nothing saved, nothing wrong), or refused. */
export interface ExportOutcome {
  saved: boolean
  path?: string
  /** Why nothing was saved, in plain words naming the disk's trouble ("the disk is full"); absent on a cancel. */
  problem?: string
}

/** What the desktop app does for the window beyond the engine: About, diagnostics, updates, quitting. */
export interface DesktopApi {
  getAbout(): Promise<AboutInfo>
  /** Puts the plain-text diagnostics report (no secrets) on the clipboard; resolves with its length. */
  copyDiagnostics(): Promise<{ characters: number }>
  getUpdate(): Promise<UpdateLine>
  /** Quits and installs a downloaded update; does nothing when none is ready. */
  restartToUpdate(): Promise<void>
  onUpdate(listener: (update: UpdateLine) => void): Unsubscribe
  /** Quits Seat Tray (from About; the tray menu has its own Quit). */
  quit(): Promise<void>
}

/**
 * Where main opens the window: an account (its overview, or who holds its seats), or Settings, or Settings › About.
 * The one way main points the window somewhere; the window's shell (renderer/src/app.ts) routes it.
 */
export type WindowDestination =
  | { accountId: AccountId; view?: 'seat-holders' }
  | { view: 'settings' | 'about' }

/** What only the platform can do for a window: push to it, save dialogs, links, the office proxy's sign-in. */
export interface WindowExtras extends DesktopApi {
  getState(): Promise<AppState>
  /** Called with every new state; returns a function that stops the calls. */
  onState(listener: (state: AppState) => void): Unsubscribe
  /** Main asks the window to show a place (a notification or a tray menu item was clicked). */
  onShow(listener: (to: WindowDestination) => void): Unsubscribe

  /** Main asks where to save (a native dialog) and writes the CSV; resolves with what happened. */
  exportCsv(query: { accountId: AccountId; range: HistoryRange }): Promise<ExportOutcome>

  openLink(link: HelpLink): Promise<void>

  /** Main asks for the office proxy's username and password. */
  onProxyAuth(listener: (request: ProxyAuthRequest) => void): Unsubscribe
  answerProxyAuth(answer: ProxyAuthAnswer): Promise<void>

  /**
   * Seat holders (issue 11): opens the org's Users page in Zoho CRM, or one listed user's page. The window names
   * the account and the user; main builds the address from what Zoho said.
   */
  openSeatHolderPage(target: { accountId: AccountId; holderId?: string }): Promise<void>
  /**
   * Seat holders (issue 11): "Export list…". Main builds the CSV from the list it holds in memory (the window sends
   * only the account), asks where to save (a native dialog) and writes it: the one way names and emails reach a disk.
   */
  exportSeatHolders(accountId: AccountId): Promise<ExportOutcome>
}

/** Everything the window can ask for, through the preload: exactly `window.seats`. */
export interface SeatsApi extends SeatCommands, WindowExtras {}

/**
 * The IPC channels behind SeatsApi: `invoke` channels map a method to its request and reply;
 * `push` channels carry main → window events. One map, so both sides and the tests agree.
 */
export const INVOKE_CHANNELS = {
  getState: 'seats:get-state',
  refresh: 'seats:refresh',
  signIn: 'seats:sign-in',
  cancelSignIn: 'seats:cancel-sign-in',
  signOut: 'seats:sign-out',
  startDemo: 'seats:start-demo',
  getHistory: 'seats:get-history',
  exportCsv: 'seats:export-csv',
  getSettings: 'seats:get-settings',
  updateSettings: 'seats:update-settings',
  setClient: 'seats:set-client',
  snooze: 'seats:snooze',
  openLink: 'seats:open-link',
  answerProxyAuth: 'seats:answer-proxy-auth',
  getSeatHolders: 'seats:get-seat-holders',
  openSeatHolderPage: 'seats:open-seat-holder-page',
  exportSeatHolders: 'seats:export-seat-holders',
  getAbout: 'seats:get-about',
  copyDiagnostics: 'seats:copy-diagnostics',
  getUpdate: 'seats:get-update',
  restartToUpdate: 'seats:restart-to-update',
  quit: 'seats:quit',
} as const satisfies Record<Exclude<keyof SeatsApi, PushMethod>, string>

export const PUSH_CHANNELS = {
  onState: 'seats:state',
  onShow: 'seats:show',
  onProxyAuth: 'seats:proxy-auth',
  onUpdate: 'seats:update',
} as const satisfies Record<PushMethod, string>

type PushMethod = 'onState' | 'onShow' | 'onProxyAuth' | 'onUpdate'

export type InvokeMethod = keyof typeof INVOKE_CHANNELS
export type InvokeArgs<M extends InvokeMethod> = Parameters<SeatsApi[M]>
export type InvokeResult<M extends InvokeMethod> = Awaited<ReturnType<SeatsApi[M]>>

/** How long a snooze lasts; core/snooze.ts turns a choice into a time. */
export type SnoozeChoice = 'hour' | 'tomorrow'
/** "Until tomorrow" means until the working day starts again: 08:00 local time, in the tray and the window alike. */
export const SNOOZE_MORNING_HOUR = 8
