/**
 * Receiving the sign-in redirect from the system browser: a node:http listener on the fixed loopback redirect URI
 * (core/zoho/redirect.ts), bound to 127.0.0.1 only, that answers exactly one request on the redirect path with a
 * "you can close this tab" page and then closes. Only the redirect of this sign-in counts: its `state`, sent to the
 * listener's own address. Any other local program (or a web page rebinding a name to 127.0.0.1) gets a 400, and the
 * listener keeps waiting, so a stray request can neither end the sign-in nor slip a code of its own into it. Plain Node, so it runs in the app, the CLI and the tests alike.
 */
import { createServer, type Server, type ServerResponse } from 'node:http'
import { problem } from '../../common/problems'
import { SeatTrayError } from './errors'
import { type Clock, systemClock, type TimerHandle } from './ports'
import { isRedirectTo, SIGN_IN_TIMEOUT_MS } from './sign-in-navigation'
import { REDIRECT_URI } from './zoho/redirect'

export interface SystemBrowserSignIn {
  /** Zoho's authorization URL. */
  url: string
  redirectUri?: string
  /** Shows `url` to the person: shell.openExternal (through platform/external.ts) in the app, a fetch in tests. */
  open(url: string): Promise<void>
  signal?: AbortSignal
  timeoutMs?: number
  clock?: Clock
}

/**
 * Listens first, then opens the browser, and resolves with the full redirect URL. A taken port is reported before
 * any browser opens. Rejects with SeatTrayError: 'sign-in-cancelled' on abort, 'sign-in-failed' on a taken port,
 * a failed `open` or the timeout. The listener is closed in every case.
 */
export async function signInWithSystemBrowser(o: SystemBrowserSignIn): Promise<string> {
  const listener = await listenForRedirect({ ...o, state: stateOf(o.url) })
  try {
    await o.open(o.url)
  } catch (error) {
    listener.close()
    throw new SeatTrayError(
      problem('sign-in-failed', { detail: `The browser could not be opened (${message(error)}).` }),
    )
  }
  return listener.redirect
}

export interface RedirectListener {
  /** The full redirect URL of the first request on the redirect path. */
  redirect: Promise<string>
  /** Stops listening; a pending `redirect` rejects as cancelled. Safe to call twice. */
  close(): void
}

export interface ListenOptions {
  /** The `state` this sign-in sent Zoho: only a redirect carrying it back is answered. */
  state: string
  redirectUri?: string
  signal?: AbortSignal
  timeoutMs?: number
  clock?: Clock
}

/** Resolves once the listener is bound (so the caller may open the browser); rejects if it cannot bind. */
export async function listenForRedirect(o: ListenOptions): Promise<RedirectListener> {
  const redirectUri = o.redirectUri ?? REDIRECT_URI
  const { host, port } = loopbackAddress(redirectUri)
  // What a browser following the redirect sends as Host: exactly the address we registered with Zoho.
  const ownHost = new URL(redirectUri).host.toLowerCase()
  if (!o.state) throw new Error('The sign-in has no state to wait for.')
  const clock = o.clock ?? systemClock
  if (o.signal?.aborted) throw cancelled()

  let settle: { resolve(url: string): void; reject(error: Error): void } | undefined
  const redirect = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject }
  })
  // A caller that only awaits `listenForRedirect` must not see an unhandled rejection from a later close().
  redirect.catch(() => undefined)

  let done = false
  let timer: TimerHandle | undefined
  const server = createServer((req, res) => {
    if (done) return notHere(res)
    if (req.headers.host?.toLowerCase() !== ownHost) return refuse(res)
    const url = new URL(req.url ?? '/', redirectUri).toString()
    if (req.method !== 'GET' || !isRedirectTo(url, redirectUri)) return notHere(res)
    if (new URL(url).searchParams.get('state') !== o.state) return refuse(res)
    finish(() => settle?.resolve(url), res)
    answerRedirect(res, url)
  })
  await bind(server, host, port)

  timer = clock.setTimeout(
    () => finish(() => settle?.reject(timedOut(o.timeoutMs ?? SIGN_IN_TIMEOUT_MS))),
    o.timeoutMs ?? SIGN_IN_TIMEOUT_MS,
  )
  const onAbort = () => finish(() => settle?.reject(cancelled()))
  o.signal?.addEventListener('abort', onAbort, { once: true })

  /** Settles once, then stops listening; open connections close once the answer page has gone out. */
  function finish(settleWith: () => void, answering?: ServerResponse): void {
    if (done) return
    done = true
    settleWith()
    if (timer !== undefined) clock.clearTimeout(timer)
    o.signal?.removeEventListener('abort', onAbort)
    server.close()
    if (answering) answering.on('finish', () => server.closeAllConnections())
    else server.closeAllConnections()
  }

  return { redirect, close: () => finish(() => settle?.reject(cancelled())) }
}

