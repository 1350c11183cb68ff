/**
 * `seat-tray status` as a 1-minute (here: 1-second) check: the built command run once a second for a minute
 * against the simulator, as a fresh process each time, as Nagios runs it. Counts token requests at the simulator.
 * Baseline in the same run: the same with --no-token-cache, i.e. what every run cost before the cache
 * (stopped at Zoho's limit of 10 per 10 minutes, after which every run would be refused).
 * SEAT_TRAY_BENCH_RUNS and SEAT_TRAY_BENCH_GAP_MS shorten it.
 */
import { execFile, execFileSync } from 'node:child_process'
import { startSimulator } from '../../main/demo/simulator'
import type { Report } from '../report'

const RUNS = Number(process.env.SEAT_TRAY_BENCH_RUNS ?? 60)
const GAP_MS = Number(process.env.SEAT_TRAY_BENCH_GAP_MS ?? 1000)
const BASELINE_RUNS = 10
const BUILT = 'out/cli/seat-tray.mjs'

export async function run(report: Report): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build:cli'], { stdio: 'inherit' })
  const cached = await series(report.scratchDir(), RUNS, GAP_MS, [])
  const uncached = await series(report.scratchDir(), BASELINE_RUNS, 0, ['--no-token-cache'])
  report.figure({
    bench: 'cli.status.token-requests',
    impl: 'token-cache',
    runs: RUNS,
    gapMs: GAP_MS,
    ...cached,
  })
  report.figure({ bench: 'cli.status.token-requests', impl: 'no-cache', runs: BASELINE_RUNS, ...uncached })
  report.table(
    `seat-tray status, ${RUNS} runs ${GAP_MS} ms apart (each a new process) against the simulator`,
    ['impl', 'runs', 'token requests', 'OK exits', 'other exits', 'median ms'],
    [
      [
        '--no-token-cache (baseline)',
        BASELINE_RUNS,
        uncached.tokenRequests,
        uncached.ok,
        uncached.other,
        uncached.medianMs,
      ],
      ['token cache (ours)', RUNS, cached.tokenRequests, cached.ok, cached.other, cached.medianMs],
    ],
  )
  report.target(
    `${RUNS} runs cost at most 1 token request and never leave OK`,
    cached.tokenRequests <= 1 && cached.ok === RUNS,
    `${cached.tokenRequests} token requests, ${cached.ok}/${RUNS} OK`,
  )
}

async function series(cacheDir: string, runs: number, gapMs: number, extra: string[]) {
  const sim = await startSimulator()
  const env = {
    PATH: process.env.PATH,
    HOME: cacheDir,
    XDG_CACHE_HOME: cacheDir,
    ZOHO_CLIENT_ID: sim.client.clientId,
    ZOHO_CLIENT_SECRET: sim.client.clientSecret,
    ZOHO_REFRESH_TOKEN: sim.refreshToken,
    ZOHO_ACCOUNTS_SERVER: sim.accountsServer,
    ZOHO_ALLOW_LOOPBACK: '1',
  }
  let ok = 0
  const times: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      const started = Date.now()
      const code = await new Promise<number>((resolve) => {
        const child = execFile('node', [BUILT, 'status', ...extra], { env }, () =>
          resolve(child.exitCode ?? -1),
        )
      })
      times.push(Date.now() - started)
      if (code === 0) ok++
      const wait = gapMs - (Date.now() - started)
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    }
    const tokenRequests = sim.control.requests().filter((r) => r.path === '/oauth/v2/token').length
    times.sort((a, b) => a - b)
    return { tokenRequests, ok, other: runs - ok, medianMs: times[Math.floor(times.length / 2)] ?? 0 }
  } finally {
    await sim.close()
  }
}
