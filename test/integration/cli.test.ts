import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../main/cli'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'
import { buildCli } from '../helpers/built-cli'
import { VirtualClock } from '../helpers/virtual-clock'

// `seat-tray status` and `seat-tray simulate` over real loopback HTTP, as a monitoring system runs them: in this
// process through runCli, and as the built command where the process itself is what is tested.

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

describe('seat-tray status: verdicts and perfdata', () => {
  it('says OK with perfdata ranges that graph 5 free seats as fine', async () => {
    const { env } = await simulator()
    const run = await cli(['status'], env)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      'ZOHO SEATS OK - 5 of 25 seats free (20 active) | available=5;2:;1:;0;25 active=20;;;0;25 purchased=25;;;0;\n',
    )
    expect(run.stderr).toBe('')
  })

  it('keeps --warn N meaning WARNING when free ≤ N, and writes it as the range N+1:', async () => {
    const { env } = await simulator()
    const run = await cli(['status', '--warn', '5', '--crit', '2'], env)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /^ZOHO SEATS WARNING - 5 of 25 seats free \(20 active\) \| available=5;6:;3:;0;25 /,
    )
    expect((await cli(['status', '-w', '5', '-c', '2'], env)).stdout).toBe(run.stdout)
  })

  it('reads every range form with its standard meaning and prints it back in the perfdata', async () => {
    const { env } = await simulator() // 5 free
    const cases: [string[], number, string][] = [
      [['-w', '10:'], 1, 'available=5;10:;1:;'],
      [['-w', '~:3'], 1, 'available=5;~:3;1:;'],
      [['-w', '10:20'], 1, 'available=5;10:20;1:;'],
      [['-w', '@4:6'], 1, 'available=5;@4:6;1:;'],
      [['-w', '3:'], 0, 'available=5;3:;1:;'],
      [['-w', '10:', '-c', '@0:5'], 2, 'available=5;10:;@0:5;'],
      [['--warning=20:', '--critical=6:'], 2, 'available=5;20:;6:;'],
    ]
    for (const [args, code, perf] of cases) {
      const run = await cli(['status', ...args], env)
      expect({ args, code: run.code }).toEqual({ args, code })
      expect(run.stdout.split('\n')[0]).toContain(` | ${perf}`)
    }
  })

  it('says CRITICAL and exits 2 when every seat is taken', async () => {
    const { env } = await simulator('freed')
    const run = await cli(['status'], env)
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(
      /^ZOHO SEATS CRITICAL - 0 of 25 seats free \(25 active\) \| available=0;2:;1:;/,
    )
  })

  it('refuses -w 10 -c 20, where WARNING could never fire, before asking Zoho anything', async () => {
    const { sim, env } = await simulator()
    const run = await cli(['status', '--warn', '10', '--crit', '20'], env)
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/^ZOHO SEATS UNKNOWN - -c alerts on every free-seat count that -w does/)
    expect(sim.control.requests()).toEqual([])
  })

  it('prints one JSON object with --json, including the org and the thresholds used', async () => {
    const { env } = await simulator()
    const run = await cli(['status', '--json'], env)
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const out = JSON.parse(lines[0]!)
    expect(out).toMatchObject({ purchased: 25, active: 20, available: 5, status: 'OK' })
    expect(out.thresholds).toEqual({ warning: '2:', critical: '1:' })
    expect(out.org).toMatchObject({ name: 'Zylker Traders', id: '4150868000000225013' })
    expect(new Date(out.checkedAt).toISOString()).toBe(out.checkedAt)
  })

  it('prints the figures as OpenMetrics text for node_exporter', async () => {
    const { env } = await simulator()
    const run = await cli(['status', '--format', 'openmetrics'], env)
    expect(run.code).toBe(0)
    expectValidExposition(run.stdout)
    expect(run.stdout).toContain('seat_tray_seats_available{accounts_server="127.0.0.1:')
    expect(run.stdout).toMatch(/^seat_tray_check_success\{[^}]*\} 1$/m)
    expect(run.stdout).toMatch(/^seat_tray_seats_purchased\{[^}]*\} 25$/m)
  })

  it('adds the org, the time of the check, the data center and the thresholds with -v', async () => {
    const { sim, env } = await simulator()
    sim.control.setOrg({ companyName: 'Acme | Co\nWARNING - forged' })
    const run = await cli(['status', '-v'], env)
    const [first, ...more] = run.stdout.trim().split('\n')
    expect(first).toMatch(/^ZOHO SEATS OK - /)
    expect(more[0]).toBe('org: Acme / Co WARNING - forged (id 4150868000000225013)')
    expect(more[1]).toMatch(/^checked at: \d{4}-\d\d-\d\dT/)
    expect(more[2]).toContain(`data center: not a Zoho data center (${env.ZOHO_ACCOUNTS_SERVER}`)
    expect(more[3]).toBe('thresholds: warning 2:, critical 1: (perfdata ranges: alert outside)')
    expect(run.stdout.split('\n').filter((l) => l.includes('|'))).toHaveLength(1)
  })

  it('asks the data center the refresh names for the counts, unless ZOHO_API_DOMAIN says otherwise', async () => {
    const { sim, env } = await simulator('second-dc')
    const eu = { ...env, ZOHO_ACCOUNTS_SERVER: sim.secondDc!.accountsServer }
    expect((await cli(['status', '--no-token-cache'], eu)).code).toBe(0)
    expect(
      sim.control
        .requests()
        .filter((r) => r.path.startsWith('/crm/'))
        .map((r) => r.dc),
    ).toEqual(['eu'])
    // EU tokens are no good at the US API: Zoho says INVALID_TOKEN, the session refreshes once, then gives up.
    const forced = await cli(['status', '--no-token-cache'], { ...eu, ZOHO_API_DOMAIN: sim.apiDomain })
    expect(forced.code).toBe(3)
  })
})

