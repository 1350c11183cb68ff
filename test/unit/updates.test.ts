/**
 * The update decisions in virtual time: when Seat Tray checks, downloads, tells the person and installs, and how it
 * backs off. The source is a programmable feed that counts every request, so a test also proves nothing is asked
 * more often than the rules say.
 */
import { describe, expect, it } from 'vitest'
import {
  decide,
  INITIAL_UPDATE_STATE,
  type InstallKind,
  installKindOf,
  retryDelayMs,
  UPDATE_TIMING,
  UpdateController,
  type UpdatePolicy,
  type UpdateSource,
  type UpdateState,
  updatesOffReason,
} from '../../main/core/updates'
import { VirtualClock } from '../helpers/virtual-clock'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const ON: UpdatePolicy = { enabledBySetting: true, enabledByBuild: true, install: 'appimage' }

/** A feed the test controls: what it offers, whether it is down, and every request it got. */
class FakeFeed implements UpdateSource {
  offers: string | null = null
  down = false
  checks: number[] = []
  downloads: number[] = []
  installOnQuit: boolean[] = []
  restarts = 0
  /** When set, a check waits until the test releases it. */
  hold: Promise<void> | null = null

  constructor(private readonly clock: VirtualClock) {}

  async check(): Promise<string | null> {
    this.checks.push(this.clock.now())
    if (this.hold) await this.hold
    if (this.down) throw new Error('getaddrinfo ENOTFOUND updates.example.com')
    return this.offers
  }
  async download(): Promise<string> {
    this.downloads.push(this.clock.now())
    if (this.down) throw new Error('socket hang up')
    return this.offers ?? 'none'
  }
  setInstallOnQuit(enabled: boolean): void {
    this.installOnQuit.push(enabled)
  }
  restartAndInstall(): void {
    this.restarts++
  }
}

function setup(policy: UpdatePolicy = ON) {
  const clock = new VirtualClock()
  const feed = new FakeFeed(clock)
  const announced: string[] = []
  const logged: string[] = []
  const controller = new UpdateController({
    clock,
    source: feed,
    announce: (version) => announced.push(version),
    log: (line) => logged.push(line),
  })
  const started = clock.now()
  controller.start(policy)
  return { clock, feed, announced, logged, controller, started }
}

describe('checking for updates', () => {
  it('checks a minute after start and then once a day, never more often', async () => {
    const { clock, feed, started, controller } = setup()
    await clock.advance(7 * DAY)
    expect(feed.checks.map((t) => t - started)).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((day) => day * DAY + UPDATE_TIMING.firstCheckMs),
    )
    expect(feed.downloads).toEqual([])
    expect(controller.view()).toMatchObject({ phase: 'waiting', line: null, failures: 0 })
    controller.stop()
    expect(clock.pending()).toBe(0)
  })

  it('downloads a newer version in the background, tells the person once, and installs it on quit', async () => {
    const { clock, feed, announced, controller } = setup()
    feed.offers = '0.2.0'
    await clock.advance(2 * MINUTE)
    expect(feed.checks).toHaveLength(1)
    expect(feed.downloads).toHaveLength(1)
    expect(announced).toEqual(['0.2.0'])
    expect(feed.installOnQuit).toEqual([true])
    expect(controller.view()).toMatchObject({
      phase: 'ready',
      canRestart: true,
      line: 'Seat Tray 0.2.0 is ready: it installs when you quit, or restart now.',
    })
    // Ready: three more days bring no more requests and no second notification.
    await clock.advance(3 * DAY)
    expect({ checks: feed.checks.length, downloads: feed.downloads.length, announced }).toEqual({
      checks: 1,
      downloads: 1,
      announced: ['0.2.0'],
    })
    expect(clock.pending()).toBe(0)
  })

  it('installs at once on "Restart now" once the update is ready, and not before', async () => {
    const { clock, feed, controller } = setup()
    feed.offers = '0.2.0'
    controller.restartNow()
    expect(feed.restarts).toBe(0)
    await clock.advance(2 * MINUTE)
    controller.restartNow()
    expect(feed.restarts).toBe(1)
  })

  it('backs off when the update server is down (30 min, 1 h, 2 h … at most daily) and tells nobody', async () => {
    const { clock, feed, announced, logged, started, controller } = setup()
    feed.down = true
    await clock.advance(7 * DAY)
    const first = UPDATE_TIMING.firstCheckMs
    const gaps = [30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 16 * HOUR, DAY, DAY, DAY, DAY, DAY]
    const expected: number[] = [first]
    for (const gap of gaps) expected.push(expected.at(-1)! + gap)
    expect(feed.checks.map((t) => t - started)).toEqual(expected)
    // 12 requests in a week with the server down, against 7 with it up; nothing shown, everything logged.
    expect(feed.checks).toHaveLength(12)
    expect(announced).toEqual([])
    expect(controller.view()).toMatchObject({ line: null, failures: 12 })
    expect(controller.view().lastError).toContain('ENOTFOUND')
    expect(logged).toHaveLength(12)

    // Back up: the next retry finds it, and then it is daily again.
    feed.down = false
    const before = feed.checks.length
    await clock.advance(3 * DAY)
    const after = feed.checks.slice(before).map((t, i, all) => (i === 0 ? 0 : t - all[i - 1]!))
    expect(after.slice(1)).toEqual([DAY, DAY])
    expect(controller.view().failures).toBe(0)
  })

  it('retries a failed download the same way, then downloads once the server answers', async () => {
    const { clock, feed, announced } = setup()
    feed.offers = '0.3.0'
    feed.down = true
    await clock.advance(2 * MINUTE)
    feed.down = false
    await clock.advance(30 * MINUTE)
    expect(feed.checks).toHaveLength(2)
    expect(feed.downloads).toHaveLength(1)
    expect(announced).toEqual(['0.3.0'])
  })

  it('joins a "check now" to the check already under way', async () => {
    const { clock, feed, controller } = setup()
    let release = () => {}
    feed.hold = new Promise<void>((resolve) => {
      release = resolve
    })
    await clock.advance(UPDATE_TIMING.firstCheckMs)
    controller.checkNow()
    controller.checkNow()
    release()
    await clock.advance(MINUTE)
    controller.checkNow() // after it finished: a real new check
    await clock.advance(MINUTE)
    expect(feed.checks).toHaveLength(2)
  })
})

