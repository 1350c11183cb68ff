/** `seat-tray simulate`: the Zoho simulator on loopback, to try `status` and `watch` without a Zoho account. */
import type { Clock } from '../core/ports'
import { isScenarioName, SCENARIO_DESCRIPTIONS, SCENARIOS } from '../demo/scenarios'
import { startSimulator } from '../demo/simulator'
import { parseOptions, wholeNumber } from './config'
import { EXIT, UsageError } from './usage'

export const SIMULATE_HELP = `Usage: seat-tray simulate [--port N] [--scenario NAME] [--env]

Runs the Zoho simulator on 127.0.0.1 until stopped (Ctrl-C, SIGTERM) and prints where it is: one JSON line
(accountsServer, apiDomain, clientId, clientSecret, refreshToken), or with --env export lines for a shell:
  seat-tray simulate --env > sim.env &   sleep 1;   eval "$(cat sim.env)";   seat-tray status

Scenarios:
${SCENARIOS.map((s) => `  ${s.padEnd(15)} ${SCENARIO_DESCRIPTIONS[s]}`).join('\n')}
`

export interface SimulateIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  clock?: Clock
  /** Ends the simulator (the process aborts it on SIGINT/SIGTERM). Without it, it serves until the process ends. */
  signal?: AbortSignal
}

export async function simulate(args: readonly string[], io: SimulateIo): Promise<number> {
  const { values } = parseOptions(args, {
    port: { type: 'string' },
    scenario: { type: 'string' },
    env: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.stdout.write(SIMULATE_HELP)
    return EXIT.ok
  }
  const port = wholeNumber(values.port, '--port', 0, { min: 0, max: 65_535 })
  const scenario = values.scenario ?? 'steady'
  if (!isScenarioName(scenario))
    throw new UsageError(`unknown scenario "${scenario.slice(0, 40)}" (one of ${SCENARIOS.join(', ')})`)

  let sim: Awaited<ReturnType<typeof startSimulator>>
  try {
    sim = await startSimulator({ port, scenario, ...(io.clock ? { clock: io.clock } : {}) })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error
    io.stderr.write(
      `seat-tray: cannot listen on 127.0.0.1:${port} (${code}). Pick another --port, or leave it out.\n`,
    )
    return EXIT.unknown
  }
  if (values.env) {
    const vars = {
      ZOHO_CLIENT_ID: sim.client.clientId,
      ZOHO_CLIENT_SECRET: sim.client.clientSecret,
      ZOHO_REFRESH_TOKEN: sim.refreshToken,
      ZOHO_ACCOUNTS_SERVER: sim.accountsServer,
      ZOHO_ALLOW_LOOPBACK: '1',
    }
    io.stdout.write(
      Object.entries(vars)
        .map(([k, v]) => `export ${k}=${shellQuote(v)}\n`)
        .join(''),
    )
  } else {
    const line = {
      accountsServer: sim.accountsServer,
      apiDomain: sim.apiDomain,
      clientId: sim.client.clientId,
      clientSecret: sim.client.clientSecret,
      refreshToken: sim.refreshToken,
      ...(sim.secondDc ? { secondDc: sim.secondDc } : {}),
    }
    io.stdout.write(`${JSON.stringify(line)}\n`)
  }
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve()
    io.signal?.addEventListener('abort', () => resolve(), { once: true })
  })
  await sim.close()
  return EXIT.ok
}

/** Single quotes for POSIX shells: nothing inside is interpreted; a ' is written '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