describe('seat-tray status: one first line on stdout, whatever happens', () => {
  it('answers every failure with exactly one UNKNOWN line, one JSON object, or valid OpenMetrics', async () => {
    const { env } = await simulator()
    const { env: revoked } = await simulator('revoked')
    const failures: [string[], Record<string, string | undefined>][] = [
      [['--bogus'], env],
      [['-w'], env],
      [['-w', 'many'], env],
      [['-t', 'soon'], env],
      [['--format', 'xml'], env],
      [['extra'], env],
      [[], { ZOHO_CLIENT_ID: 'x' }],
      [[], { ...env, ZOHO_ALLOW_LOOPBACK: 'maybe' }],
      [[], revoked],
    ]
    for (const [args, e] of failures) {
      const plain = await cli(['status', ...args], e)
      expect({ args, code: plain.code }).toEqual({ args, code: 3 })
      expect(plain.stdout).toMatch(/^ZOHO SEATS UNKNOWN - [^\n|]+\n$/)

      const json = await cli(['status', '--json', ...args], e)
      const lines = json.stdout.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(JSON.parse(lines[0]!)).toMatchObject({
        status: 'UNKNOWN',
        error: { message: expect.any(String) },
      })

      const om = await cli(['status', '--format', 'openmetrics', ...args], e)
      expect(om.code).toBe(3)
      expectValidExposition(om.stdout)
      expect(om.stdout).toMatch(/^seat_tray_check_success\{[^}]*\} 0$/m)
    }
  })

  it('prints an UNKNOWN line for an unknown command or none at all, with the usage on stderr', async () => {
    for (const argv of [['bogus'], []]) {
      const run = await cli(argv, {})
      expect(run.code).toBe(3)
      expect(run.stdout).toMatch(/^ZOHO SEATS UNKNOWN - [^\n]+\n$/)
      expect(run.stderr).toContain('Usage: seat-tray COMMAND')
    }
  })

  it('names every missing variable', async () => {
    const run = await cli(['status'], { ZOHO_CLIENT_ID: 'x' })
    expect(run.stdout).toBe(
      'ZOHO SEATS UNKNOWN - Set ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN in the environment (see seat-tray status --help).\n',
    )
  })

  it('speaks to the person at the monitoring screen, never with the desktop app’s advice', async () => {
    const said: Record<string, string> = {}
    for (const scenario of [
      'revoked',
      'throttled',
      'rate-limited',
      'scope-mismatch',
      'no-content',
    ] as const) {
      const { env } = await simulator(scenario)
      const run = await cli(['status', '--no-token-cache'], env)
      expect({ scenario, code: run.code }).toEqual({ scenario, code: 3 })
      said[scenario] = run.stdout
      expect(run.stdout + run.stderr).not.toMatch(/Sign in again|Seat Tray will|For this command/)
    }
    expect(said.revoked).toMatch(/ZOHO_REFRESH_TOKEN .*Make a new one.*\(invalid_code\)/)
    expect(said.throttled).toContain('more than 10 in 10 minutes')
    expect(said['rate-limited']).toMatch(/asked for fewer calls. Check less often. \(HTTP 429\)\n$/)
    expect(said['scope-mismatch']).toContain('ZohoCRM.features.READ')
  })

  it('never prints the client secret or the refresh token', async () => {
    const { env } = await simulator('revoked')
    for (const args of [
      ['status'],
      ['status', '--json'],
      ['status', '-v'],
      ['status', '--format', 'openmetrics'],
    ]) {
      const run = await cli(args, env)
      for (const secret of [env.ZOHO_CLIENT_SECRET!, env.ZOHO_REFRESH_TOKEN!]) {
        expect(run.stdout + run.stderr).not.toContain(secret)
      }
    }
  })

  it('prints help and version on stdout and exits 0', async () => {
    for (const argv of [
      ['status', '-h'],
      ['status', '--help'],
      ['watch', '--help'],
      ['simulate', '-h'],
      ['-h'],
    ]) {
      const run = await cli(argv, {})
      expect({ argv, code: run.code }).toEqual({ argv, code: 0 })
      expect(run.stdout).toMatch(/^Usage: seat-tray/)
    }
    expect((await cli(['status', '-V'], {})).stdout).toMatch(/^seat-tray \d+\.\d+\.\d+\n$/)
    expect((await cli(['--version'], {})).stdout).toMatch(/^seat-tray \d+\.\d+\.\d+\n$/)
  })
})

