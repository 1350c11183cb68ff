import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../../main/cli'
import { type ScenarioName, type Simulator, startSimulator } from '../../main/demo/simulator'

// `seat-tray simulate` and `seat-tray status` together, over real loopback HTTP, as a monitoring system runs them.

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('seat-tray status against seat-tray simulate', () => {
  it('says OK and exits 0 when seats are free', async () => {
    const env = await simulate('steady')
    const run = await cli(['status'], env)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      'ZOHO SEATS OK - 5 of 25 seats free (20 active) | available=5;1;0;0;25 active=20;;;0;25 purchased=25;;;0;\n',
    )
    expect(run.stderr).toBe('')
  })

  it('says WARNING and exits 1 when free seats are at the warning threshold', async () => {
    const env = await simulate('steady')
    const run = await cli(['status', '--warn', '5', '--crit', '2'], env)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /^ZOHO SEATS WARNING - 5 of 25 seats free \(20 active\) \| available=5;5;2;0;25 /,
    )
  })

  it('says CRITICAL and exits 2 when every seat is taken', async () => {
    const env = await simulate('freed')
    const run = await cli(['status'], env)
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(/^ZOHO SEATS CRITICAL - 0 of 25 seats free \(25 active\)/)
  })

  it('says UNKNOWN, exits 3 and tells what to do on stderr when the refresh token was revoked', async () => {
    const env = await simulate('revoked')
    const run = await cli(['status'], env)
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/^ZOHO SEATS UNKNOWN - Zoho no longer accepts this sign-in/)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(run.stderr).toContain('put a new refresh token in ZOHO_REFRESH_TOKEN')
    expect(run.stderr).toContain('invalid_code')
  })

  it('exits 3 with Zoho’s request to slow down when the CRM is rate-limited', async () => {
    const env = await simulate('rate-limited')
    const run = await cli(['status'], env)
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('Zoho asked us to slow down')
  })

  it('prints one JSON object with --json, including the org', async () => {
    const env = await simulate('steady')
    const run = await cli(['status', '--json'], env)
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const out = JSON.parse(lines[0]!)
    expect(out).toMatchObject({ purchased: 25, active: 20, available: 5, status: 'OK' })
    expect(out.org).toMatchObject({ name: 'Zylker Traders', id: '4150868000000225013' })
    expect(new Date(out.checkedAt).toISOString()).toBe(out.checkedAt)
  })

  it('adds the org, the time of the check and the data center with --verbose', async () => {
    const env = await simulate('steady')
    const run = await cli(['status', '--verbose'], env)
    const [, ...more] = run.stdout.trim().split('\n')
    expect(more[0]).toBe('org: Zylker Traders (id 4150868000000225013)')
    expect(more[1]).toMatch(/^checked at: \d{4}-\d\d-\d\dT/)
    expect(more[2]).toContain(`data center: not a Zoho data center (${env.ZOHO_ACCOUNTS_SERVER}`)
  })

  it('never prints the client secret or the refresh token', async () => {
    const env = await simulate('revoked')
    for (const args of [['status'], ['status', '--json'], ['status', '--verbose']]) {
      const run = await cli(args, env)
      for (const secret of [env.ZOHO_CLIENT_SECRET!, env.ZOHO_REFRESH_TOKEN!]) {
        expect(run.stdout + run.stderr).not.toContain(secret)
      }
    }
  })
})

