#!/usr/bin/env node
// Runs before `npm start` / `npm run demo`: is Electron's binary there? The electron package downloads it lazily on
// first use, and where that download cannot happen it ends in a stack trace with advice that does not help (delete
// node_modules/electron). Here we check first and, when it is missing, say in four lines what is missing, what
// Electron's downloader honours, and what works without it. Exit 0 when the binary is there; 2 when it is not.
// The checks mirror node_modules/electron/install.js (isInstalled) and @electron/get (mirror, proxy, cache).
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

const electronDir = join(process.cwd(), 'node_modules', 'electron')

/** Where the executable should be, as node_modules/electron/index.js finds it; null when nothing says. */
function electronExecutable() {
  const pathFile = join(electronDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) return join(override, relative || 'electron')
  return relative ? join(electronDir, 'dist', relative) : null
}

/** @electron/get's default cache folder (env-paths('electron', { suffix: '' }).cache), unless electron_config_cache says. */
function downloadCache() {
  if (process.env.electron_config_cache) return process.env.electron_config_cache
  const home = homedir()
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'electron')
  if (process.platform === 'win32')
    return join(process.env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'electron', 'Cache')
  return join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'electron')
}

if (!existsSync(join(electronDir, 'package.json'))) {
  process.stderr.write(
    'Seat Tray: node_modules/electron is missing. Run `npm install` in the Seat Tray folder first.\n',
  )
  process.exit(2)
}

const executable = electronExecutable()
if (executable && existsSync(executable)) process.exit(0)

const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version
const where = process.env.ELECTRON_OVERRIDE_DIST_PATH
  ? `not at ELECTRON_OVERRIDE_DIST_PATH (${executable})`
  : 'not downloaded yet (node_modules/electron is fine; only its binary is missing)'
process.stderr.write(
  `${[
    `Seat Tray cannot start: the Electron ${version} binary is ${where}.`,
    `Get it with \`npx install-electron\`: it honours ELECTRON_MIRROR and ELECTRON_CUSTOM_DIR (a mirror), HTTPS_PROXY/HTTP_PROXY/NO_PROXY when ELECTRON_GET_USE_PROXY=true, and reuses a download in ${downloadCache()} (electron_config_cache moves it).`,
    'Or set ELECTRON_OVERRIDE_DIST_PATH to a folder that holds an Electron executable you already have.',
    'Without Electron, `npx seat-tray simulate` (the Zoho simulator) and `npx seat-tray status` (a seat check) work: `npm run build:cli` first.',
  ].join('\n')}\n`,
)
process.exit(2)
