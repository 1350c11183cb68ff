/**
 * How Seat Tray talks HTTP to Zoho: one request at a time, a User-Agent that says who we are, our own timeout,
 * and network failures turned into Problems a person can act on. No tokens or secrets ever reach an error.
 */

import { LONGEST_WAIT_MS, problem } from '../../../common/problems'
import { SeatTrayError } from '../errors'
import type { Clock, FetchLike } from '../ports'
import { version } from '../version'
import { type HostPolicy, trustedAccountsServer, trustedApiDomain, UntrustedHostError } from './datacenters'

export interface HttpDeps {
  fetch: FetchLike
  clock: Clock
  /** How long one request (headers and body) may take; 20 s by default. Zoho's SDK has no timeout at all. */
  timeoutMs?: number
}

export const DEFAULT_TIMEOUT_MS = 20_000
/**
 * The most of one answer we read, counted after decompression: Zoho's answers here are a few kB, so 1 MiB is
 * generous, and a gzip bomb (4 MB that inflates to GBs) or an endless body costs at most this much memory.
 */
export const MAX_BODY_BYTES = 1024 * 1024
export const USER_AGENT = `SeatTray/${version()} (Zoho CRM seat monitor)`

/** What came back: the status, the headers, and the body as JSON, or the raw text if it was not JSON, or undefined if empty. */
export interface HttpAnswer {
  status: number
  headers: Headers
  body: unknown
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  /** Sent as application/x-www-form-urlencoded, as Zoho's token endpoint wants. */
  form?: Record<string, string>
}

/** Sends one request; throws SeatTrayError 'timeout' or 'unreachable' when no answer arrives. */
export async function send(d: HttpDeps, url: string, request: HttpRequest): Promise<HttpAnswer> {
  const timeoutMs = d.timeoutMs ?? DEFAULT_TIMEOUT_MS
  // A real timer, not the injected clock: the network runs in real time even when a test's clock does not.
  const signal = AbortSignal.timeout(timeoutMs)
  const headers: Record<string, string> = {
    'User-Agent': USER_AGENT,
    Accept: 'application/json',
    ...request.headers,
  }
  let body: string | undefined
  if (request.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(request.form).toString()
  }
  try {
    const response = await d.fetch(url, { method: request.method, headers, body, signal, redirect: 'manual' })
    const text = await readBounded(response, MAX_BODY_BYTES)
    return { status: response.status, headers: response.headers, body: parseBody(text) }
  } catch (error) {
    throw networkProblem(error, signal, timeoutMs)
  }
}

/**
 * Retry-After as ms from now: delta-seconds or an HTTP date, at most LONGEST_WAIT_MS (a month-long value is
 * honoured as 6 h, not as a month nor, as Node's timers would have it, as 1 ms); undefined when absent or not a
 * Retry-After at all (a negative or fractional number, words).
 */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined
  const value = header.trim()
  let ms: number
  if (/^\d+$/.test(value)) ms = Number(value) * 1000
  else if (/[a-z]{3}/i.test(value)) ms = Date.parse(value) - now
  else return undefined
  if (Number.isNaN(ms)) return undefined
  return Math.min(Math.max(0, ms), LONGEST_WAIT_MS)
}

/** trustedAccountsServer, but failing the way the rest of the engine fails: with a Problem. */
export function checkedAccountsServer(url: string, policy: HostPolicy): string {
  return asProblem(() => trustedAccountsServer(url, policy))
}

/** trustedApiDomain, but failing with a Problem. */
export function checkedApiDomain(url: string, policy: HostPolicy): string {
  return asProblem(() => trustedApiDomain(url, policy))
}

function asProblem(check: () => string): string {
  try {
    return check()
  } catch (error) {
    if (error instanceof UntrustedHostError) {
      throw new SeatTrayError(problem('untrusted-host', { detail: `not a known Zoho ${error.role}` }))
    }
    throw error
  }
}

/**
 * The body as text, read as a stream and abandoned as soon as it passes `limit` bytes. fetch (Node's and
 * Electron's) hands over the body already decompressed, so what is counted is what would sit in memory.
 */
async function readBounded(response: Response, limit: number): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      // Cancelling closes the connection, so neither the network nor the inflater does any more work.
      await reader.cancel().catch(() => {})
      throw new SeatTrayError(problem('too-large', { detail: `more than ${limit / (1024 * 1024)} MiB` }))
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function networkProblem(error: unknown, signal: AbortSignal, timeoutMs: number): SeatTrayError {
  if (error instanceof SeatTrayError) return error
  if (signal.aborted || (error instanceof Error && error.name === 'TimeoutError')) {
    return new SeatTrayError(
      problem('timeout', { detail: `no answer within ${Math.round(timeoutMs / 1000)} s` }),
    )
  }
  const code = networkErrorCode(error)
  if (GARBLED_CODES.test(code)) return new SeatTrayError(problem('garbled-answer', { detail: code }))
  return new SeatTrayError(problem('unreachable', { detail: code }))
}

/**
 * An answer that arrived but broke the protocol on the way (a malformed chunk, a corrupt gzip stream): Node's HTTP
 * parser says HPE_*, zlib Z_*_ERROR, Chromium's network stack (Electron) ERR_INVALID_CHUNKED_ENCODING and the like.
 * The network is up, so "check the internet connection" would send the person the wrong way.
 */
const GARBLED_CODES =
  /^(HPE_[A-Z_]+|Z_[A-Z_]*ERROR|ERR_(INVALID_CHUNKED_ENCODING|CONTENT_DECODING_FAILED|CONTENT_LENGTH_MISMATCH|INVALID_HTTP_RESPONSE))$/

/** The system's error code (ECONNREFUSED, ENOTFOUND …), never the message, which may quote the URL. */
function networkErrorCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  const code = cause?.code ?? (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code
  // Chromium's network errors (Electron's net) arrive as a message such as "net::ERR_INVALID_CHUNKED_ENCODING".
  const chromium =
    error instanceof Error ? /\bnet::(ERR_[A-Z0-9_]{2,40})\b/.exec(error.message)?.[1] : undefined
  return chromium ?? 'connection failed'
}
