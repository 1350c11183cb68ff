/**
 * Whatever went wrong, as the Problem a person is shown (common/problems.ts): the engine's own errors as they are,
 * a file the disk refused as the disk's problem, anything else as an answer that could not be read.
 */
import { type Problem, problem } from '../../common/problems'
import { diskProblem } from './atomic-file'
import { SeatTrayError } from './errors'

/** Whatever went wrong, as the Problem a person is shown: ours as they are, a file's as the disk's, else unreadable. */
export function toProblem(error: unknown): Problem {
  if (error instanceof SeatTrayError) return error.problem
  if (error instanceof Error && error.name === 'UntrustedHostError') return problem('untrusted-host')
  // A file the app could not write (the vault's, say) is the disk's problem, not Zoho's.
  if (isFileSystemError(error)) return diskProblem('save a file it keeps', error)
  return problem('bad-response', { detail: error instanceof Error ? error.name : 'unknown error' })
}

/** Node's errors from a file operation carry the syscall that failed; network errors go through zoho/http. */
export function isFileSystemError(error: unknown): boolean {
  const syscall = (error as NodeJS.ErrnoException | null)?.syscall
  return typeof syscall === 'string' && FILE_SYSCALLS.has(syscall)
}

const FILE_SYSCALLS = new Set(['open', 'write', 'rename', 'mkdir', 'fsync', 'close', 'unlink', 'copyfile'])
