/**
 * `npm start` and `npm run demo` where Electron's binary never downloaded (as on our machines and in CI): the start
 * says what is missing and what to do in a few lines, and does not end in a stack trace or wrong advice.
 */
import { execFile } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const binaryInstalled = existsSync(join(ROOT, 'node_modules/electron/path.txt'))

interface Run {
  code: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const cleanEnv = { ...process.env, ...env }
    if (!('ELECTRON_OVERRIDE_DIST_PATH' in env)) delete cleanEnv.ELECTRON_OVERRIDE_DIST_PATH
    execFile(command, args, { cwd: ROOT, env: cleanEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

const tmp = mkdtempSync(join(tmpdir(), 'seat-tray-preflight-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe.skipIf(binaryInstalled)('starting without the Electron binary', () => {
  for (const script of ['start', 'demo']) {
    it(`npm run ${script} says in four lines what is missing and what still works, and exits non-zero`, async () => {
      const result = await run('npm', ['run', '--silent', script], {
        electron_config_cache: '/srv/electron-cache',
      })
      expect(result.code).not.toBe(0)
      const lines = result.stderr.trim().split('\n')
      expect(lines).toHaveLength(4)
      expect(lines[0]).toMatch(/Electron 45\.\d+\.\d+ binary is not downloaded yet/)
      expect(lines[0]).toContain('node_modules/electron is fine')
      for (const setting of [
        'ELECTRON_MIRROR',
        'ELECTRON_CUSTOM_DIR',
        'HTTPS_PROXY',
        'ELECTRON_GET_USE_PROXY=true',
      ])
        expect(lines[1]).toContain(setting)
      expect(lines[1]).toContain('/srv/electron-cache')
      expect(lines[2]).toContain('ELECTRON_OVERRIDE_DIST_PATH')
      expect(lines[3]).toContain('npx seat-tray simulate')
      expect(lines[3]).toContain('npx seat-tray status')
      // No stack trace, no advice to delete a package that is fine, and nothing built or launched.
      expect(result.stderr).not.toMatch(/^\s+at\s/m)
      expect(result.stderr + result.stdout).not.toMatch(
        /TypeError|delete `?node_modules|Downloading Electron/,
      )
      expect(result.stdout).not.toContain('electron-vite')
    })
  }

  it('names the default download cache when electron_config_cache is not set', async () => {
    const result = await run('node', ['scripts/preflight.mjs'], { XDG_CACHE_HOME: '/home/ana/.cache' })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(process.platform === 'linux' ? '/home/ana/.cache/electron' : 'electron')
  })
})

describe('the download settings the start names', () => {
  it("are the ones Electron's installer and @electron/get really read", () => {
    const read = (path: string) => readFileSync(join(ROOT, 'node_modules', path), 'utf8')
    const electronIndex = read('electron/index.js')
    const electronInstall = read('electron/install.js')
    const getArtifact = read('@electron/get/dist/artifact-utils.js')
    const getIndex = read('@electron/get/dist/index.js')
    const getProxy = read('@electron/get/dist/proxy.js')
    expect(electronIndex).toContain('ELECTRON_OVERRIDE_DIST_PATH')
    expect(electronInstall).toContain('process.env.electron_config_cache')
    // ELECTRON_MIRROR and ELECTRON_CUSTOM_DIR: mirrorVar('mirror') and mirrorVar('customDir') read ELECTRON_<SNAKE>.
    expect(getArtifact).toMatch(/process\.env\[`ELECTRON_\$\{snakeName\.toUpperCase\(\)\}`\]/)
    expect(getArtifact).toContain("mirrorVar('mirror'")
    expect(getArtifact).toContain("mirrorVar('customDir'")
    expect(getIndex).toContain('process.env.ELECTRON_GET_USE_PROXY')
    expect(getProxy).toContain('`HTTP_PROXY`, `HTTPS_PROXY`, and `NO_PROXY`')
    // `npx install-electron` is the package's own bin for fetching the binary again.
    expect(JSON.parse(read('electron/package.json')).bin['install-electron']).toBe('install.js')
  })
})

describe('starting with an Electron binary', () => {
  it('stays silent and lets the start go on when ELECTRON_OVERRIDE_DIST_PATH holds an Electron', async () => {
    const dist = join(tmp, 'dist')
    rmSync(dist, { recursive: true, force: true })
    mkdirSync(dist, { recursive: true })
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\n')
    chmodSync(join(dist, 'electron'), 0o755)
    const result = await run('node', ['scripts/preflight.mjs'], { ELECTRON_OVERRIDE_DIST_PATH: dist })
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' })
  })

  it('says so when ELECTRON_OVERRIDE_DIST_PATH names a folder without one', async () => {
    const result = await run('node', ['scripts/preflight.mjs'], {
      ELECTRON_OVERRIDE_DIST_PATH: join(tmp, 'nothing'),
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      `not at ELECTRON_OVERRIDE_DIST_PATH (${join(tmp, 'nothing', 'electron')})`,
    )
  })
})
