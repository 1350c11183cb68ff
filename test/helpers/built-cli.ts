/**
 * The `seat-tray` command built exactly as `npm run build:cli` builds it, but into a folder of the calling test
 * file's own: vitest runs test files in parallel, and two builds writing out/cli/seat-tray.mjs at once could hand a
 * test half a file.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function buildCli(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'seat-tray-cli-build-'))
  const path = join(dir, 'seat-tray.mjs')
  execFileSync('npm', ['run', '--silent', 'build:cli', '--', `--outfile=${path}`], { stdio: 'inherit' })
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
