#!/usr/bin/env node
/**
 * Runs the Electron end-to-end suite where it can run. Where the Electron binary is missing (it downloads on a user's
 * `npm install`; our CI machines cannot reach its CDN), it prints ONE line saying so and exits 0 — reported as
 * "did not run", never as passed. Builds the app first when out/ is missing. On Linux without a display it uses
 * xvfb-run when present.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(import.meta.url)

const electron = electronBinary()
if (!electron.ok) {
  console.log(`e2e: DID NOT RUN — ${electron.reason}`)
  process.exit(0)
}

if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/preload/index.cjs'))) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const playwright = ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', ...process.argv.slice(2)]
const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const [command, args] =
  needsDisplay && onPath('xvfb-run') ? ['xvfb-run', ['-a', 'npx', ...playwright]] : ['npx', playwright]
const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
process.exit(run.status ?? 1)

/**
 * Where the Electron binary is, without `require('electron')`: that would try to download it (electron ≥ 45 fetches
 * lazily), and the network beyond loopback is closed here. The package records the binary in path.txt once present.
 */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron'
    return probe(join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe))
  }
  let pkgDir
  try {
    pkgDir = dirname(require.resolve('electron/package.json'))
  } catch {
    return { ok: false, reason: 'the electron package is not installed (npm install)' }
  }
  const pathFile = join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      reason: 'the Electron binary is not installed (node_modules/electron has no downloaded binary)',
    }
  }
  return probe(join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim()))
}

function probe(path) {
  if (!existsSync(path)) return { ok: false, reason: `the Electron binary is missing at ${path}` }
  const run = spawnSync(path, ['--version'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 20_000,
  })
  if (run.status !== 0) {
    return {
      ok: false,
      reason: `the Electron binary at ${path} does not start (${firstLine(run.error ?? run.stderr)})`,
    }
  }
  return { ok: true, path }
}

function onPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

function firstLine(value) {
  const text = value instanceof Error ? value.message : String(value ?? 'no output')
  return text.split('\n').find((line) => line.trim()) ?? text
}
