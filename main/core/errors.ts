/**
 * The error the engine throws for a failed check or sign-in. Its `problem` (common/problems.ts, plain data) is what
 * the tray, the window and the CLI show; the class stays on this side of the window's wall.
 */
import type { Problem } from '../../common/problems'
import { singleLine } from './text'

export class SeatTrayError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.message} (${problem.detail})` : problem.message)
    this.name = 'SeatTrayError'
  }
}

/** The window asked about an account the app does not watch (signed out meanwhile, or a forged id). */
export class UnknownAccountError extends Error {
  constructor(readonly accountId: string) {
    super(`Seat Tray has no account “${singleLine(accountId, 40)}”.`)
    this.name = 'UnknownAccountError'
  }
}
