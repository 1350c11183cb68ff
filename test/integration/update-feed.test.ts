/**
 * The update decisions driving the real electron-updater against a local update server, in plain Node: the
 * library's AppImage updater reads `app-update.yml` (as electron-builder writes it into the app), fetches
 * `latest-linux.yml` over loopback, compares versions, downloads and checks the sha512. Only two things are ours:
 * the app adapter (electron-updater's own seam for "the app": version, paths) and a Node HTTP executor in place of
 * Electron's `net` (electron-updater's seam: a constructor given an app leaves its executor to the caller).
 * The server counts every request.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type RequestOptions, request, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  configureRequestOptions,
  configureRequestUrl,
  type DownloadOptions,
  HttpExecutor,
} from 'builder-util-runtime'
import { AppImageUpdater } from 'electron-updater'
import type { AppAdapter } from 'electron-updater/out/AppAdapter'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { UPDATE_TIMING, UpdateController, type UpdatePolicy, type UpdateView } from '../../main/core/updates'
import { electronUpdaterSource } from '../../main/platform/updater'
import { VirtualClock } from '../helpers/virtual-clock'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ON: UpdatePolicy = { enabledBySetting: true, enabledByBuild: true, install: 'appimage' }
const NEW_APPIMAGE = Buffer.from('#!/bin/sh\necho "Seat Tray 0.2.0"\n')

/** What the update server serves, and every request it got (by path). */
const feed = { version: '0.2.0', down: false, requests: [] as string[] }
let server: Server
let base: string
const work = mkdtempSync(join(tmpdir(), 'seat-tray-updates-'))
const savedAppImage = process.env.APPIMAGE

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    feed.requests.push(path)
    if (feed.down) {
      res.writeHead(503).end('maintenance')
      return
    }
    if (path === '/latest-linux.yml') {
      const sha512 = createHash('sha512').update(NEW_APPIMAGE).digest('base64')
      const file = `Seat-Tray-${feed.version}-x86_64.AppImage`
      res
        .writeHead(200, { 'content-type': 'text/yaml' })
        .end(
          [
            `version: ${feed.version}`,
            'files:',
            `  - url: ${file}`,
            `    sha512: ${sha512}`,
            `    size: ${NEW_APPIMAGE.length}`,
            `path: ${file}`,
            `sha512: ${sha512}`,
            "releaseDate: '2026-11-30T10:00:00.000Z'",
            '',
          ].join('\n'),
        )
      return
    }
    if (path.endsWith('.AppImage')) {
      res.writeHead(200, { 'content-length': NEW_APPIMAGE.length }).end(NEW_APPIMAGE)
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no port')
  base = `http://127.0.0.1:${address.port}/`
  // The AppImage updater is active only inside an AppImage, which names itself in APPIMAGE.
  process.env.APPIMAGE = join(work, 'Seat-Tray-0.1.0-x86_64.AppImage')
  writeFileSync(process.env.APPIMAGE, 'old')
})

afterAll(async () => {
  if (savedAppImage === undefined) delete process.env.APPIMAGE
  else process.env.APPIMAGE = savedAppImage
  await new Promise<void>((resolve) => server.close(() => resolve()))
  rmSync(work, { recursive: true, force: true })
})

afterEach(() => {
  feed.requests = []
  feed.down = false
  feed.version = '0.2.0'
})

/**
 * electron-updater's ElectronHttpExecutor with Node's http in place of Electron's net: the same `download` (it is
 * the one method the base class leaves out), line for line, and `createRequest` on http.request.
 */
class LoopbackExecutor extends HttpExecutor<ReturnType<typeof request>> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void) {
    return request(options, callback)
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions = { headers: options.headers ?? undefined }
      configureRequestUrl(url, requestOptions)
      configureRequestOptions(requestOptions)
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error == null ? resolve(destination) : reject(error)),
          responseHandler: null,
        },
        0,
      )
    })
  }
}

