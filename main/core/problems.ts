/**
 * Every way a check can fail, as a value a person can act on: one sentence and the one action that fixes it.
 * The catalogue below is the only place these sentences are written.
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
  'no-license-data': {
    message: 'Zoho returned no license data for this org.',
    action: 'ask-admin',
    actionLabel: 'How to ask your admin',
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
    message: 'Seat Tray could not save a file on this computer. Nothing was lost.',
    action: 'retry',
    actionLabel: 'Retry',
  },
}

export function problem(kind: ProblemKind, extra: Partial<Omit<Problem, 'kind'>> = {}): Problem {
  return { kind, ...CATALOGUE[kind], ...extra }
}

/** Problems that stop polling until the person acts (as opposed to ones that retry by themselves). */
export function needsPerson(p: Problem): boolean {
  return p.action === 'sign-in' || p.action === 'check-client' || p.action === 'ask-admin'
}

/** The error the core throws; `problem` is what views show. */
export class SeatTrayError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.message} (${problem.detail})` : problem.message)
    this.name = 'SeatTrayError'
  }
}
