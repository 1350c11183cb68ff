/**
 * electron-updater behind the engine's UpdateSource: it reads the feed (`latest*.yml` from the publish target set
 * in electron-builder.yml, written into the app as `app-update.yml`), compares versions, downloads and verifies
 * (sha512), and installs. Every decision (when to check, when to tell, when to install, backoff) is in
 * main/core/updates.ts; here autoDownload and install-on-quit are switched off so the library never acts alone.
 *
 * Takes the updater instance, so tests drive this same code with a real electron-updater AppImageUpdater against a
 * loopback feed in plain Node.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppUpdater } from 'electron-updater'
import { type InstallKind, installKindOf, type UpdateSource } from '../core/updates'

export type UpdaterLike = Pick<
  AppUpdater,
  'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'autoDownload' | 'autoInstallOnAppQuit' | 'logger'
>

export function electronUpdaterSource(
  updater: UpdaterLike,
  logger: { info(...v: unknown[]): void; warn(...v: unknown[]): void; error(...v: unknown[]): void },
): UpdateSource {
  // The engine decides; the library only does what it is told.
  updater.autoDownload = false
  updater.autoInstallOnAppQuit = false
  updater.logger = logger
  let offered: string | null = null
  return {
    async check() {
      // null: the library is inactive (not packaged, or an AppImage run outside its image).
      const result = await updater.checkForUpdates()
      offered = result?.isUpdateAvailable ? result.updateInfo.version : null
      return offered
    },
    async download() {
      if (!offered) throw new Error('no update was found to download')
      await updater.downloadUpdate()
      return offered
    },
    setInstallOnQuit(enabled) {
      updater.autoInstallOnAppQuit = enabled
    },
    restartAndInstall() {
      // Not silent on Windows (the person asked for it and may see the installer); run the new version after.
      updater.quitAndInstall(false, true)
    },
  }
}

/** How this copy was installed, from the process and `resources/package-type` (written into deb/rpm/pacman). */
export function detectInstallKind(isPackaged: boolean): InstallKind {
  let packageType: string | null = null
  try {
    packageType = readFileSync(join(process.resourcesPath ?? '', 'package-type'), 'utf8')
  } catch {
    packageType = null
  }
  return installKindOf({ platform: process.platform, isPackaged, env: process.env, packageType })
}
