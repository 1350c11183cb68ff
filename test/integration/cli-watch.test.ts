import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'
import { buildCli } from '../helpers/built-cli'

// `seat-tray watch` as the real process a server runs: the built command against the simulator over loopback HTTP,
// a loopback webhook receiver, a script for --exec, and signals (SIGKILL, SIGUSR1, SIGTERM) from outside.

let BUILT = ''
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})
beforeAll(() => {
  const built = buildCli()
  BUILT = built.path
  return built.remove
}, 60_000)

describe('seat-tray watch', () => {
  it('survives kill -9 between polls with its history intact, and never announces the same thing twice', async () => {
    const sim = await simulator()
    sim.control.setSeats({ purchased: 25, active: 25 })
    const dataDir = tempDir()
    const hook = hookScript()
    const receiver = await webhookReceiver()
    const args = ['watch', '--data-dir', dataDir, '--exec', hook.script, '--webhook', receiver.url]

    const first = startWatch(args, sim)
    await first.waitFor((l) => l.type === 'state' && l.tone === 'out')
    expect(first.lines.filter((l) => l.type === 'notification').map((l) => l.kind)).toEqual(['out'])
    await until(() => hook.calls().length === 1 && receiver.bodies.length === 1)
    first.child.kill('SIGKILL')
    await once(first.child, 'exit')
    const historyFile = join(dataDir, 'history', readdirSync(join(dataDir, 'history'))[0]!)
    const kept = readFileSync(historyFile, 'utf8')
    expect(kept.trim().split('\n')).toHaveLength(1)

    // Restarted: the same org, still out of seats. History carries on from the file; nothing is announced again.
    const second = startWatch(args, sim)
    await second.waitFor((l) => l.type === 'state' && l.tone === 'out')
    await new Promise((r) => setTimeout(r, 500))
    expect(second.lines.filter((l) => l.type === 'notification')).toEqual([])
    expect(readFileSync(historyFile, 'utf8').startsWith(kept)).toBe(true)

    // Seats come back: one check on SIGUSR1, one notification, one --exec run, one webhook POST.
    sim.control.setSeats({ purchased: 25, active: 20 })
    second.child.kill('SIGUSR1')
    await second.waitFor((l) => l.type === 'notification' && l.kind === 'freed')
    await until(() => hook.calls().length === 2 && receiver.bodies.length === 2)
    await new Promise((r) => setTimeout(r, 300))
    expect(hook.calls()).toHaveLength(2)
    expect(receiver.bodies).toHaveLength(2)
    expect(hook.calls()[1]).toMatchObject({
      SEAT_TRAY_KIND: 'freed',
      SEAT_TRAY_AVAILABLE: '5',
      SEAT_TRAY_PURCHASED: '25',
    })
    expect(JSON.parse(receiver.bodies[0]!)).toEqual({
      text: expect.stringMatching(/^\*Seat Tray: no free seats/),
    })

    second.child.kill('SIGTERM')
    const [code] = await once(second.child, 'exit')
    expect(code).toBe(0)
    expect(second.lines.at(-1)).toMatchObject({ type: 'stopped' })
    // Two processes, three checks, one refresh token: each process asks for a token once.
    expect(sim.control.requests().filter((r) => r.path === '/oauth/v2/token')).toHaveLength(2)
  }, 60_000)

  it('hands Zoho text to --exec only as environment values, never to a shell, and never the secrets', async () => {
    const sim = await simulator()
    sim.control.setSeats({ purchased: 25, active: 25 })
    sim.control.setOrg({ companyName: '$(touch /tmp/seat-tray-pwned); `id`' })
    rmSync('/tmp/seat-tray-pwned', { force: true })
    const hook = hookScript()
    const w = startWatch(['watch', '--data-dir', tempDir(), '--exec', hook.script], sim)
    await until(() => hook.calls().length === 1)
    const call = hook.calls()[0]!
    expect(call.SEAT_TRAY_TITLE).toBe('Seat Tray: no free seats in $(touch /tmp/seat-tray-pwned); `id`')
    expect(call.ZOHO_CLIENT_SECRET).toBeUndefined()
    expect(call.ZOHO_REFRESH_TOKEN).toBeUndefined()
    expect(() => readFileSync('/tmp/seat-tray-pwned')).toThrow()
    // The hook's own output goes to stderr; stdout stays JSON lines only.
    for (const raw of w.raw) expect(() => JSON.parse(raw)).not.toThrow()
  }, 30_000)

  it('tells a revoked refresh token once, in words for a server, and stops asking Zoho', async () => {
    const sim = await simulator('revoked')
    const hook = hookScript()
    const w = startWatch(['watch', '--data-dir', tempDir(), '--exec', hook.script], sim)
    const notice = await w.waitFor((l) => l.type === 'notification')
    expect(notice.kind).toBe('sign-in')
    expect(notice.body).toContain('Make a new one and put it there')
    expect(JSON.stringify(w.lines)).not.toMatch(/Sign in again|Seat Tray will/)
    const state = await w.waitFor((l) => l.type === 'state' && l.problem !== null)
    expect((state.problem as { kind: string }).kind).toBe('reauth-needed')
    await until(() => hook.calls().length === 1)
    // A revoked token cannot come back by itself: one token request, then silence (no storm).
    w.child.kill('SIGUSR1')
    await new Promise((r) => setTimeout(r, 700))
    expect(sim.control.requests().filter((r) => r.path === '/oauth/v2/token').length).toBe(1)
    expect(w.lines.filter((l) => l.type === 'notification')).toHaveLength(1)
  }, 30_000)

  it('serves /metrics for Prometheus on loopback', async () => {
    const sim = await simulator()
    const w = startWatch(['watch', '--data-dir', tempDir(), '--listen', '127.0.0.1:0'], sim)
    const started = await w.waitFor((l) => l.type === 'started')
    await w.waitFor((l) => l.type === 'state' && l.tone === 'ok')
    const scrape = await fetch(started.metrics as string)
    expect(scrape.status).toBe(200)
    expect(scrape.headers.get('content-type')).toContain('openmetrics-text')
    const text = await scrape.text()
    expect(text).toMatch(/^seat_tray_seats_available\{accounts_server="127\.0\.0\.1:\d+"\} 5$/m)
    expect(text).toMatch(/^seat_tray_check_success\{[^}]*\} 1$/m)
    expect(text.endsWith('# EOF\n')).toBe(true)
    expect((await fetch(String(started.metrics).replace('/metrics', '/'))).status).toBe(404)
  }, 30_000)

  it('retries a webhook that answers 503, and gives up at once on a 4xx, saying so on stderr', async () => {
    const sim = await simulator()
    sim.control.setSeats({ purchased: 25, active: 25 })
    const receiver = await webhookReceiver([503, 503])
    const w = startWatch(['watch', '--data-dir', tempDir(), '--webhook', receiver.url], sim)
    await w.waitFor((l) => l.type === 'state' && l.tone === 'out')
    await until(() => receiver.statuses.length === 3, 8000)
    expect(receiver.statuses).toEqual([503, 503, 200])

    const refusing = await webhookReceiver([400])
    const w2 = startWatch(['watch', '--data-dir', tempDir(), '--webhook', refusing.url], sim)
    await until(() => w2.stderr().includes('dropped'), 8000)
    await new Promise((r) => setTimeout(r, 1500))
    expect(refusing.statuses).toEqual([400])
    expect(w2.stderr()).toContain('the webhook did not take a notification (HTTP 400); it was dropped.')
    expect(w2.stderr()).not.toContain(refusing.url)
  }, 30_000)

  it('keeps checking while a webhook hangs without an answer', async () => {
    const sim = await simulator()
    sim.control.setSeats({ purchased: 25, active: 25 })
    const receiver = await webhookReceiver([], { hang: true })
    const w = startWatch(['watch', '--data-dir', tempDir(), '--webhook', receiver.url], sim)
    await w.waitFor((l) => l.type === 'notification' && l.kind === 'out')
    await until(() => receiver.bodies.length === 1)
    sim.control.setSeats({ purchased: 25, active: 24 })
    w.child.kill('SIGUSR1')
    const started = Date.now()
    await w.waitFor((l) => l.type === 'state' && l.available === 1)
    expect(Date.now() - started).toBeLessThan(2000)
  }, 30_000)

  it('refuses a plain-http webhook, and loopback without ZOHO_ALLOW_LOOPBACK, saying so and never quoting the URL', async () => {
    const sim = await simulator()
    const secretPath = 'http://hooks.example.com/services/T000/B000/XyzzyHookPath'
    const w = startWatch(['watch', '--data-dir', tempDir(), '--webhook', secretPath], sim)
    const [code] = await once(w.child, 'exit')
    expect(code).toBe(3)
    expect(JSON.parse(w.raw[0]!)).toEqual({
      status: 'UNKNOWN',
      error: { kind: 'usage', message: '--webhook must be an https:// URL' },
    })
    expect(w.stderr()).not.toContain('XyzzyHookPath')
    const loop = startWatch(['watch', '--webhook', 'http://127.0.0.1:9/x'], sim, { ZOHO_ALLOW_LOOPBACK: '0' })
    await once(loop.child, 'exit')
    expect(JSON.parse(loop.raw[0]!).error.message).toBe(
      '--webhook to a loopback address needs ZOHO_ALLOW_LOOPBACK=1 (for tests only)',
    )
    expect(sim.control.requests()).toEqual([])
  }, 30_000)
})