describe('seat-tray status: the environment', () => {
  it('refuses to send secrets to a server that is not Zoho unless loopback is allowed', async () => {
    const { sim, env } = await simulator()
    const run = await cli(['status'], { ...env, ZOHO_ALLOW_LOOPBACK: undefined })
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('is not a Zoho host, so nothing was sent to it')
    expect(sim.control.requests()).toEqual([])
  })

  it('takes 1, true and yes (any case) for ZOHO_ALLOW_LOOPBACK', async () => {
    const { env } = await simulator()
    for (const value of ['1', 'true', 'yes', 'TRUE', 'Yes']) {
      expect((await cli(['status'], { ...env, ZOHO_ALLOW_LOOPBACK: value })).code).toBe(0)
    }
    const bad = await cli(['status'], { ...env, ZOHO_ALLOW_LOOPBACK: 'sure' })
    expect(bad.stdout).toBe(
      'ZOHO SEATS UNKNOWN - ZOHO_ALLOW_LOOPBACK must be 1, true or yes (or 0, false, no), not "sure"\n',
    )
  })

  it('accepts a Zoho host written without a scheme and talks https to it', async () => {
    const asked: string[] = []
    const run = await cli(
      ['status', '--no-token-cache'],
      {
        ZOHO_CLIENT_ID: '1000.X',
        ZOHO_CLIENT_SECRET: 's',
        ZOHO_REFRESH_TOKEN: 'r',
        ZOHO_ACCOUNTS_SERVER: 'accounts.zoho.eu',
      },
      async (url) => {
        asked.push(String(url))
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } })
      },
    )
    expect(asked).toEqual(['https://accounts.zoho.eu/oauth/v2/token'])
    expect(run.stdout).toBe(
      'ZOHO SEATS UNKNOWN - Zoho could not be reached from this host. Check DNS, the firewall and outbound HTTPS. (ENOTFOUND)\n',
    )
  })
})

