/**
 * The tray icon: the free-seat count drawn into the icon (macOS: a template glyph and the count as the title),
 * the breakdown in the tooltip, and the context menu the engine built (core/tray-menu.ts). Implements the engine's
 * TrayView: it draws what it is given and asks nothing back.
 */
import { execFile } from 'node:child_process'
import {
  Menu,
  type MenuItemConstructorOptions,
  type NativeImage,
  nativeImage,
  nativeTheme,
  Tray,
} from 'electron'
import type { TrayIconStyle } from '../../common/settings'
import type { TrayModel, TrayView } from '../core/ports'
import type { TrayCommand, TrayMenuEntry } from '../core/tray-menu'
import { BADGE_SCALES, type BadgeStyle, renderBadgePng, renderTemplatePng } from './badge-icon'

export interface TrayOptions {
  onCommand(command: TrayCommand): void
  /** A left click (Linux: "activation", which some panels send on double click or never). */
  onClick(): void
}

export interface SeatTrayIcon extends TrayView {
  readonly tray: Tray
  /** The menu last built, for the E2E hook (`menu.getMenuItemById('refresh').click()`). */
  menu(): Menu | null
  /** Colour, or one colour following the panel's light or dark theme (Windows and Linux). */
  setStyle(style: TrayIconStyle): void
  destroy(): void
}

/**
 * Module-level on purpose: a Tray only referenced from a closure can be garbage-collected, and the icon vanishes
 * after a few minutes (Electron FAQ).
 */
let tray: Tray | null = null

export function createTray(options: TrayOptions): SeatTrayIcon {
  const isMac = process.platform === 'darwin'
  tray = new Tray(isMac ? templateImage() : badgeImage('–', 'signed-out'))
  const own = tray
  let menu: Menu | null = null
  let shown = ''
  let style: TrayIconStyle = 'colour'
  let last: Pick<TrayModel, 'badge' | 'tone'> = { badge: '–', tone: 'signed-out' }
  // Electron's theme is the closest it knows to the panel's: Windows' and GNOME's dark mode drive both.
  const badgeStyle = (): BadgeStyle =>
    style === 'colour' ? 'colour' : nativeTheme.shouldUseDarkColors ? 'dark-panel' : 'light-panel'
  const draw = () => {
    const key = `${last.badge}|${last.tone}|${badgeStyle()}`
    if (key === shown) return
    shown = key
    if (isMac) own.setTitle(last.badge, { fontType: 'monospacedDigit' })
    else own.setImage(badgeImage(last.badge, last.tone, badgeStyle()))
  }
  const onTheme = () => draw()

  own.on('click', () => options.onClick())
  // macOS opens a set context menu on every click, which would hide the window; pop it up on right click instead.
  if (isMac) own.on('right-click', () => menu && own.popUpContextMenu(menu))

  return {
    tray: own,
    menu: () => menu,
    render(model: TrayModel) {
      last = { badge: model.badge, tone: model.tone }
      draw()
      own.setToolTip(model.tooltip)
      menu = Menu.buildFromTemplate(toElectronMenu(model.menu, options))
      // Linux and Windows show this menu on right click (and Linux panels may offer nothing else).
      if (!isMac) own.setContextMenu(menu)
    },
    setStyle(next: TrayIconStyle) {
      if (next === style || isMac) return
      if (style === 'monochrome') nativeTheme.off('updated', onTheme)
      style = next
      if (style === 'monochrome') nativeTheme.on('updated', onTheme)
      draw()
    },
    destroy() {
      if (style === 'monochrome') nativeTheme.off('updated', onTheme)
      own.destroy()
      if (tray === own) tray = null
    },
  }
}

/**
 * Is there a tray to put an icon in? Linux only: stock GNOME has no StatusNotifier host unless the AppIndicator
 * extension is installed, and the icon silently goes nowhere. We ask the session bus whether a
 * StatusNotifierWatcher is there; when we cannot tell, we assume there is a tray.
 */
export async function hasTrayHost(platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (platform !== 'linux') return true
  const answer = await run('gdbus', [
    'call',
    '--session',
    '--dest',
    'org.freedesktop.DBus',
    '--object-path',
    '/org/freedesktop/DBus',
    '--method',
    'org.freedesktop.DBus.NameHasOwner',
    'org.kde.StatusNotifierWatcher',
  ])
  return answer === null ? true : parseNameHasOwner(answer)
}

/** gdbus prints `(true,)` or `(false,)`. */
export function parseNameHasOwner(stdout: string): boolean {
  return !/\(\s*false\s*,?\s*\)/.test(stdout)
}

export const NO_TRAY_HINT =
  'Your desktop shows no tray icons, so Seat Tray opened this window instead. On GNOME, install the ' +
  '“AppIndicator and KStatusNotifierItem Support” extension to see the number in the top bar.'

const imageCache = new Map<string, NativeImage>()

/** One image with a representation per scale factor: Windows and Linux pick the one matching the display. */
function badgeImage(text: string, tone: TrayModel['tone'], style: BadgeStyle = 'colour'): NativeImage {
  const key = `${text}|${tone}|${style}`
  let image = imageCache.get(key)
  if (!image) {
    image = nativeImage.createEmpty()
    for (const scaleFactor of BADGE_SCALES) {
      image.addRepresentation({ scaleFactor, buffer: renderBadgePng(text, tone, scaleFactor, style) })
    }
    imageCache.set(key, image)
  }
  return image
}

function templateImage(): NativeImage {
  const image = nativeImage.createEmpty()
  for (const scaleFactor of [1, 2])
    image.addRepresentation({ scaleFactor, buffer: renderTemplatePng(scaleFactor) })
  image.setTemplateImage(true)
  return image
}

function toElectronMenu(entries: TrayMenuEntry[], options: TrayOptions): MenuItemConstructorOptions[] {
  return entries.map((entry) => {
    const item: MenuItemConstructorOptions = { type: entry.type ?? 'normal' }
    if (entry.id) item.id = entry.id
    if (entry.label) item.label = entry.label
    if (entry.enabled !== undefined) item.enabled = entry.enabled
    if (entry.submenu) item.submenu = toElectronMenu(entry.submenu, options)
    const command = entry.command
    if (command) item.click = () => options.onCommand(command)
    return item
  })
}

function run(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 2_000 }, (error, stdout) => resolve(error ? null : String(stdout)))
  })
}
