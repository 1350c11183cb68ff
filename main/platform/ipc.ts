/**
 * The main side of common/contract.ts: one handler per INVOKE_CHANNELS entry, nothing more. Every call is checked
 * twice before it reaches the app: the sender must be our window showing our page (checklist item 17), and the
 * payload must match its channel's schema (the window is trusted to be ours, not to be bug-free or unhijacked).
 *
 * No runtime electron import: ipcMain and the windows are handed in, so this is tested in plain Node.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { z } from 'zod'
import {
  type HelpLink,
  INVOKE_CHANNELS,
  type InvokeArgs,
  type InvokeMethod,
  type InvokeResult,
  type ProxyAuthRequest,
  PUSH_CHANNELS,
  type UpdateLine,
  type WindowDestination,
} from '../../common/contract'
import type { AppState, DataCenterId } from '../../common/model'
import { settingsPatchSchema } from '../core/settings'
import { DATA_CENTERS } from '../core/zoho/datacenters'
import { isAppUrl } from './app-url'

/** What answers the window: the app controller plus the two commands only main can do (save dialog, browser). */
export type SeatsBackend = { [M in InvokeMethod]: (...args: InvokeArgs<M>) => Promise<InvokeResult<M>> }

/** Which senders are ours: the windows we created, showing our pages. */
export interface SenderTrust {
  webContentsIds: ReadonlySet<number>
  /** electron-vite's dev server, when main runs under `electron-vite dev`. */
  devServer?: string
}

/** Registers exactly the contract's channels. Returns a function that removes them (for a clean quit and tests). */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: SeatsBackend,
  trust: SenderTrust,
) {
  const handlers = createInvokeHandlers(backend, trust)
  for (const method of INVOKE_METHODS) ipcMain.handle(INVOKE_CHANNELS[method], handlers[method])
  return () => {
    for (const method of INVOKE_METHODS) ipcMain.removeHandler(INVOKE_CHANNELS[method])
  }
}

export type InvokeHandler = (event: SenderEvent, ...args: unknown[]) => Promise<unknown>
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>

/** One handler per method: sender check, payload check, then the backend. */
export function createInvokeHandlers(
  backend: SeatsBackend,
  trust: SenderTrust,
): Record<InvokeMethod, InvokeHandler> {
  const entries = INVOKE_METHODS.map((method) => {
    const handler: InvokeHandler = async (event, ...args) => {
      if (!isTrustedSender(event, trust))
        throw new Error(`Refused ${method}: the request did not come from Seat Tray's window.`)
      const parsed = PAYLOAD_SCHEMAS[method].safeParse(args)
      if (!parsed.success) throw new Error(`Refused ${method}: ${z.prettifyError(parsed.error)}`)
      const call = backend[method] as (...a: unknown[]) => Promise<unknown>
      return call(...(parsed.data as unknown[]))
    }
    return [method, handler] as const
  })
  return Object.fromEntries(entries) as Record<InvokeMethod, InvokeHandler>
}

/**
 * Ours = a webContents we created, its main frame (not an iframe a page smuggled in), and showing our own page
 * (not something it was navigated to).
 */
export function isTrustedSender(event: SenderEvent, trust: SenderTrust): boolean {
  const frame = event.senderFrame
  if (!frame || !trust.webContentsIds.has(event.sender.id)) return false
  if (frame !== event.sender.mainFrame) return false
  return isAppUrl(frame.url, trust.devServer)
}

/** Main → window pushes. Quietly skips a window that is gone (closed between the state change and the push). */
export function pushState(contents: WebContents | null, state: AppState): void {
  if (contents && !contents.isDestroyed()) contents.send(PUSH_CHANNELS.onState, state)
}

export function pushShow(contents: WebContents | null, to: WindowDestination): void {
  if (contents && !contents.isDestroyed()) contents.send(PUSH_CHANNELS.onShow, to)
}

