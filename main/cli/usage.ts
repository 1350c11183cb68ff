/** A mistake in the command line or the environment: reported as UNKNOWN (exit 3) with what to change. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Nagios plugin exit codes. */
export const EXIT = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const
export type CheckStatus = 'OK' | 'WARNING' | 'CRITICAL'
