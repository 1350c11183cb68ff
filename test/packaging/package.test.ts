/**
 * Packages Seat Tray the way a release does, as far as this machine allows: `npm run build`, then electron-builder's
 * `dir` target for Linux against a stand-in Electron (the real one would be downloaded). The stand-in carries
 * Electron's fuse sentinel, so electron-builder really flips the fuses in it and we can read them back.
 * Run with `npm run package:check`.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { listPackage, statFile } from '@electron/asar'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import type { Configuration } from 'app-builder-lib'
import { getConfig } from 'app-builder-lib/out/util/config/config.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)

/** The release fuse table: what each fuse guards against is said where it is set (electron-builder.yml). */
const RELEASE_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
} as const

/** The same table by position in Electron's fuse wire, as @electron/fuses reads it from a binary. */
const RELEASE_WIRE: Record<number, boolean> = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
}

/** Everything the app archive may hold: the three bundles, package.json, and keytar's runtime files. */
const ALLOWED_IN_ASAR = [
  /^\/package\.json$/,
  /^\/out\/main\/[\w.-]+\.js$/,
  /^\/out\/preload\/[\w.-]+\.cjs$/,
  /^\/out\/renderer\/index\.html$/,
  // The CSP hashes of the script and style inlined into index.html (common/csp.ts): main's header needs them.
  /^\/out\/renderer\/inline-hashes\.json$/,
  /^\/out\/renderer\/[\w.-]+\.(js|css|svg|png|woff2?)$/,
  /^\/node_modules\/keytar\/(package\.json|lib\/[\w.-]+\.js|build\/Release\/keytar\.node)$/,
]

const COMPANY_UPDATE_URL = 'https://updates.acme.test/seat-tray'