describe('seat-tray status, configured from the environment', () => {
  it('reads the seats the simulator is told to show: 1 free is a WARNING at the default threshold', async () => {
    const sim = await simulator()
    sim.control.setSeats({ purchased: 25, active: 24 })
    const run = await cli(['status'], envFor(sim))
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /^ZOHO SEATS WARNING - 1 of 25 seats free \(24 active\) \| available=1;1;0;0;25 /,
    )
  })

  it('names every missing variable and exits 3', async () => {
    const run = await cli(['status'], { ZOHO_CLIENT_ID: 'x' })
    expect(run.code).toBe(3)
    expect(run.stderr).toBe(
      'seat-tray: Set ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN in the environment (see seat-tray --help).\n',
    )
  })

  it('refuses to send secrets to a server that is not Zoho unless loopback is allowed', async () => {
    const sim = await simulator()
    const run = await cli(['status'], { ...envFor(sim), ZOHO_ALLOW_LOOPBACK: undefined })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('must be Zoho hosts')
    expect(sim.control.requests()).toEqual([])
  })

  it('asks the data center the refresh names for the counts, unless ZOHO_API_DOMAIN says otherwise', async () => {
    const sim = await simulator('second-dc')
    const eu = { ...envFor(sim), ZOHO_ACCOUNTS_SERVER: sim.secondDc!.accountsServer }
    expect((await cli(['status'], eu)).code).toBe(0)
    expect(
      sim.control
        .requests()
        .filter((r) => r.path.startsWith('/crm/'))
        .map((r) => r.dc),
    ).toEqual(['eu'])

    // EU tokens are no good at the US API: Zoho says INVALID_TOKEN, the session refreshes once, then gives up.
    const forced = await cli(['status'], { ...eu, ZOHO_API_DOMAIN: sim.apiDomain })
    expect(forced.code).toBe(3)
  })

  it('says which port is taken instead of crashing when simulate cannot listen', async () => {
    const taken = new URL((await simulator()).accountsServer).port
    const run = await cli(['simulate', '--port', taken], {})
    expect(run.code).toBe(3)
    expect(run.stderr).toBe(
      `seat-tray: cannot listen on 127.0.0.1:${taken} (EADDRINUSE). Pick another --port, or leave it out.\n`,
    )
  })

  it('rejects unknown commands and bad numbers with the usage and exit 3', async () => {
    expect((await cli(['bogus'], {})).code).toBe(3)
    const bad = await cli(['status', '--warn', 'many'], {})
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('--warn needs a whole number')
    expect((await cli(['simulate', '--scenario', 'chaos'], {})).stderr).toContain('unknown scenario "chaos"')
  })
})

describe('seat-tray as a process', () => {
  it('serves the simulator from `npx tsx main/cli.ts simulate` until it is told to stop', async () => {
    const child = spawn('npx', ['tsx', 'main/cli.ts', 'simulate', '--scenario', 'filling'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    cleanups.push(() => stopGroup(child))
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
    const env = simEnv(JSON.parse(line))

    const run = await cli(['status'], env)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^ZOHO SEATS OK - 5 of 25 seats free/)

    await stopGroup(child)
    await expect(fetch(`${env.ZOHO_ACCOUNTS_SERVER}/oauth/v2/auth`)).rejects.toThrow()
  }, 60_000)
})

type Env = Record<string, string | undefined>

/** Runs `seat-tray simulate` in this process and returns the environment `status` needs to check it. */
async function simulate(scenario: ScenarioName): Promise<Env> {
  const stop = new AbortController()
  let printed = ''
  let announce: (line: string) => void = () => {}
  const ready = new Promise<string>((resolve) => {
    announce = resolve
  })
  const done = runCli(['simulate', '--scenario', scenario], {
    env: {},
    stdout: {
      write: (text: string) => {
        printed += text
        if (printed.includes('\n')) announce(printed)
      },
    },
    stderr: { write: () => true },
    signal: stop.signal,
  })
  cleanups.push(async () => {
    stop.abort()
    expect(await done).toBe(0)
  })
  return simEnv(JSON.parse(await ready))
}

function simEnv(line: {
  clientId: string
  clientSecret: string
  refreshToken: string
  accountsServer: string
}): Env {
  return {
    ZOHO_CLIENT_ID: line.clientId,
    ZOHO_CLIENT_SECRET: line.clientSecret,
    ZOHO_REFRESH_TOKEN: line.refreshToken,
    ZOHO_ACCOUNTS_SERVER: line.accountsServer,
    ZOHO_ALLOW_LOOPBACK: '1',
  }
}

async function simulator(scenario?: ScenarioName): Promise<Simulator> {
  const sim = await startSimulator(scenario ? { scenario } : {})
  cleanups.push(() => sim.close())
  return sim
}

function envFor(sim: Simulator): Env {
  return simEnv({ ...sim.client, refreshToken: sim.refreshToken, accountsServer: sim.accountsServer })
}

async function cli(args: string[], env: Env) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    env,
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  })
  return { code, stdout, stderr }
}

/** SIGTERM to the process group we started (npx → tsx → node), then wait for it to end. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  try {
    process.kill(-child.pid!, 'SIGTERM')
  } catch {
    return
  }
  await exited
}