describe('seat-tray status: the timeout budget', () => {
  it('gives up at -t for the whole run, not per request, and asks Zoho no more after', async () => {
    const { sim, env } = await simulator()
    sim.control.failNext(1, 'hang', 'crm')
    const started = Date.now()
    const run = await cli(['status', '-t', '1', '--no-token-cache'], env)
    const took = Date.now() - started
    expect(run.code).toBe(3)
    expect(run.stdout).toBe(
      'ZOHO SEATS UNKNOWN - Zoho did not answer in time. Check this host’s network, or raise -t. (no answer within the 1 s budget of -t)\n',
    )
    expect(took).toBeGreaterThanOrEqual(950)
    expect(took).toBeLessThan(2500)
    await new Promise((r) => setTimeout(r, 300))
    expect(sim.control.requests().map((r) => r.path)).toEqual([
      '/oauth/v2/token',
      '/crm/v7/__features/user_licenses',
    ])
  })

  it('ends the built command within the budget when Zoho hangs (default 10 s, so well inside Nagios’ 60 s)', async () => {
    const { sim, env } = await simulator()
    sim.control.failNext(1, 'hang', 'token')
    const started = Date.now()
    const run = await built(['status', '-t', '2'], env)
    expect(run.code).toBe(3)
    expect(Date.now() - started).toBeLessThan(4500)
    expect(run.stdout.split('\n')).toHaveLength(2)
    expect(run.stdout).toMatch(/^ZOHO SEATS UNKNOWN - Zoho did not answer in time/)
  }, 20_000)
})