/** The question only: the window answers with the password, main never sends one back. */
export function pushProxyAuth(contents: WebContents | null, request: ProxyAuthRequest): void {
  if (contents && !contents.isDestroyed()) contents.send(PUSH_CHANNELS.onProxyAuth, request)
}

// ---- payload schemas: one tuple per channel, the arguments as the preload passes them ----------------------

const INVOKE_METHODS = Object.keys(INVOKE_CHANNELS) as InvokeMethod[]

const accountId = z.string().min(1).max(200)
const range = z.enum(['24h', '7d', '30d', '1y'])
const dataCenterId = z.enum(DATA_CENTERS.map((d) => d.id) as [DataCenterId, ...DataCenterId[]])
const helpLinks = {
  'zoho-api-console': 0,
  'zoho-scopes-help': 0,
  'seat-tray-help': 0,
  'zoho-crm-users': 0,
  'zoho-buy-seats': 0,
} satisfies Record<HelpLink, 0>
const proxyQuestionId = z.string().min(1).max(100)
const proxyAuthAnswer = z.union([
  z.strictObject({ id: proxyQuestionId, cancel: z.literal(true) }),
  z.strictObject({
    id: proxyQuestionId,
    // Basic auth cannot carry a colon in the username; a proxy username is never this long.
    username: z
      .string()
      .min(1)
      .max(256)
      .regex(/^[^:\r\n]*$/),
    password: z.string().max(1024),
    remember: z.boolean(),
  }),
])

/** Exported for the tests. Strict objects: an unknown key is a bug or an attack, never silently dropped. */
export const PAYLOAD_SCHEMAS = {
  getState: z.tuple([]),
  refresh: z.tuple([accountId.optional()]),
  signIn: z.tuple([z.strictObject({ dataCenter: dataCenterId, via: z.enum(['window', 'browser']) })]),
  cancelSignIn: z.tuple([]),
  signOut: z.tuple([accountId]),
  startDemo: z.tuple([]),
  getHistory: z.tuple([
    z.strictObject({ accountId, range, maxPoints: z.number().int().min(2).max(10_000).optional() }),
  ]),
  exportCsv: z.tuple([z.strictObject({ accountId, range })]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsPatchSchema]),
  setClient: z.tuple([
    z.strictObject({
      clientId: z.string().trim().min(1).max(200),
      clientSecret: z.string().trim().min(1).max(500),
    }),
  ]),
  snooze: z.tuple([z.enum(['hour', 'tomorrow']).nullable()]),
  openLink: z.tuple([z.enum(Object.keys(helpLinks) as [HelpLink, ...HelpLink[]])]),
  answerProxyAuth: z.tuple([proxyAuthAnswer]),
  // Seat holders (issue 11): an account id, nothing else.
  getSeatHolders: z.tuple([accountId]),
  openSeatHolderPage: z.tuple([
    z.strictObject({
      accountId,
      holderId: z
        .string()
        .regex(/^\d{1,30}$/)
        .optional(),
    }),
  ]),
  // The account only: main writes the list it read itself, never rows or a path from the window.
  exportSeatHolders: z.tuple([accountId]),
  // About, diagnostics, updates and quitting take no argument.
  getAbout: z.tuple([]),
  copyDiagnostics: z.tuple([]),
  getUpdate: z.tuple([]),
  restartToUpdate: z.tuple([]),
  quit: z.tuple([]),
} satisfies { [M in InvokeMethod]: z.ZodType<InvokeArgs<M>> }

/** What desktop-services answers for the window: About, diagnostics, updates (quitting is the wiring's). */
export type DesktopBackend = Pick<
  SeatsBackend,
  'getAbout' | 'copyDiagnostics' | 'getUpdate' | 'restartToUpdate'
>

export function pushUpdate(contents: WebContents | null, update: UpdateLine): void {
  if (contents && !contents.isDestroyed()) contents.send(PUSH_CHANNELS.onUpdate, update)
}
