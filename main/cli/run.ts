/**
 * The `seat-tray` command: which subcommand, and the promise every one of them keeps: a usage mistake is one
 * `ZOHO SEATS UNKNOWN - …` line on stdout (a monitoring screen never shows "(No output returned from plugin)"),
 * or one JSON object where stdout is JSON (`--json`, `watch`); exit 3, and the usage on stderr.
 */
import type { Clock, FetchLike } from '../core/ports'
import type { Env } from './config'
import { formatAskedFor, printFailure } from './output'
import { SIMULATE_HELP, simulate } from './simulate'
import { STATUS_HELP, status, VERSION_LINE } from './status'
import { EXIT, UsageError } from './usage'
import { runUsers, USERS_HELP } from './users'
import { WATCH_HELP, watch } from './watch'

export interface CliIo {
  env: Env
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  fetch?: FetchLike
  clock?: Clock
  /** Ends `simulate` and `watch` (the process aborts it on SIGINT/SIGTERM). */
  signal?: AbortSignal
  /** `watch` checks at once when this fires (the process wires it to SIGUSR1). */
  onCheckNow?: (listener: () => void) => void
}

export { EXIT } from './usage'

export const USAGE = `Usage: seat-tray COMMAND [OPTIONS]   (seat-tray COMMAND --help for its options)

  status     One check of free Zoho CRM user licenses, as a monitoring plugin (Nagios, Icinga, Zabbix, Prometheus).
  watch      Keeps checking, like the tray app without a window: JSON lines, --exec, --webhook, /metrics.
  users      Who holds the seats: pending invites first, what could be freed, the org's Users page in Zoho.
  simulate   A Zoho simulator on 127.0.0.1, to try the others without a Zoho account.

  -V, --version   Prints the version.   -h, --help   Prints this help.
`

const HELP: Record<string, string> = {
  status: STATUS_HELP,
  watch: WATCH_HELP,
  simulate: SIMULATE_HELP,
  users: USERS_HELP,
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'status':
        return await status(rest, io)
      case 'watch':
        return await watch(rest, io)
      case 'simulate':
        return await simulate(rest, io)
      case 'users':
        return await runUsers(rest, io)
      case 'help':
        io.stdout.write((rest[0] && HELP[rest[0]]) || USAGE)
        return EXIT.ok
      case '--help':
      case '-h':
        io.stdout.write(USAGE)
        return EXIT.ok
      case '--version':
      case '-V':
        io.stdout.write(VERSION_LINE)
        return EXIT.ok
      case undefined:
        throw new UsageError(
          'no command given: seat-tray status, watch, users or simulate (see seat-tray --help)',
        )
      default:
        throw new UsageError(
          `unknown command "${command.slice(0, 40)}": use status, watch, users or simulate`,
        )
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    // watch's stdout is JSON lines only, so its mistakes are one JSON object too.
    const code = await printFailure(
      command === 'watch' ? 'json' : formatAskedFor(rest),
      { kind: 'usage', sentence: error.message },
      null,
      io,
    )
    io.stderr.write((command && HELP[command]) || USAGE)
    return code
  }
}

/** Runs the command for a real process: arguments, environment, signals, exit code. */
export async function main(): Promise<void> {
  const stop = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort())
  const code = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: stop.signal,
    onCheckNow: (listener) => process.on('SIGUSR1', listener),
  })
  // Exit now rather than when idle keep-alive sockets to Zoho time out, seconds later. stdout is a file or a pipe
  // for monitoring systems, and Node writes those synchronously, so nothing printed is lost.
  process.exit(code)
}