describe('turning updates off', () => {
  const kinds: [InstallKind, string | null][] = [
    ['deb', 'package-manager'],
    ['rpm', 'package-manager'],
    ['pacman', 'package-manager'],
    ['snap', 'package-manager'],
    ['flatpak', 'package-manager'],
    ['linux-dir', 'cannot-self-update'],
    ['portable', 'cannot-self-update'],
    ['unpackaged', 'unpackaged'],
    ['appimage', null],
    ['nsis', null],
    ['mac', null],
  ]
  for (const [install, reason] of kinds) {
    it(`${reason ? `never checks` : 'checks'} when installed as ${install}`, async () => {
      const { clock, feed, controller } = setup({ ...ON, install })
      await clock.advance(2 * DAY)
      expect(feed.checks.length).toBe(reason ? 0 : 2)
      expect(controller.view().offReason).toBe(reason)
    })
  }

  it('never checks when the build says so, whatever the setting', async () => {
    const { clock, feed, controller } = setup({ ...ON, enabledByBuild: false })
    await clock.advance(2 * DAY)
    expect(feed.checks).toEqual([])
    expect(controller.view()).toMatchObject({
      offReason: 'build',
      line: 'This build of Seat Tray does not update itself.',
    })
  })

  it('stops checking when the person turns updates off, and a downloaded update then no longer installs on quit', async () => {
    const { clock, feed, controller } = setup()
    feed.offers = '0.2.0'
    await clock.advance(2 * MINUTE)
    controller.setPolicy({ ...ON, enabledBySetting: false })
    expect(feed.installOnQuit).toEqual([true, false])
    expect(controller.view()).toMatchObject({
      phase: 'off',
      canRestart: false,
      line: 'Automatic updates are off (Settings).',
    })
    controller.restartNow()
    await clock.advance(5 * DAY)
    expect({ checks: feed.checks.length, restarts: feed.restarts, timers: clock.pending() }).toEqual({
      checks: 1,
      restarts: 0,
      timers: 0,
    })
    // On again: a check a minute later, not a burst.
    controller.setPolicy(ON)
    await clock.advance(2 * MINUTE)
    expect(feed.checks).toHaveLength(2)
  })

  it('ignores the answer of a check that was out when updates were turned off', async () => {
    const { clock, feed, announced, controller } = setup()
    feed.offers = '0.2.0'
    let release = () => {}
    feed.hold = new Promise<void>((resolve) => {
      release = resolve
    })
    await clock.advance(UPDATE_TIMING.firstCheckMs)
    controller.setPolicy({ ...ON, enabledBySetting: false })
    release()
    await clock.advance(DAY)
    expect({ downloads: feed.downloads.length, announced }).toEqual({ downloads: 0, announced: [] })
  })
})

