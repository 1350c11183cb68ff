/**
 * Electron's side of an office proxy that asks for a username and password. Two doors lead here:
 *
 * - `app`'s 'login' event, for web contents (Zoho's sign-in window goes through the proxy too).
 * - Each request of the engine's fetch. Electron never emits `app` 'login' for `net.fetch` from the main process
 *   (electron/electron#44249, still open): net.fetch builds a `net.request` with no 'login' listener, and such a
 *   request cancels the challenge at once. So `proxyAwareFetch` is a fetch on `net.request` that listens.
 *
 * What to answer is decided by core/proxy-credentials.ts; this file only translates. Challenges from a server
 * (not a proxy) are not ours: they get Electron's default, which is to cancel.
 *
 * No runtime electron import: `app` and `net` are handed in, so this is tested in plain Node.
 */
import { Readable } from 'node:stream'
import type {
  App,
  AuthenticationResponseDetails,
  AuthInfo,
  ClientRequest,
  ClientRequestConstructorOptions,
  IncomingMessage,
  WebContents,
} from 'electron'
import type { FetchLike } from '../core/ports'
import type { ProxyChallenge, ProxyCredentials } from '../core/proxy-credentials'

/** The part of core's ProxyAuth the platform calls. */
export interface ProxyResponder {
  respond(challenge: ProxyChallenge): Promise<ProxyCredentials | null>
}

type LoginCallback = (username?: string, password?: string) => void

/** Answers proxy challenges from web contents. Returns a function that stops listening. */
export function answerProxyLogins(
  app: Pick<App, 'on' | 'removeListener'>,
  responder: ProxyResponder,
): () => void {
  const onLogin = (
    event: { preventDefault(): void },
    _webContents: WebContents | null,
    details: AuthenticationResponseDetails,
    authInfo: AuthInfo,
    callback: LoginCallback,
  ) => {
    if (!authInfo.isProxy) return
    event.preventDefault()
    // Chromium does not say what the earlier attempt sent; not being the first attempt is enough to know it failed.
    const repeat = details.firstAuthAttempt ? undefined : {}
    answer(responder, challengeOf(authInfo, repeat), callback)
  }
  app.on('login', onLogin)
  return () => {
    app.removeListener('login', onLogin)
  }
}

/**
 * A fetch on Chromium's network stack (system proxy, PAC, OS certificates, NTLM/Kerberos, like net.fetch) that
 * also answers Basic/Digest proxy challenges through `responder`. Covers what core/zoho/http.ts sends: a method,
 * headers, a string body, an abort signal, and redirect 'manual' (returned as the 3xx response, as fetch does).
 */
export function proxyAwareFetch(
  net: { request(options: ClientRequestConstructorOptions): ClientRequest },
  responder: ProxyResponder,
): FetchLike {
  return (url, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal
      if (signal?.aborted) return reject(signal.reason)
      const body = bodyText(init.body)
      const redirect = init.redirect ?? 'follow'
      const request = net.request({ url, method: init.method ?? 'GET', redirect })
      for (const [name, value] of new Headers(init.headers)) request.setHeader(name, value)

      let sent: ProxyCredentials | null = null
      request.on('login', (authInfo, callback) => {
        if (!authInfo.isProxy) return callback()
        // A second challenge on the same request means the proxy refused what this request sent.
        const repeat = sent ? { sent } : undefined
        answer(responder, challengeOf(authInfo, repeat), callback, (credentials) => {
          sent = credentials
        })
      })
      request.on('redirect', (status, _method, _location, headers) => {
        if (redirect !== 'manual') return
        // Electron cancels a manual redirect nobody follows; fetch hands the 3xx back instead.
        resolve(new Response(null, { status, headers: headerList(headers) }))
        request.abort()
      })
      request.on('response', (message) => resolve(toResponse(message, init.method)))
      request.on('error', (error) => reject(error))
      signal?.addEventListener(
        'abort',
        () => {
          request.abort()
          reject(signal.reason)
        },
        { once: true },
      )
      if (body !== undefined) request.write(body)
      request.end()
    })
}

// ── helpers ────────────────────────────────────────────────────────────────

function challengeOf(authInfo: AuthInfo, repeat: ProxyChallenge['repeat']): ProxyChallenge {
  return {
    host: authInfo.host,
    port: authInfo.port,
    realm: authInfo.realm,
    scheme: authInfo.scheme,
    ...(repeat ? { repeat } : {}),
  }
}

function answer(
  responder: ProxyResponder,
  challenge: ProxyChallenge,
  callback: LoginCallback,
  onSend?: (credentials: ProxyCredentials) => void,
): void {
  responder.respond(challenge).then(
    (credentials) => {
      if (!credentials) return callback()
      onSend?.(credentials)
      callback(credentials.username, credentials.password)
    },
    () => callback(),
  )
}

function bodyText(body: RequestInit['body']): string | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  throw new TypeError('Seat Tray sends only text bodies.')
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])

function toResponse(message: IncomingMessage, method: string | undefined): Response {
  const headers = headerList(message.headers)
  const stream = Readable.toWeb(message as unknown as Readable) as ReadableStream<Uint8Array>
  const empty = NULL_BODY_STATUS.has(message.statusCode) || method === 'HEAD'
  if (empty) void stream.cancel().catch(() => undefined)
  return new Response(empty ? null : stream, {
    status: message.statusCode,
    statusText: message.statusMessage,
    headers,
  })
}

function headerList(raw: Record<string, string | string[]>): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  return headers
}
