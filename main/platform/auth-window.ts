/**
 * Zoho's sign-in page in a Seat Tray window: the AuthBrowser the app uses by default. The window runs in its own
 * throw-away session (cookies and storage vanish with it), sandboxed, with no preload and no popups, and may only show
 * Zoho accounts pages (and the simulator's, in demo mode and tests). The redirect is captured before it loads, so
 * nothing ever answers on the redirect URI in this path. What is allowed is decided by core/sign-in-navigation.ts.
 */
import { randomUUID } from 'node:crypto'
import { BrowserWindow, type Session, session } from 'electron'
import { problem } from '../../common/problems'
import { SeatTrayError } from '../core/errors'
import { type AuthBrowser, type AuthRequest, type Clock, systemClock, type TimerHandle } from '../core/ports'
import { SIGN_IN_TIMEOUT_MS, signInNavigation } from '../core/sign-in-navigation'
import { allowNavigation } from './security'

export interface AuthWindowOptions {
  /** The Seat Tray window, so the sign-in window stays above it. */
  parent?: BrowserWindow
  timeoutMs?: number
  clock?: Clock
}

/** Chromium's "the navigation was aborted" (ERR_ABORTED): a page replaced by the next one, not a failure. */
const ERR_ABORTED = -3

export class AuthWindowBrowser implements AuthBrowser {
  /** One sign-in window at a time: a new sign-in cancels the one still open. */
  private running: { cancel(): void } | null = null

  constructor(private readonly options: AuthWindowOptions) {}

  /** Which pages the window may show is the sign-in's own `hostPolicy`, never one shared between sign-ins. */
  authorize(request: AuthRequest): Promise<string> {
    this.running?.cancel()
    return new Promise<string>((resolve, reject) => {
      const attempt = openSignInWindow(request, this.options, {
        resolve,
        reject,
        done: () => {
          if (this.running === attempt) this.running = null
        },
      })
      this.running = attempt
    })
  }
}

interface Outcome {
  resolve(redirect: string): void
  reject(error: SeatTrayError): void
  done(): void
}

function openSignInWindow(
  request: AuthRequest,
  options: AuthWindowOptions,
  outcome: Outcome,
): { cancel(): void } {
  const { url, redirectUri, signal, hostPolicy } = request
  const clock = options.clock ?? systemClock
  let settled = false
  let timer: TimerHandle | undefined
  let win: BrowserWindow | undefined
  let ses: Session | undefined

  const finish = (settle: () => void) => {
    if (settled) return
    settled = true
    if (timer !== undefined) clock.clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
    ses?.webRequest.onBeforeRequest(null)
    if (win && !win.isDestroyed()) win.destroy()
    ses?.clearStorageData().catch(() => undefined)
    settle()
    outcome.done()
  }
  const succeed = (redirect: string) => finish(() => outcome.resolve(redirect))
  const fail = (error: SeatTrayError) => finish(() => outcome.reject(error))
  const onAbort = () => fail(new SeatTrayError(problem('sign-in-cancelled')))
  const cancel = onAbort

  /** One rule for every top-level navigation, whichever event reports it. Returns whether to stop it. */
  const decide = (target: string): boolean => {
    const verdict = signInNavigation(target, redirectUri, hostPolicy)
    if (verdict.kind === 'allow') return false
    // Settle on the next turn, so the event that asked can stop the navigation before the window goes away.
    queueMicrotask(() => (verdict.kind === 'redirect' ? succeed(target) : fail(untrusted(verdict.origin))))
    return true
  }

  if (signal.aborted) {
    onAbort()
    return { cancel }
  }
  // Never open a window on a first page that is not Zoho's.
  const first = signInNavigation(url, redirectUri, hostPolicy)
  if (first.kind !== 'allow') {
    fail(first.kind === 'block' ? untrusted(first.origin) : new SeatTrayError(problem('sign-in-failed')))
    return { cancel }
  }
  signal.addEventListener('abort', onAbort, { once: true })

  // No `persist:` prefix: an in-memory session that no other window shares and nothing writes to disk.
  ses = session.fromPartition(`oauth-${randomUUID()}`, { cache: false })
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  // The redirect is caught here, before any request leaves, so the code never reaches a page or a server.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const stop = details.resourceType === 'mainFrame' && decide(details.url)
    callback(stop ? { cancel: true } : {})
  })

  win = new BrowserWindow({
    width: 520,
    height: 720,
    title: 'Sign in to Zoho – Seat Tray',
    autoHideMenuBar: true,
    ...(options.parent ? { parent: options.parent } : {}),
    webPreferences: {
      session: ses,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      // A middle click must not open links in a new window either (electronegativity's AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  const contents = win.webContents
  // The app-wide guard (security.ts) blocks every navigation a window has not allowed: Zoho's sign-in moves
  // between its own pages, so allow exactly what the sign-in rules allow; the handlers below catch the rest.
  allowNavigation(contents, (target) => signInNavigation(target, redirectUri, hostPolicy).kind === 'allow')
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (event) => {
    if (decide(event.url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (event.isMainFrame && decide(event.url)) event.preventDefault()
  })
  contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return
    fail(pageDidNotLoad(errorCode, errorDescription, validatedURL))
  })
  win.on('closed', () => fail(new SeatTrayError(problem('sign-in-cancelled'))))

  const timeoutMs = options.timeoutMs ?? SIGN_IN_TIMEOUT_MS
  timer = clock.setTimeout(
    () =>
      fail(
        new SeatTrayError(
          problem('sign-in-failed', {
            detail: `Sign-in was not finished within ${Math.round(timeoutMs / 60_000)} minutes.`,
          }),
        ),
      ),
    timeoutMs,
  )
  // A failed load is explained by did-fail-load; the promise's own rejection carries nothing more.
  win.loadURL(url).catch(() => undefined)
  return { cancel }
}

function untrusted(origin: string): SeatTrayError {
  return new SeatTrayError(
    problem('untrusted-host', {
      detail: `${origin} is not a Zoho sign-in page. If your company signs in through another provider, choose “Sign in with the browser”.`,
    }),
  )
}

/** Chromium's net error codes, in words a person can act on. */
function pageDidNotLoad(code: number, description: string, url: string): SeatTrayError {
  const origin = safeOrigin(url)
  const why =
    code === -105 || code === -137
      ? `the address of ${origin} could not be found`
      : code === -106
        ? 'this computer is offline'
        : code <= -200 && code > -300
          ? `the connection to ${origin} is not secure (its certificate was refused)`
          : code === -7 || code === -118
            ? `${origin} took too long to answer`
            : `${origin} could not be reached`
  return new SeatTrayError(
    problem('sign-in-failed', {
      detail: `Zoho’s sign-in page did not load: ${why} (${description}, ${code}).`,
    }),
  )
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return 'the sign-in page'
  }
}
