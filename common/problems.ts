/**
 * Every way a check can fail, as a value a person can act on: one sentence and the one action that fixes it.
 * The catalogue below is the only place these sentences are written. Plain data, shared with the window; the engine
 * throws a problem wrapped in a SeatTrayError (main/core/errors.ts).
 */

export type ProblemKind =
  | 'signed-out'
  | 'reauth-needed'
  | 'scope-missing'
  | 'no-permission'
  | 'invalid-client'
  | 'token-throttled'
  | 'rate-limited'
  | 'server-error'
  | 'not-found'
  | 'timeout'
  | 'unreachable'
  | 'offline'
  | 'bad-response'
  | 'too-large'
  | 'garbled-answer'
  | 'not-zoho'
  | 'no-license-data'
  | 'untrusted-host'
  | 'sign-in-cancelled'
  | 'sign-in-failed'
  | 'disk-error'

export type FixAction = 'sign-in' | 'retry' | 'ask-admin' | 'check-client' | 'wait' | 'check-network'

export interface Problem {
  kind: ProblemKind
  /** One plain sentence for the window, the tooltip and the CLI. */
  message: string
  action: FixAction
  /** The button text for the action. */
  actionLabel: string
  /** Do not ask again before this many ms (throttling, Retry-After). */
  retryAfterMs?: number
  /** Technical detail for the curious (a Zoho code, an HTTP status). Never a token or a secret. */
  detail?: string
}

const CATALOGUE: Record<ProblemKind, Omit<Problem, 'kind'>> = {
  'signed-out': { message: 'Not signed in to Zoho.', action: 'sign-in', actionLabel: 'Sign in' },
  'reauth-needed': {
    message:
      'Zoho no longer accepts this sign-in (it was revoked or expired). Sign in again to resume checks.',
    action: 'sign-in',
    actionLabel: 'Sign in again',
  },
  'scope-missing': {
    message: 'This sign-in may not read license counts. Sign in again and allow access to CRM features.',
    action: 'sign-in',
    actionLabel: 'Sign in again',
  },
  'no-permission': {
    message:
      'Your Zoho profile may not read license counts. Ask your Zoho admin for the ZohoCRM.features.READ scope.',
    action: 'ask-admin',
    actionLabel: 'How to ask your admin',
  },
  'invalid-client': {
    message:
      'Zoho does not recognise the app’s client ID or secret for this data center. Check the Zoho client settings.',
    action: 'check-client',
    actionLabel: 'Open client settings',
  },
  'token-throttled': {
    message:
      'Zoho is refusing new sign-in tokens for a while because too many were asked for. Seat Tray will wait before trying again.',
    action: 'wait',
    actionLabel: 'Wait',
  },
  'rate-limited': {
    message: 'Zoho asked us to slow down. Seat Tray will try again later.',
    action: 'wait',
    actionLabel: 'Wait',
  },
  'server-error': {
    message: 'Zoho had a problem answering. Seat Tray will try again shortly.',
    action: 'retry',
    actionLabel: 'Retry',
  },
  'not-found': {
    message:
      'Zoho did not recognise the address we asked, which usually means the wrong data center. Sign in again.',
    action: 'sign-in',
    actionLabel: 'Sign in again',
  },
  timeout: {
    message: 'Zoho took too long to answer. Seat Tray will try again shortly.',
    action: 'retry',
    actionLabel: 'Retry',
  },
  unreachable: {
    message: 'Zoho could not be reached. Check the internet connection or the proxy.',
    action: 'check-network',
    actionLabel: 'Retry',
  },
  offline: {
    message: 'This computer is offline. Checks resume when it is back online.',
    action: 'check-network',
    actionLabel: 'Retry',
  },
  'bad-response': {
    message: 'Zoho sent an answer Seat Tray could not read. It will try again later.',
    action: 'retry',
    actionLabel: 'Retry',
  },
  'too-large': {
    message:
      'The answer from Zoho’s address was larger than 1 MiB (a seat count takes a few kB), so Seat Tray stopped reading it. It will try again later.',
    action: 'retry',
    actionLabel: 'Retry',
  },
  'garbled-answer': {
    message:
      'An answer arrived broken on the way (malformed transfer encoding or compression); a proxy may be mangling it. Seat Tray will try again later.',
    action: 'retry',
    actionLabel: 'Retry',
  },
  'not-zoho': {
    message:
      'Something other than Zoho’s API answered (a proxy, a firewall or a Wi-Fi sign-in page). Seat Tray will try again shortly.',
    action: 'check-network',
    actionLabel: 'Retry',
  },
  // Not an error code, so nothing a person can be asked to fix: Seat Tray keeps asking, with backoff.
  'no-license-data': {
    message: 'Zoho returned no license data for this org. Seat Tray will try again later.',
    action: 'retry',
    actionLabel: 'Retry',
  },
  'untrusted-host': {
    message: 'Sign-in pointed to a server that is not Zoho, so Seat Tray stopped. Sign in again.',
    action: 'sign-in',
    actionLabel: 'Sign in again',
  },
  'sign-in-cancelled': { message: 'Sign-in was cancelled.', action: 'sign-in', actionLabel: 'Sign in' },
  'sign-in-failed': {
    message: 'Sign-in did not finish. Try again.',
    action: 'sign-in',
    actionLabel: 'Try again',
  },
  // The disk, not Zoho: core/atomic-file.ts says which trouble (full, read-only…) in the message it gives.
  'disk-error': {
    message:
      'Seat Tray could not save a file on this computer, so nothing was changed. Free some space or check the folder’s permissions, then try again.',
    action: 'retry',
    actionLabel: 'Try again',
  },
}

/**
 * The longest any "do not ask again before" is honoured: 6 hours. Zoho documents no Retry-After at all; its
 * throttles last minutes (tokens: 10–30 min) and its API credits refill over a rolling 24 h, so a wait of hours can
 * be real (an org that spent its credits), but a month or a year is a wrong value, often not Zoho's. Past 6 h we
 * still check four times a day: that costs Zoho nothing, and the person sees the numbers again the same day.
 */
export const LONGEST_WAIT_MS = 6 * 3_600_000

export function problem(kind: ProblemKind, extra: Partial<Omit<Problem, 'kind'>> = {}): Problem {
  return { kind, ...CATALOGUE[kind], ...extra }
}

/** Problems that stop polling until the person acts (as opposed to ones that retry by themselves). */
export function needsPerson(p: Problem): boolean {
  return p.action === 'sign-in' || p.action === 'check-client' || p.action === 'ask-admin'
}