// ── helpers ──────────────────────────────────────────────────────────────

type Line = Record<string, unknown> & { type: string }

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seat-tray-watch-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function simulator(scenario?: ScenarioName): Promise<Simulator> {
  const sim = await startSimulator(scenario ? { scenario } : {})
  cleanups.push(() => sim.close())
  return sim
}

function startWatch(args: string[], sim: Simulator, extraEnv: Record<string, string> = {}) {
  const child = spawn('node', [BUILT, ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      ZOHO_CLIENT_ID: sim.client.clientId,
      ZOHO_CLIENT_SECRET: sim.client.clientSecret,
      ZOHO_REFRESH_TOKEN: sim.refreshToken,
      ZOHO_ACCOUNTS_SERVER: sim.accountsServer,
      ZOHO_ALLOW_LOOPBACK: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGKILL')
    await exited
  })
  const lines: Line[] = []
  const raw: string[] = []
  let err = ''
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString()
  })
  const waiters: { match: (l: Line) => boolean; resolve: (l: Line) => void }[] = []
  createInterface({ input: child.stdout! }).on('line', (text) => {
    raw.push(text)
    let line: Line
    try {
      line = JSON.parse(text) as Line
    } catch {
      return
    }
    lines.push(line)
    for (const w of waiters.splice(0)) w.match(line) ? w.resolve(line) : waiters.push(w)
  })
  return {
    child: child as ChildProcess,
    lines,
    raw,
    stderr: () => err,
    waitFor(match: (l: Line) => boolean): Promise<Line> {
      const seen = lines.find(match)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no such line; got ${raw.join('\n')}\n${err}`)),
          15_000,
        )
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer)
            resolve(l)
          },
        })
      })
    },
  }
}

/** A script for --exec that appends its SEAT_TRAY_* and ZOHO_* environment, one JSON object a line. */
function hookScript() {
  const dir = tempDir()
  const out = join(dir, 'calls.jsonl')
  const script = join(dir, 'hook.mjs')
  writeFileSync(
    script,
    `#!/usr/bin/env node\nimport { appendFileSync } from 'node:fs'\nconst e = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(SEAT_TRAY|ZOHO)_/.test(k)))\nappendFileSync(${JSON.stringify(out)}, JSON.stringify(e) + '\\n')\nconsole.log('hook ran')\n`,
  )
  chmodSync(script, 0o755)
  return {
    script,
    calls: (): Record<string, string>[] => {
      try {
        return readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      } catch {
        return []
      }
    },
  }
}

/** A loopback stand-in for Slack: answers the given statuses first, then 200. */
async function webhookReceiver(failFirst: number[] = [], o: { hang?: boolean } = {}) {
  const bodies: string[] = []
  const statuses: number[] = []
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const status = failFirst.shift() ?? 200
    statuses.push(status)
    bodies.push(body)
    if (o.hang) return
    res.writeHead(status).end(status === 200 ? 'ok' : 'no')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r())
        server.closeAllConnections()
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/hook`, bodies, statuses }
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}
