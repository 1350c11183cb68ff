/**
 * "Copy diagnostics": the report a person pastes into a support request, built from the real engine running the
 * demo against the simulator, with a failed check in its recent past. It says what support needs and holds none
 * of the secrets the engine used on the way (the simulator's refresh token and client secret, an access token, a
 * proxy password).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { EMPTY_APP_STATE } from '../../common/model'
import { diagnosticsReport, JOURNAL_SIZE, ProblemJournal } from '../../main/core/diagnostics'
import { Redactor, redactingVault } from '../../main/core/redact'
import { updateView } from '../../main/core/updates'
import { startSimulator } from '../../main/demo/simulator'
import { type Headless, MemoryVault, startHeadless } from '../helpers/headless'

const running: Headless[] = []
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const h of running.splice(0)) await h.dispose()
  for (const close of closers.splice(0)) await close()
})

describe('the diagnostics report', () => {
  it('names versions, OS, folders, each account’s data center and state, the last problems and the settings, and no secret', async () => {
    const sim = await startSimulator({ scenario: 'demo' })
    closers.push(() => sim.close())
    const redactor = new Redactor()
    const vault = redactingVault(new MemoryVault(), redactor)
    const journal = new ProblemJournal()
    let clock = Date.UTC(2026, 11, 1, 9)
    const h = startHeadless({
      vault,
      demo: async () => ({ ...sim, close: async () => {} }),
      sink: {
        publish: (state) => {
          clock += 1000
          journal.observe(state, clock)
        },
      },
    })
    running.push(h)
    await h.app.start()
    await h.app.startDemo()
    await h.app.refresh()
    // A check that fails, then one that works: both end up in the journal, and the failure cost one request.
    sim.control.failNext(1, 'unavailable')
    const before = sim.control.requests().length
    await h.app.refresh()
    expect(sim.control.requests().length - before).toBe(1)
    await h.app.refresh()
    const proxyPassword = 'Autumn-2026 pass!'
    redactor.addSecret(proxyPassword)

    const report = diagnosticsReport(
      {
        now: Date.UTC(2026, 11, 1, 10),
        appVersion: '0.1.0',
        versions: { electron: '45.5.0', chrome: '142.0.7444.59', node: '22.20.0' },
        os: { platform: 'linux', release: '6.1.0-28-amd64', arch: 'x64', version: '#1 SMP Debian' },
        install: 'appimage',
        dataDir: '/home/ana/.config/Seat Tray',
        logFile: '/home/ana/.config/Seat Tray/logs/main.log',
        state: h.app.state(),
        // Settings as stored, plus what a careless caller might pass along with them.
        settings: {
          ...h.settings.saved,
          clientSecret: sim.client.clientSecret,
          proxy: `http://ana:${proxyPassword}@proxy.office:3128`,
          lastRefresh: `refreshed with ${sim.refreshToken}`,
        },
        vaultBackend: vault.backend,
        updates: updateView({ phase: 'ready', version: '0.2.0', lastCheckedAt: Date.UTC(2026, 11, 1, 8) }),
        journal: journal.recent(),
      },
      redactor,
    )
    if (process.env.SHOW_REPORT) process.stdout.write(report)

    for (const secret of [sim.refreshToken, sim.client.clientSecret, proxyPassword])
      expect(report).not.toContain(secret)
    expect(report).not.toMatch(/1000\.[0-9a-f]{16,}\.[0-9a-f]{16,}/)
    expect(report).toContain('Seat Tray 0.1.0 (appimage)')
    expect(report).toContain('Electron 45.5.0 · Chromium 142.0.7444.59 · Node 22.20.0')
    expect(report).toContain('OS: linux 6.1.0-28-amd64 x64')
    expect(report).toContain('Data folder: /home/ana/.config/Seat Tray')
    expect(report).toContain('Secrets kept in: memory')
    expect(report).toContain(
      'Updates: ready: Seat Tray 0.2.0 is ready: it installs when you quit, or restart now.',
    )
    expect(report).toContain('acceptPlainTextSecrets: false')
    expect(report).toMatch(/Accounts \(1\)\n {2}1\. US · ready · \w+ · \d+ of \d+ free/)
    expect(report).toMatch(
      /Last problems and notices \(\d+, newest last\)\n {2}2026-12-01T09:\d\d:\d\d\.000Z account 1 \(US\): /,
    )
    expect(report).toContain('account 1 (US): recovered')
    expect(report).toContain('pollMinutes: 15')
    expect(report).toContain('clientSecret: [redacted]')
    expect(report).toContain('proxy: "http://ana:[redacted]@proxy.office:3128"')
    expect(report).toContain('lastRefresh: "refreshed with [redacted]"')
  })

  it('keeps only the last 20 problems and notices, and writes each change once', () => {
    const journal = new ProblemJournal()
    const account = { ...EMPTY_APP_STATE, accounts: [] }
    for (let i = 0; i < 30; i++) journal.observe({ ...account, notices: [`notice ${i}`] }, i)
    expect(journal.recent()).toHaveLength(JOURNAL_SIZE)
    expect(journal.recent().at(-1)).toEqual({ at: 29, text: 'notice: notice 29' })
    expect(journal.observe({ ...account, notices: ['notice 29'] }, 30)).toEqual([])
  })
})
