/**
 * Launch at login on Linux. Electron's app.setLoginItemSettings does nothing there, so Seat Tray follows the XDG
 * Autostart spec itself: an entry in $XDG_CONFIG_HOME/autostart (usually ~/.config/autostart/seat-tray.desktop)
 * starts it with the session; removing the file turns that off. No electron import: it is plain files, tested in Node.
 * The entry's text is build/linux/autostart.desktop with the command filled in (a test keeps the two the same).
 */
import { mkdir, readFile, rm } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import { writeFileAtomic } from '../core/atomic-file'

export const AUTOSTART_FILE_NAME = 'seat-tray.desktop'

export interface LinuxAutostartOptions {
  /** process.execPath: the installed binary (e.g. /opt/Seat Tray/seat-tray for the deb). */
  execPath: string
  /** The environment: APPIMAGE names the AppImage file, XDG_CONFIG_HOME the config folder. */
  env?: NodeJS.ProcessEnv
  /** The home folder, when XDG_CONFIG_HOME is not set. */
  home?: string
}

/** Turns launch at login on (writes the entry, pointing at this copy of the app) or off (removes it). */
export async function setLinuxAutostart(enabled: boolean, options: LinuxAutostartOptions): Promise<void> {
  const file = autostartFile(options.env, options.home)
  if (!enabled) {
    await rm(file, { force: true })
    return
  }
  await mkdir(dirname(file), { recursive: true })
  // The one atomic writer: a session starting meanwhile, or after a power cut, never reads half an entry.
  writeFileAtomic(file, autostartEntry(launchCommand(options)), {
    mode: 0o644,
    task: 'turn on launch at login',
  })
}

/** Whether our entry is there and starts this copy of the app (an AppImage may have moved since it was written). */
export async function isLinuxAutostartEnabled(options: LinuxAutostartOptions): Promise<boolean> {
  const text = await readFile(autostartFile(options.env, options.home), 'utf8').catch(() => null)
  return text === autostartEntry(launchCommand(options))
}

/** Where the entry lives: $XDG_CONFIG_HOME/autostart, or ~/.config/autostart when that is unset or relative. */
export function autostartFile(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const configHome = env.XDG_CONFIG_HOME
  const base = configHome && isAbsolute(configHome) ? configHome : join(home, '.config')
  return join(base, 'autostart', AUTOSTART_FILE_NAME)
}

/**
 * What the session should run. Inside an AppImage, process.execPath is in a temporary mount that is gone after
 * logout; the AppImage file itself (APPIMAGE) is what must be started.
 */
export function launchCommand(options: LinuxAutostartOptions): string {
  const appImage = options.env?.APPIMAGE
  return appImage && isAbsolute(appImage) ? appImage : options.execPath
}

/** The desktop entry that starts `command`; the same text as build/linux/autostart.desktop. */
export function autostartEntry(command: string): string {
  return AUTOSTART_TEMPLATE.replace('@EXEC@', execArgument(command))
}

/**
 * build/linux/autostart.desktop. The start is delayed a little so the panel's tray is there when Seat Tray looks
 * for it (where desktops honour X-GNOME-Autostart-Delay).
 */
export const AUTOSTART_TEMPLATE = `[Desktop Entry]
Type=Application
Name=Seat Tray
Comment=Shows how many Zoho CRM user licenses are free
Exec=@EXEC@
Icon=seat-tray
Terminal=false
X-GNOME-Autostart-enabled=true
X-GNOME-Autostart-Delay=5
`

/**
 * One Exec argument, quoted as the Desktop Entry spec asks: the deb installs to "/opt/Seat Tray/", with a space.
 * Inside double quotes `"`, backtick, `$` and `\` take a backslash; then the string escape doubles every backslash,
 * and `%` (a field code) is written `%%`.
 */
export function execArgument(path: string): string {
  if (/[\n\r]/.test(path)) throw new Error('The app path contains a line break, so it cannot start at login.')
  const escaped = /^[\w\-./+,:=@]+$/.test(path) ? path : `"${path.replace(/(["`$\\])/g, '\\$1')}"`
  return escaped.replaceAll('\\', '\\\\').replaceAll('%', '%%')
}