describe('seat-tray status: the token cache', () => {
  it('asks Zoho for one access token across many runs of the built command', async () => {
    const { sim, env } = await simulator()
    for (let i = 0; i < 8; i++) {
      const run = await built(['status'], env)
      expect(run.code).toBe(0)
    }
    expect(tokenRequests(sim)).toBe(1)
    expect(crmRequests(sim)).toBe(8)
  }, 60_000)

  it('asks for one token when several checks start at the same moment with an empty cache', async () => {
    const { sim, env } = await simulator()
    const runs = await Promise.all(Array.from({ length: 4 }, () => built(['status'], env)))
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0])
    expect(tokenRequests(sim)).toBe(1)
  }, 60_000)

  it('keeps only the access token, in a 0600 file in a 0700 folder under XDG_CACHE_HOME', async () => {
    const { env } = await simulator()
    await cli(['status'], env)
    const dir = join(env.XDG_CACHE_HOME!, 'seat-tray')
    const files = readdirSync(dir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^token-[0-9a-f]{32}\.json$/)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600)
    const text = readFileSync(join(dir, files[0]!), 'utf8')
    expect(text).not.toContain(env.ZOHO_REFRESH_TOKEN!)
    expect(text).not.toContain(env.ZOHO_CLIENT_SECRET!)
    expect(Object.keys(JSON.parse(text)).sort()).toEqual(['accessToken', 'apiDomain', 'expiresAt'])
  })

  it('does not trust a cache file others could read, and replaces it', async () => {
    const { sim, env } = await simulator()
    await cli(['status'], env)
    const dir = join(env.XDG_CACHE_HOME!, 'seat-tray')
    const file = join(dir, readdirSync(dir)[0]!)
    chmodSync(file, 0o644)
    await cli(['status'], env)
    expect(tokenRequests(sim)).toBe(2)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('drops a kept token Zoho rejects, gets one new token, and keeps that one', async () => {
    const { sim, env } = await simulator()
    await cli(['status'], env)
    sim.control.failNext(1, 'invalid-token', 'crm')
    expect((await cli(['status'], env)).code).toBe(0)
    expect((await cli(['status'], env)).code).toBe(0)
    expect(tokenRequests(sim)).toBe(2)
  })

  it('forgets the kept token when the refresh token is revoked, so nothing stale is tried again', async () => {
    const { sim, env } = await simulator()
    await cli(['status'], env)
    const dir = join(env.XDG_CACHE_HOME!, 'seat-tray')
    expect(readdirSync(dir)).toHaveLength(1)
    sim.control.revokeAll()
    const run = await cli(['status'], env)
    expect(run.code).toBe(3)
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toEqual([])
  })

  it('takes over a lock left by a check that was killed, instead of waiting for it', async () => {
    const { sim, env } = await simulator()
    const dir = join(env.XDG_CACHE_HOME!, 'seat-tray')
    await cli(['status', '--no-token-cache'], env) // learn nothing; just to know the file name below
    await cli(['status'], env)
    const file = readdirSync(dir).find((f) => f.endsWith('.json'))!
    rmSync(join(dir, file))
    const dead = spawn('node', ['-e', ''])
    await once(dead, 'exit')
    writeFileSync(join(dir, `${file}.lock`), String(dead.pid))
    const started = Date.now()
    const run = await cli(['status'], env)
    expect(run.code).toBe(0)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock'))).toEqual([])
    expect(tokenRequests(sim)).toBe(3)
  })

  it('waits at most half the budget for a lock a live check holds, then checks anyway', async () => {
    const { env } = await simulator()
    const dir = join(env.XDG_CACHE_HOME!, 'seat-tray')
    await cli(['status'], env)
    const file = readdirSync(dir).find((f) => f.endsWith('.json'))!
    rmSync(join(dir, file))
    writeFileSync(join(dir, `${file}.lock`), String(process.pid))
    const started = Date.now()
    const run = await cli(['status', '-t', '2'], env)
    expect(run.code).toBe(0)
    const took = Date.now() - started
    expect(took).toBeGreaterThanOrEqual(900)
    expect(took).toBeLessThan(1900)
  })

  it('reuses the kept token until five minutes before it expires, then gets one new one', async () => {
    const clock = new VirtualClock(Date.now())
    const sim = await startSimulator({ clock })
    cleanups.push(() => sim.close())
    const env = { ...envOf(sim), XDG_CACHE_HOME: tempDir() }
    let elapsed = 0
    const at = async (minutes: number) => {
      await clock.advance((minutes - elapsed) * 60_000)
      elapsed = minutes
      return (await cli(['status'], env, undefined, clock)).code
    }
    expect(await at(0)).toBe(0)
    expect(await at(30)).toBe(0)
    expect(await at(54)).toBe(0)
    expect(tokenRequests(sim)).toBe(1)
    expect(await at(56)).toBe(0)
    expect(tokenRequests(sim)).toBe(2)
    expect(await at(100)).toBe(0)
    expect(tokenRequests(sim)).toBe(2)
  })

  it('uses another file for another refresh token, and --token-cache DIR or --no-token-cache when told', async () => {
    const { sim, env } = await simulator()
    await cli(['status'], env)
    await cli(['status'], { ...env, ZOHO_REFRESH_TOKEN: sim.control.mintRefreshToken() })
    expect(tokenRequests(sim)).toBe(2)
    const own = mkdtempSync(join(tmpdir(), 'seat-tray-own-cache-'))
    cleanups.push(() => rmSync(own, { recursive: true, force: true }))
    await cli(['status', '--token-cache', own], env)
    await cli(['status', '--token-cache', own], env)
    expect(readdirSync(own)).toHaveLength(1)
    expect(tokenRequests(sim)).toBe(3)
    await cli(['status', '--no-token-cache'], env)
    await cli(['status', '--no-token-cache'], env)
    expect(tokenRequests(sim)).toBe(5)
  })
})

