/**
 * One poll cycle: how much CPU Seat Tray spends per check beyond the network itself.
 *
 * The simulator runs in a child process, so this process's CPU time (process.cpuUsage) is only the client's.
 * Baseline, in the same run: a bare `fetch` of the same endpoint with the same token plus `res.json()` — the cost
 * of the HTTP request alone. Ours: `app.refresh()` through the real composition (session, CRM client and parser,
 * history, alerts, tray model, state push). The difference is what the engine adds; the target is under 1 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { DEFAULT_SETTINGS, type Settings } from '../../common/settings'
import { createSeatTray } from '../../main/core/app'
import { MemoryVault } from '../../main/core/memory-vault'
import { type SettingsStore, systemClock } from '../../main/core/ports'
import { refreshAccessToken } from '../../main/core/zoho/oauth'
import { RecordingNotifier } from '../../test/doubles/recording-notifier'
import { median, type Report, round } from '../report'

const ROUNDS = 7
const CHECKS_PER_ROUND = 60
const policy = { allowLoopback: true }

interface SimInfo {
  accountsServer: string
  apiDomain: string
  clientId: string
  clientSecret: string
  refreshToken: string
}

export async function run(report: Report): Promise<void> {
  const { child, info } = await startSimulatorProcess()
  try {
    const client = { clientId: info.clientId, clientSecret: info.clientSecret }
    const grant = await refreshAccessToken(
      { fetch, clock: systemClock },
      { client, accountsServer: info.accountsServer, refreshToken: info.refreshToken, hostPolicy: policy },
    )
    const url = `${info.apiDomain}/crm/v7/__features/user_licenses`
    const headers = { Authorization: `Zoho-oauthtoken ${grant.accessToken}` }
    const bare = async () => {
      const res = await fetch(url, { headers })
      await res.json()
    }

    const vault = new MemoryVault()
    await vault.set('refresh:bench', info.refreshToken)
    let saved: Settings = {
      ...structuredClone(DEFAULT_SETTINGS),
      accounts: [
        {
          id: 'bench',
          dataCenter: 'US',
          accountsServer: info.accountsServer,
          apiDomain: info.apiDomain,
          orgId: '1',
          orgName: 'Bench Org',
          addedAt: 0,
        },
      ],
    }
    const settings: SettingsStore = { load: () => ({ settings: saved }), save: (s) => (saved = s) }
    const app = createSeatTray({
      fetch: (u, init) => fetch(u, init),
      clock: systemClock,
      vault,
      notifier: new RecordingNotifier(),
      tray: { render: () => {} },
      sink: { publish: () => {} },
      authBrowser: { authorize: () => Promise.reject(new Error('no sign-in in the bench')) },
      settings,
      dataDir: report.scratchDir(),
      buildClient: client,
      hostPolicy: policy,
    })
    await app.start()
    const cycle = () => app.refresh()

    // Warm both paths (JIT, keep-alive sockets, the first token and org call).
    for (let i = 0; i < 30; i++) {
      await bare()
      await cycle()
    }
    const bareMs: number[] = []
    const cycleMs: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      bareMs.push(await cpuPerCall(bare))
      cycleMs.push(await cpuPerCall(cycle))
    }
    await app.stop()

    const base = median(bareMs)
    const ours = median(cycleMs)
    const extra = ours - base
    report.figure({ bench: 'poll.cpu', impl: 'bare-fetch', ms: round(base) })
    report.figure({ bench: 'poll.cpu', impl: 'seat-tray', ms: round(ours) })
    report.figure({ bench: 'poll.cpu.extra', ms: round(extra), ratio: round(ours / base) })
    report.table(
      `CPU per check (median of ${ROUNDS} rounds × ${CHECKS_PER_ROUND} checks, simulator in another process)`,
      ['path', 'CPU ms per check'],
      [
        ['bare fetch + res.json() (baseline)', round(base)],
        ['Seat Tray poll cycle', round(ours)],
        ['added by Seat Tray', round(extra)],
      ],
    )
    report.target(
      'one poll cycle costs under 1 ms of CPU beyond the network',
      extra < 1,
      `${round(extra)} ms added (${round(ours / base)}× the bare request)`,
    )
  } finally {
    child.kill('SIGTERM')
  }
}

async function cpuPerCall(call: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage()
  for (let i = 0; i < CHECKS_PER_ROUND; i++) await call()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000 / CHECKS_PER_ROUND
}

async function startSimulatorProcess(): Promise<{ child: ChildProcess; info: SimInfo }> {
  const child = spawn('node_modules/.bin/tsx', ['main/cli.ts', 'simulate', '--scenario', 'steady'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })
  for await (const line of lines) {
    if (line.trim().startsWith('{')) return { child, info: JSON.parse(line) as SimInfo }
  }
  throw new Error('the simulator exited before printing its endpoints')
}