let work: string
let appDir: string
let asarPath: string
let packageSeconds: number

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'seat-tray-package-'))
  await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 90_000 })
  const electronDist = makeStandInElectron(join(work, 'electron'))
  const started = performance.now()
  await run(
    join(ROOT, 'node_modules/.bin/electron-builder'),
    [
      '--dir',
      '--linux',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${join(work, 'dist')}`,
      // As a company pointing its build at its own update server.
      `-c.publish.url=${COMPANY_UPDATE_URL}`,
    ],
    { cwd: ROOT, timeout: 90_000, env: { ...process.env, CI: '1' } },
  )
  packageSeconds = (performance.now() - started) / 1000
  appDir = join(work, 'dist/linux-unpacked')
  asarPath = join(appDir, 'resources/app.asar')
})

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('the packaged app (Linux dir target, stand-in Electron)', () => {
  it('holds the built bundles and nothing else: no sources, tests, source maps or dev dependencies', () => {
    const files = asarFiles()
    const unexpected = files.filter((file) => !ALLOWED_IN_ASAR.some((allowed) => allowed.test(file)))
    expect(unexpected).toEqual([])
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/out/main/index.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        // Without it main's CSP header allows no inline code and the packaged window stays blank.
        '/out/renderer/inline-hashes.json',
      ]),
    )
    const devDependencies = Object.keys(packageJson().devDependencies ?? {})
    const shippedModules = new Set(files.flatMap((file) => moduleOf(file) ?? []))
    expect(devDependencies.filter((name) => shippedModules.has(name))).toEqual([])

    const size = statSync(asarPath).size
    console.log(
      `app.asar: ${files.length} files, ${(size / 1024).toFixed(0)} KiB; electron-builder --dir took ${packageSeconds.toFixed(1)} s`,
    )
  })

  it('ships every module the main bundle imports at run time', () => {
    const bundle = readFileSync(join(ROOT, 'out/main/index.js'), 'utf8')
    const shipped = new Set(asarFiles().flatMap((file) => moduleOf(file) ?? []))
    const imported = externalImports(bundle)
    expect(imported).toContain('keytar')
    expect(imported.filter((name) => !shipped.has(name))).toEqual([])
  })

  it("unpacks keytar's native addon next to the archive, where Electron can load it", () => {
    const inAsar = 'node_modules/keytar/build/Release/keytar.node'
    expect(statFile(asarPath, inAsar)).toMatchObject({ unpacked: true })
    const unpacked = join(appDir, 'resources/app.asar.unpacked', inAsar)
    expect(readFileSync(unpacked).equals(readFileSync(join(ROOT, inAsar)))).toBe(true)
  })

  it('tells the installed app where its updates are: the server the build was pointed at', () => {
    const appUpdate = readFileSync(join(appDir, 'resources/app-update.yml'), 'utf8')
    expect(appUpdate).toContain('provider: generic')
    expect(appUpdate).toContain(`url: ${COMPANY_UPDATE_URL}`)
    expect(appUpdate).toContain('channel: latest')
    expect(appUpdate).toMatch(/updaterCacheDirName: seat-tray-updater/)
  })

  it('bundles electron-updater and electron-log into the main bundle rather than shipping their node_modules', () => {
    const bundle = readFileSync(join(ROOT, 'out/main/index.js'), 'utf8')
    expect(externalImports(bundle)).toEqual(['keytar'])
    expect(bundle).toContain('AppImageUpdater')
    expect(bundle).toContain('__ELECTRON_LOG__')
  })

  it('flips the release fuses in the Electron binary', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'seat-tray'))
    for (const [index, on] of Object.entries(RELEASE_WIRE)) {
      const state = wire[Number(index) as FuseV1Options]
      expect({ fuse: FuseV1Options[Number(index)], on: state === FUSE_ON }).toEqual({
        fuse: FuseV1Options[Number(index)],
        on,
      })
    }
  })
})

describe('the packaging configuration', () => {
  it('sets the release fuse table', async () => {
    const config = await loadConfig('electron-builder.yml')
    expect(config.electronFuses).toEqual(RELEASE_FUSES)
  })

  it('differs in the e2e flavour only by letting Playwright use the inspector, and builds elsewhere', async () => {
    const release = await loadConfig('electron-builder.yml')
    const e2e = await loadConfig('electron-builder.e2e.yml')
    expect(e2e.electronFuses).toEqual({ ...RELEASE_FUSES, enableNodeCliInspectArguments: true })
    expect(e2e.directories?.output).not.toBe(release.directories?.output)
    const { electronFuses: _r, directories: _rd, ...releaseRest } = release
    const { electronFuses: _e, directories: _ed, extends: _x, ...e2eRest } = e2e
    expect(e2eRest).toEqual(releaseRest)
  })

  it('names the app and the AppUserModelID the app sets on Windows', async () => {
    const config = await loadConfig('electron-builder.yml')
    expect(config.appId).toBe('com.seattray.app')
    expect(config.productName).toBe('Seat Tray')
    const main = readFileSync(join(ROOT, 'main/index.ts'), 'utf8')
    expect(main).toContain(`setAppUserModelId('${config.appId}')`)
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.win?.icon).toBe('build/icon.ico')
  })

  it('keeps the macOS app out of the Dock, hardened, with entitlements, and not notarized unless asked', async () => {
    const { mac } = await loadConfig('electron-builder.yml')
    expect(mac?.target).toEqual(['dmg', 'zip'])
    expect(mac?.extendInfo).toMatchObject({ LSUIElement: true })
    expect(mac?.hardenedRuntime).toBe(true)
    expect(mac?.notarize).toBe(false)
    const entitlements = readFileSync(join(ROOT, mac?.entitlements ?? 'missing'), 'utf8')
    expect(entitlements).toContain('com.apple.security.cs.allow-jit')
    expect(entitlements).not.toContain('disable-library-validation')
  })

  it('shows macOS notifications as alerts, without which the “Show who” button never appears', async () => {
    const { mac } = await loadConfig('electron-builder.yml')
    expect(mac?.extendInfo).toMatchObject({ NSUserNotificationAlertStyle: 'alert' })
  })

  it('publishes to a generic update server, from targets that each write a feed file', async () => {
    const config = await loadConfig('electron-builder.yml')
    expect(config.publish).toEqual({
      provider: 'generic',
      url: 'https://updates.seat-tray.invalid/releases',
      channel: 'latest',
    })
    // latest-linux.yml comes from the AppImage, latest.yml from nsis, latest-mac.yml from the zip (not the dmg).
    expect(config.linux?.target).toContain('AppImage')
    expect(config.win?.target).toContain('nsis')
    expect(config.mac?.target).toContain('zip')
  })

  it('makes an AppImage and a deb that pulls in libsecret for the keychain', async () => {
    const config = await loadConfig('electron-builder.yml')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.deb?.depends).toContain('libsecret-1-0')
    expect(config.linux?.desktop?.entry?.Categories).toBe('Office;Utility;')
  })
})

/** Electron's fuse states as bytes: '1' is on ('0' off, 'r' removed). */
const FUSE_ON = 0x31

/**
 * The smallest folder electron-builder accepts as an unpacked Electron. Its `electron` file carries the fuse
 * sentinel with Electron 45's defaults, so the fuse step has a wire to flip.
 */
function makeStandInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true })
  mkdirSync(join(dir, 'locales'), { recursive: true })
  const electronVersion = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8'),
  ) as { version: string }
  // Defaults in order: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyAsar,
  // BrowserV8Snapshot, GrantFileProtocol.
  const defaults = '10110001'
  const wire = Buffer.concat([
    Buffer.from('stand-in for the Electron binary\0'),
    Buffer.from(FUSE_SENTINEL, 'ascii'),
    Buffer.from([1, defaults.length]),
    Buffer.from(defaults, 'ascii'),
  ])
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 })
  writeFileSync(join(dir, 'version'), electronVersion.version)
  writeFileSync(join(dir, 'LICENSE'), 'MIT')
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<!doctype html>')
  writeFileSync(join(dir, 'locales/en-US.pak'), '')
  return dir
}

/** Electron's fuse wire marker (electron/fuses, src/constants.ts). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

function asarFiles(): string[] {
  return listPackage(asarPath, { isPack: false }).filter((entry) => {
    const stat = statFile(asarPath, entry.slice(1), false)
    return 'size' in stat
  })
}

/** The package a path inside node_modules belongs to (`@scope/name` or `name`). */
function moduleOf(file: string): string | undefined {
  return /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1]
}

/** Bare module names the bundle loads at run time: static and dynamic imports and requires, minus Node and Electron. */
function externalImports(bundle: string): string[] {
  const specifiers = [
    ...bundle.matchAll(/^import\s[^'"]*?from\s*["']([^"']+)["']/gm),
    ...bundle.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    // Not ajv's code generator, which writes `require("ajv/…")` into template strings for standalone validators.
    ...bundle.matchAll(/(?<![`\w$.])require\(\s*["']([^"']+)["']\s*\)/g),
  ].map((match) => match[1]!)
  const builtins = new Set(builtinModules)
  const names = specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!))
    .filter((name) => name !== 'electron' && !builtins.has(name))
  return [...new Set(names)]
}

function packageJson(): { devDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
}

async function loadConfig(file: string): Promise<Configuration> {
  return getConfig(ROOT, join(ROOT, file), null)
}