describe('seat-tray simulate', () => {
  it('prints export lines a shell can eval, and status works with them', async () => {
    const child = spawn('node', [BUILT, 'simulate', '--env'], { stdio: ['ignore', 'pipe', 'inherit'] })
    cleanups.push(() => stop(child))
    const lines: string[] = []
    const rl = createInterface({ input: child.stdout! })
    for await (const line of rl) {
      lines.push(line)
      if (lines.length === 5) break
    }
    for (const line of lines) expect(line).toMatch(/^export ZOHO_[A-Z_]+='[^']*'$/)
    const cache = tempDir()
    const script = `eval "$1"; XDG_CACHE_HOME="$2" node ${BUILT} status`
    const out = await new Promise<string>((resolve) =>
      execFile(
        'sh',
        ['-c', script, 'sh', lines.join('\n'), cache],
        { env: { PATH: process.env.PATH } },
        (_e, o) => resolve(o),
      ),
    )
    expect(out).toMatch(/^ZOHO SEATS OK - 5 of 25 seats free/)
  }, 30_000)

  it('says which port is taken instead of crashing when it cannot listen', async () => {
    const { sim } = await simulator()
    const taken = new URL(sim.accountsServer).port
    const run = await cli(['simulate', '--port', taken], {})
    expect(run.code).toBe(3)
    expect(run.stderr).toBe(
      `seat-tray: cannot listen on 127.0.0.1:${taken} (EADDRINUSE). Pick another --port, or leave it out.\n`,
    )
  })

  it('rejects an unknown scenario with the list', async () => {
    const run = await cli(['simulate', '--scenario', 'chaos'], {})
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('unknown scenario "chaos"')
  })
})

// ── helpers ──────────────────────────────────────────────────────────────

type Env = Record<string, string | undefined>

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seat-tray-cli-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function simulator(scenario?: ScenarioName): Promise<{ sim: Simulator; env: Env }> {
  const sim = await startSimulator(scenario ? { scenario } : {})
  cleanups.push(() => sim.close())
  return { sim, env: envOf(sim) }
}

function envOf(sim: Simulator): Env {
  return {
    ZOHO_CLIENT_ID: sim.client.clientId,
    ZOHO_CLIENT_SECRET: sim.client.clientSecret,
    ZOHO_REFRESH_TOKEN: sim.refreshToken,
    ZOHO_ACCOUNTS_SERVER: sim.accountsServer,
    ZOHO_ALLOW_LOOPBACK: '1',
    // Each test its own token cache, never the real ~/.cache.
    XDG_CACHE_HOME: tempDir(),
    HOME: '/nonexistent',
  }
}

function tokenRequests(sim: Simulator): number {
  return sim.control.requests().filter((r) => r.path === '/oauth/v2/token').length
}

function crmRequests(sim: Simulator): number {
  return sim.control.requests().filter((r) => r.path.startsWith('/crm/')).length
}

async function cli(
  args: string[],
  env: Env,
  fetchImpl?: (url: string | URL | Request) => Promise<Response>,
  clock?: VirtualClock,
) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    env,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    ...(clock ? { clock } : {}),
  })
  return { code, stdout, stderr }
}

/** The built command as a monitoring system runs it: a fresh process, its exit code, its stdout. */
function built(args: string[], env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'node',
      [BUILT, ...args],
      { env: { PATH: process.env.PATH, ...env } },
      (_e, stdout, stderr) => resolve({ code: child.exitCode ?? -1, stdout, stderr }),
    )
  })
}

async function stop(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

/** Every line a metric sample, a HELP/TYPE comment, or the closing `# EOF`, which comes last. */
function expectValidExposition(text: string): void {
  expect(text.endsWith('# EOF\n')).toBe(true)
  const lines = text.slice(0, -1).split('\n')
  for (const line of lines.slice(0, -1)) {
    expect(line).toMatch(
      /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="([^"\\\n]|\\.)*"(,[a-z_]+="([^"\\\n]|\\.)*")*\})? -?\d+(\.\d+)?)$/,
    )
  }
}
