/**
 * `seat-tray watch`: the tray app's engine (createSeatTray: poller, backoff, history, edge-triggered alerts,
 * forecast) composed with Node adapters instead of Electron ones, for a server or a container.
 *
 * - History and alert memory live in --data-dir, in the app's own formats, so `kill -9` and restarts lose nothing
 *   and never announce the same thing twice.
 * - stdout carries JSON lines only (the schema is in the README): `started`, each `state` change, each
 *   `notification`. Everything meant for a person goes to stderr.
 * - --exec runs a program (no shell) per notification with the facts in SEAT_TRAY_* variables; --webhook posts them;
 *   --listen serves /metrics.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { accessSync, constants, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { AccountView, AppState } from '../../common/model'
import { problem } from '../../common/problems'
import { DEFAULT_SETTINGS, type Settings } from '../../common/settings'
import { createSeatTray, type SeatTray } from '../core/app'
import { SeatTrayError } from '../core/errors'
import { MemoryVault } from '../core/memory-vault'
import {
  type Clock,
  type FetchLike,
  holdingClock,
  type Notice,
  type SettingsStore,
  systemClock,
} from '../core/ports'
import { Session } from '../core/session'
import { dataCenterForAccountsServer } from '../core/zoho/datacenters'
import { type Env, envFlag, parseOptions, readZohoConfig, SECRET_ENV, wholeNumber } from './config'
import { cliSentence } from './messages'
import { seatMetrics, serverLabel } from './metrics'
import { EXIT, UsageError } from './usage'
import { checkedWebhookUrl, WebhookSender } from './webhook'

export const WATCH_HELP = `Usage: seat-tray watch [--data-dir DIR] [--every MINUTES] [--low N]
                       [--exec PROGRAM] [--webhook URL [--webhook-format slack|teams]] [--listen [HOST:]PORT]

Keeps checking free Zoho CRM user licenses with the tray app's engine (backoff, history, alerts that fire once
per change, forecast), without a window. Stops cleanly on SIGTERM or Ctrl-C; SIGUSR1 checks at once.

  --data-dir DIR       History and what was already announced (default: $XDG_STATE_HOME/seat-tray or
                       ~/.local/state/seat-tray; macOS ~/Library/Application Support/seat-tray; Windows %LOCALAPPDATA%\\seat-tray)
  --every MINUTES      Minutes between checks, 1-60 (default 15). Failures retry sooner, then back off.
  --low N              Announce "running low" when free seats are at most N (default 1).
  --exec PROGRAM       Run PROGRAM (no shell, no arguments) on each notification, with SEAT_TRAY_KIND, SEAT_TRAY_TITLE,
                       SEAT_TRAY_BODY, SEAT_TRAY_AVAILABLE, SEAT_TRAY_PURCHASED, SEAT_TRAY_ACTIVE, SEAT_TRAY_ACCOUNT,
                       SEAT_TRAY_AT in its environment (never the Zoho secrets).
  --webhook URL        POST each notification to a Slack incoming webhook (or Teams, see --webhook-format). https only.
  --listen [HOST:]PORT Serve Prometheus metrics at http://HOST:PORT/metrics (HOST defaults to 127.0.0.1).
  -h, --help           Prints this help.

stdout: one JSON object per line: {"type":"started"…}, {"type":"state"…} on each change, {"type":"notification"…}.
Environment: as for seat-tray status (ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_ACCOUNTS_SERVER…).
`

export interface WatchIo {
  env: Env
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  fetch?: FetchLike
  clock?: Clock
  signal?: AbortSignal
  onCheckNow?: (listener: () => void) => void
}

export function defaultStateDir(env: Env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || homedir()
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'seat-tray')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'seat-tray')
  const xdg = env.XDG_STATE_HOME?.startsWith('/') ? env.XDG_STATE_HOME : join(home, '.local', 'state')
  return join(xdg, 'seat-tray')
}

export async function watch(args: readonly string[], io: WatchIo): Promise<number> {
  const options = readWatchOptions(args, io)
  if (options === 'help') {
    io.stdout.write(WATCH_HELP)
    return EXIT.ok
  }
  const clock = io.clock ?? systemClock
  const line = (value: object) =>
    io.stdout.write(`${JSON.stringify({ ...value, at: new Date(clock.now()).toISOString() })}\n`)
  const { config } = options
  const accountId = `cli-${createHash('sha256').update(`${config.accountsServer}\n${config.clientId}`).digest('hex').slice(0, 12)}`
  const reporter = new WatchReporter(options, io, clock, line, accountId)
  const app = await watchEngine(options, io, clock, accountId, reporter)
  reporter.engine = app

  const server = options.listen ? await listenForScrapes(options.listen, reporter.metrics) : null
  line({
    type: 'started',
    account: accountId,
    dataDir: options.dataDir,
    everyMinutes: options.every,
    ...metricsUrl(server),
  })
  io.onCheckNow?.(() => void app.refresh().catch(() => undefined))
  await app.start()

  // The engine's timers do not hold the process open (they must not in the app or a test), so this does, until told.
  const keepAlive = holdingClock.setTimeout(() => {}, Number.POSITIVE_INFINITY)
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve()
    io.signal?.addEventListener('abort', () => resolve(), { once: true })
  })
  holdingClock.clearTimeout(keepAlive)
  // Timers stop and history and alert memory are written before we say goodbye; a webhook gets a moment to finish.
  await app.stop()
  await reporter.webhook?.drain(3000)
  await new Promise<void>((resolve) => {
    if (!server) return resolve()
    server.close(() => resolve())
    server.closeAllConnections()
  })
  line({ type: 'stopped', account: accountId })
  return EXIT.ok
}

interface WatchOptions {
  config: ReturnType<typeof readZohoConfig>
  every: number
  low: number
  dataDir: string
  format: 'slack' | 'teams'
  webhookUrl: URL | null
  exec: string | null
  listen: Listen | null
}

/** The command line and the environment, checked before anything starts; the data folder made. */
function readWatchOptions(args: readonly string[], io: WatchIo): WatchOptions | 'help' {
  const { values } = parseOptions(args, {
    'data-dir': { type: 'string' },
    every: { type: 'string' },
    low: { type: 'string' },
    exec: { type: 'string' },
    webhook: { type: 'string' },
    'webhook-format': { type: 'string' },
    listen: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) return 'help'
  const config = readZohoConfig(io.env)
  const format = values['webhook-format'] ?? 'slack'
  if (format !== 'slack' && format !== 'teams')
    throw new UsageError('--webhook-format must be slack or teams')
  const options: WatchOptions = {
    config,
    every: wholeNumber(values.every, '--every', 15, { min: 1, max: 60 }),
    low: wholeNumber(values.low, '--low', 1, { max: 100_000 }),
    dataDir: values['data-dir'] ?? defaultStateDir(io.env),
    format,
    webhookUrl: values.webhook
      ? checkedWebhookUrl(values.webhook, envFlag(io.env, 'ZOHO_ALLOW_LOOPBACK'))
      : null,
    exec: values.exec ? checkedProgram(values.exec) : null,
    listen: values.listen ? parseListen(values.listen) : null,
  }
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw new UsageError(
      `--data-dir ${options.dataDir} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    )
  }
  return options
}

/** What the engine says, turned into JSON lines, --exec runs, webhook posts and metrics. */
class WatchReporter {
  readonly webhook: WebhookSender | null
  readonly metrics = seatMetrics()
  engine: SeatTray | null = null
  private lastState = ''
  private readonly label: string

  constructor(
    private readonly o: WatchOptions,
    private readonly io: WatchIo,
    private readonly clock: Clock,
    private readonly line: (value: object) => void,
    private readonly accountId: string,
  ) {
    this.label = serverLabel(o.config.accountsServer)
    this.webhook = o.webhookUrl
      ? new WebhookSender({
          url: o.webhookUrl,
          format: o.format,
          onGiveUp: (reason) =>
            io.stderr.write(
              `seat-tray: the webhook did not take a notification (${reason}); it was dropped.\n`,
            ),
        })
      : null
  }

  notice(notice: Notice): void {
    // The engine announces before it publishes the new state, so the figures come from the engine itself.
    const view = this.engine?.state().accounts.find((a) => a.id === this.accountId)
    const seats = view?.latest
    // The app's sign-in advice ("Sign in again") means nothing on a server: say what to change here instead.
    if (notice.kind === 'sign-in' && view?.problem) {
      notice = { ...notice, body: `${cliSentence(view.problem)} Seats are not checked until then.` }
    }
    const { kind, title, body } = notice
    this.line({ type: 'notification', account: this.accountId, kind, title, body })
    this.webhook?.send(notice)
    if (!this.o.exec) return
    runProgram(
      this.o.exec,
      {
        SEAT_TRAY_KIND: kind,
        SEAT_TRAY_TITLE: title,
        SEAT_TRAY_BODY: body,
        SEAT_TRAY_AVAILABLE: seats ? String(seats.available) : '',
        SEAT_TRAY_PURCHASED: seats ? String(seats.purchased) : '',
        SEAT_TRAY_ACTIVE: seats ? String(seats.active) : '',
        SEAT_TRAY_ACCOUNT: this.accountId,
        SEAT_TRAY_AT: new Date(this.clock.now()).toISOString(),
      },
      this.io,
    )
  }

  state(state: AppState): void {
    const view = state.accounts.find((a) => a.id === this.accountId)
    // Before the first check there is nothing to say yet.
    if (!view || (view.phase === 'first-poll' && !view.latest && !view.problem)) return
    const facts = {
      account: this.accountId,
      tone: view.tone,
      available: view.latest?.available ?? null,
      purchased: view.latest?.purchased ?? null,
      active: view.latest?.active ?? null,
      problem: view.problem ? { kind: view.problem.kind, message: cliSentence(view.problem) } : null,
      forecast: view.forecast,
    }
    if (view.latest && !view.problem)
      this.metrics.reading(this.label, view.latest, TONE_STATUS[view.tone] ?? 3)
    else if (view.problem) this.metrics.failure(this.label)
    // A change is a change of these facts; a new check that finds the same is not one.
    const key = JSON.stringify(facts)
    if (key === this.lastState) return
    this.lastState = key
    this.line({
      type: 'state',
      ...facts,
      checkedAt: view.latest ? new Date(view.latest.at).toISOString() : null,
    })
  }
}

/** The tray app's engine with Node adapters: the refresh token in memory, settings from the command line. */
async function watchEngine(
  o: WatchOptions,
  io: WatchIo,
  clock: Clock,
  accountId: string,
  reporter: WatchReporter,
): Promise<SeatTray> {
  const vault = new MemoryVault()
  await Session.store(vault, accountId, o.config.refreshToken)
  return createSeatTray({
    fetch: io.fetch ?? ((url, init) => fetch(url, init)),
    clock,
    vault,
    notifier: { show: (notice) => reporter.notice(notice) },
    tray: { render: () => {} },
    sink: { publish: (state) => reporter.state(state) },
    authBrowser: {
      authorize: () => Promise.reject(new SeatTrayError(problem('sign-in-cancelled'))),
    },
    settings: fixedSettings({
      ...structuredClone(DEFAULT_SETTINGS),
      pollMinutes: o.every,
      lowThreshold: { unit: 'seats', value: o.low },
      accounts: [
        {
          id: accountId,
          dataCenter: dataCenterForAccountsServer(o.config.accountsServer)?.id ?? 'US',
          accountsServer: o.config.accountsServer,
          apiDomain: o.config.apiDomain ?? o.config.guessedApiDomain,
          orgId: null,
          orgName: null,
          addedAt: clock.now(),
        },
      ],
    }),
    dataDir: o.dataDir,
    buildClient: { clientId: o.config.clientId, clientSecret: o.config.clientSecret },
    hostPolicy: o.config.hostPolicy,
  })
}

async function listenForScrapes(listen: Listen, metrics: ReturnType<typeof seatMetrics>): Promise<Server> {
  try {
    return await serveMetrics(listen, metrics.registry)
  } catch (error) {
    throw new UsageError(
      `--listen ${listen.host}:${listen.port}: cannot listen (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    )
  }
}

function metricsUrl(server: Server | null): { metrics?: string } {
  const address = server ? (server.address() as AddressInfo) : null
  if (!address) return {}
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return { metrics: `http://${host}:${address.port}/metrics` }
}

const TONE_STATUS: Partial<Record<AccountView['tone'], number>> = { ok: 0, low: 1, out: 2 }

/** Settings come from the command line each start; the app's own saves (an org name) stay in memory. */
function fixedSettings(initial: Settings): SettingsStore {
  let saved = initial
  return {
    load: () => ({ settings: structuredClone(saved) }),
    save: (s) => {
      saved = structuredClone(s)
    },
  }
}

function checkedProgram(program: string): string {
  if (program.includes('/') || program.includes('\\')) {
    try {
      accessSync(program, constants.X_OK)
    } catch {
      throw new UsageError(`--exec ${program} is not an executable file`)
    }
  }
  return program
}

/** No shell: Zoho's text reaches the program only as environment values, never as something to interpret. */
function runProgram(program: string, facts: Record<string, string>, io: WatchIo): void {
  const env: Env = { ...io.env, ...facts }
  for (const name of SECRET_ENV) delete env[name]
  const child = spawn(program, [], { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false })
  // Its output is the person's, not part of our JSON lines.
  child.stdout?.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()))
  // systemClock's timers do not hold the process open: a program still running at shutdown is not waited for.
  const timer = systemClock.setTimeout(() => child.kill('SIGKILL'), 60_000)
  child.on('error', (error) => {
    systemClock.clearTimeout(timer)
    io.stderr.write(
      `seat-tray: --exec ${program} could not start (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`,
    )
  })
  child.on('exit', (code, signal) => {
    systemClock.clearTimeout(timer)
    if (code !== 0) io.stderr.write(`seat-tray: --exec ${program} ended with ${signal ?? `exit ${code}`}\n`)
  })
}

interface Listen {
  host: string
  port: number
}

/** `9464` → 127.0.0.1:9464; `0.0.0.0:9464`; `[::1]:9464`. Loopback unless a host is given on purpose. */
export function parseListen(text: string): Listen {
  const m = /^(?:(\[[0-9a-f:.]+\]|[\w.-]+):)?(\d{1,5})$/i.exec(text.trim())
  const port = m ? Number(m[2]) : Number.NaN
  if (!m || port > 65_535) throw new UsageError('--listen needs [HOST:]PORT, e.g. 9464 or 0.0.0.0:9464')
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port }
}

function serveMetrics(listen: Listen, registry: ReturnType<typeof seatMetrics>['registry']): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only /metrics is here.\n')
      return
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    )
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}