let runs = 0
function setup() {
  const dir = join(work, `run-${++runs}`)
  const appUpdateYml = join(dir, 'app-update.yml')
  mkdirSync(dir, { recursive: true })
  // What electron-builder writes into resources/ from electron-builder.yml's publish block.
  writeFileSync(appUpdateYml, `provider: generic\nurl: ${base}\nupdaterCacheDirName: seat-tray-updater\n`)
  const app: AppAdapter = {
    version: '0.1.0',
    name: 'seat-tray',
    isPackaged: true,
    appUpdateConfigPath: appUpdateYml,
    userDataPath: join(dir, 'user-data'),
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => {},
    quit: () => {},
    onQuit: () => {},
  }
  const updater = new AppImageUpdater(undefined, app)
  Object.assign(updater, { httpExecutor: new LoopbackExecutor() })
  // A differential download would first read the old AppImage's block map; the full download keeps counts plain.
  updater.disableDifferentialDownload = true
  const logged: string[] = []
  const logger = {
    info: (...v: unknown[]) => logged.push(`info ${v.join(' ')}`),
    warn: (...v: unknown[]) => logged.push(`warn ${v.join(' ')}`),
    error: (...v: unknown[]) => logged.push(`error ${v.join(' ')}`),
  }
  const clock = new VirtualClock()
  const announced: string[] = []
  const views: UpdateView[] = []
  const controller = new UpdateController({
    clock,
    source: electronUpdaterSource(updater, logger),
    announce: (version) => announced.push(version),
    onChange: (view) => views.push(view),
  })
  controller.start(ON)
  return { clock, controller, updater, announced, views, logged, cache: app.baseCachePath }
}

/** Real I/O happens between virtual timers: wait (in real time) for it. */
async function until(condition: () => boolean, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('updates from a real update server (electron-updater, loopback)', () => {
  it('finds 0.2.0, downloads and verifies it once, tells the person once, and arms install on quit', async () => {
    const { clock, controller, updater, announced, cache, logged } = setup()
    expect(updater.autoDownload).toBe(false)
    await clock.advance(UPDATE_TIMING.firstCheckMs)
    await until(
      () => controller.view().phase === 'ready',
      () => `the download (log: ${logged.join(' | ')})`,
    )
    expect(announced).toEqual(['0.2.0'])
    expect(updater.autoInstallOnAppQuit).toBe(true)
    expect(feed.requests).toEqual(['/latest-linux.yml', '/Seat-Tray-0.2.0-x86_64.AppImage'])
    const pending = readdirSync(join(cache, 'seat-tray-updater', 'pending'))
    expect(pending).toContain('Seat-Tray-0.2.0-x86_64.AppImage')

    // Ready: two more days, not one more request.
    await clock.advance(2 * DAY)
    expect(feed.requests).toHaveLength(2)
    controller.stop()
  })

  it('downloads nothing when the feed offers the version already running', async () => {
    feed.version = '0.1.0'
    const { clock, controller, announced } = setup()
    await clock.advance(UPDATE_TIMING.firstCheckMs)
    await until(() => controller.view().lastCheckedAt !== null, 'the check')
    expect(controller.view()).toMatchObject({ phase: 'waiting', failures: 0, line: null })
    expect(feed.requests).toEqual(['/latest-linux.yml'])
    expect(announced).toEqual([])
    controller.stop()
  })

  it('asks a down server 12 times in a week, not more, and says nothing to the person', async () => {
    feed.down = true
    const { clock, controller, announced, views, logged } = setup()
    const weekEnds = clock.now() + 7 * DAY
    let failures = 0
    // Step from one scheduled check to the next, letting each real request finish before moving time on.
    while (true) {
      const next = controller.view().nextCheckAt
      if (next === null || next > weekEnds) break
      await clock.advance(next - clock.now())
      await until(() => controller.view().failures > failures, `failure ${failures + 1}`)
      failures = controller.view().failures
    }
    expect(feed.requests.filter((p) => p === '/latest-linux.yml')).toHaveLength(12)
    expect(feed.requests).toHaveLength(12)
    expect(announced).toEqual([])
    expect(views.every((view) => view.line === null)).toBe(true)
    expect(controller.view().lastError).toContain('503')
    expect(logged.some((line) => line.startsWith('error'))).toBe(true)
    controller.stop()
  })
})