describe('the decision table', () => {
  const now = Date.UTC(2026, 5, 1)
  const waiting: UpdateState = {
    phase: 'waiting',
    nextCheckAt: now,
    failures: 2,
    lastError: 'x',
    lastCheckedAt: null,
  }
  const checking: UpdateState = { phase: 'checking', failures: 2, lastCheckedAt: null }
  const downloading: UpdateState = { phase: 'downloading', version: '1.0.0', failures: 0, lastCheckedAt: now }
  const ready: UpdateState = { phase: 'ready', version: '1.0.0', lastCheckedAt: now }

  it('answers every event in every phase as the rules say', () => {
    const effects = (state: UpdateState, event: Parameters<typeof decide>[1]) =>
      decide(state, event, now).effects.map((e) => e.type)
    expect(effects(INITIAL_UPDATE_STATE, { type: 'start', policy: ON })).toEqual(['schedule'])
    expect(effects(waiting, { type: 'due' })).toEqual(['cancel-schedule', 'check'])
    expect(effects(checking, { type: 'due' })).toEqual([])
    expect(effects(downloading, { type: 'check-now' })).toEqual([])
    expect(effects(checking, { type: 'checked', newer: '1.0.0' })).toEqual(['download'])
    expect(effects(checking, { type: 'checked', newer: null })).toEqual(['schedule'])
    expect(effects(downloading, { type: 'downloaded', version: '1.0.0' })).toEqual([
      'install-on-quit',
      'announce',
    ])
    expect(effects(checking, { type: 'failed', message: 'x' })).toEqual(['schedule'])
    expect(effects(ready, { type: 'failed', message: 'x' })).toEqual([])
    expect(effects(ready, { type: 'restart-now' })).toEqual(['restart-and-install'])
    expect(effects(waiting, { type: 'restart-now' })).toEqual([])
    expect(effects(ready, { type: 'policy-changed', policy: { ...ON, enabledBySetting: false } })).toEqual([
      'cancel-schedule',
      'install-on-quit',
    ])
    expect(decide(checking, { type: 'failed', message: 'x' }, now).state).toMatchObject({
      phase: 'waiting',
      failures: 3,
      nextCheckAt: now + 2 * HOUR,
    })
  })

  it('doubles the retry delay from 30 minutes and caps it at a day', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelayMs)).toEqual([
      30 * MINUTE,
      HOUR,
      2 * HOUR,
      4 * HOUR,
      8 * HOUR,
      16 * HOUR,
      DAY,
      DAY,
      DAY,
    ])
  })

  it('puts an unpackaged copy and the build before the setting and the install kind', () => {
    expect(updatesOffReason({ enabledBySetting: false, enabledByBuild: false, install: 'unpackaged' })).toBe(
      'unpackaged',
    )
    expect(updatesOffReason({ enabledBySetting: false, enabledByBuild: false, install: 'deb' })).toBe('build')
    expect(updatesOffReason({ enabledBySetting: false, enabledByBuild: true, install: 'deb' })).toBe(
      'package-manager',
    )
    expect(updatesOffReason({ enabledBySetting: false, enabledByBuild: true, install: 'nsis' })).toBe(
      'setting',
    )
  })
})

describe('how the app was installed', () => {
  const base = { platform: 'linux' as NodeJS.Platform, isPackaged: true, env: {}, packageType: null }
  it('tells a deb, an AppImage, a snap and a plain folder apart on Linux', () => {
    expect(installKindOf({ ...base, packageType: 'deb\n' })).toBe('deb')
    expect(installKindOf({ ...base, packageType: 'rpm' })).toBe('rpm')
    expect(installKindOf({ ...base, env: { APPIMAGE: '/home/ana/Seat Tray.AppImage' } })).toBe('appimage')
    expect(installKindOf({ ...base, env: { SNAP: '/snap/seat-tray/3' } })).toBe('snap')
    expect(installKindOf({ ...base, env: { FLATPAK_ID: 'com.seattray.app' } })).toBe('flatpak')
    expect(installKindOf(base)).toBe('linux-dir')
  })
  it('knows an installer from a portable exe on Windows, and a copy run from source anywhere', () => {
    expect(installKindOf({ ...base, platform: 'win32' })).toBe('nsis')
    expect(installKindOf({ ...base, platform: 'win32', env: { PORTABLE_EXECUTABLE_DIR: 'C:\\x' } })).toBe(
      'portable',
    )
    expect(installKindOf({ ...base, platform: 'darwin' })).toBe('mac')
    expect(installKindOf({ ...base, isPackaged: false, packageType: 'deb' })).toBe('unpackaged')
  })
})
