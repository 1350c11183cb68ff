/**
 * The one version Seat Tray reports everywhere: `seat-tray --version`, the About view, the diagnostics report, the
 * update check. It is package.json's version, inlined at build time (electron-vite and esbuild both bundle the JSON
 * import, and the named import keeps the rest of package.json out of the bundle), so the packaged app, the CLI
 * bundle and a test run from source agree.
 */
import { version as packageVersion } from '../../package.json'

export function version(): string {
  return packageVersion
}

/** What `seat-tray --version` prints: the name and version, on one line. */
export function versionLine(): string {
  return `seat-tray ${version()}`
}