// ---- helpers ------------------------------------------------------------------------------------------------

/** listen() reports EADDRINUSE through an 'error' event, not a throw, so it is awaited here. */
function bind(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.close()
      reject(
        new SeatTrayError(
          problem('sign-in-failed', {
            detail:
              error.code === 'EADDRINUSE'
                ? `Port ${port} on ${host} is in use by another program (perhaps another Seat Tray), so the sign-in cannot come back to Seat Tray. Close it and try again.`
                : `Could not listen on ${host}:${port} for the sign-in (${error.code ?? error.message}).`,
          }),
        ),
      )
    }
    server.once('error', onError)
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/** The redirect URI must be plain http on a loopback IP literal: we never listen on other interfaces. */
function loopbackAddress(redirectUri: string): { host: string; port: number } {
  const u = new URL(redirectUri)
  const host = u.hostname === '[::1]' ? '::1' : u.hostname
  if (u.protocol !== 'http:' || (host !== '127.0.0.1' && host !== '::1') || !u.port) {
    throw new Error(`The redirect URI must be http://127.0.0.1:<port>/…, not ${redirectUri}`)
  }
  return { host, port: Number(u.port) }
}

function answerRedirect(res: ServerResponse, url: string): void {
  const refused = new URL(url).searchParams.has('error')
  const [title, line] = refused
    ? [
        'Sign-in not completed',
        'Zoho did not complete the sign-in. You can close this tab; Seat Tray says what happened.',
      ]
    : ['Signed in', 'You can close this tab and return to Seat Tray.']
  res.writeHead(200, PAGE_HEADERS)
  res.end(page(title, line))
}

/** A request on our port that is not this sign-in's redirect: refused, and the listener keeps waiting. */
function refuse(res: ServerResponse): void {
  res.writeHead(400, PAGE_HEADERS)
  res.end(page('Not this sign-in', 'This is not the answer to the sign-in Seat Tray is waiting for.'))
}

function notHere(res: ServerResponse): void {
  res.writeHead(404, PAGE_HEADERS)
  res.end(page('Not found', 'Seat Tray is waiting for Zoho’s sign-in answer, which does not come here.'))
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  connection: 'close',
}

function page(title: string, line: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title} – Seat Tray</title>
<style>body{font:16px system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em;color:#222}</style>
<h1>${title}</h1><p>${line}</p></html>`
}

/** The state Zoho must send back, read from the authorization URL the sign-in built (core/zoho/oauth.ts). */
function stateOf(authorizationUrl: string): string {
  const state = URL.canParse(authorizationUrl) ? new URL(authorizationUrl).searchParams.get('state') : null
  if (!state) {
    throw new SeatTrayError(problem('sign-in-failed', { detail: 'The sign-in address carries no state.' }))
  }
  return state
}

function cancelled(): SeatTrayError {
  return new SeatTrayError(problem('sign-in-cancelled'))
}

function timedOut(ms: number): SeatTrayError {
  return new SeatTrayError(
    problem('sign-in-failed', {
      detail: `No answer from the browser within ${Math.round(ms / 60_000)} minutes.`,
    }),
  )
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
