/**
 * Where the popup window goes when the tray icon is clicked: next to the icon, on the side away from the taskbar
 * (menubar's approach). Pure, so every OS and taskbar edge is tested without a screen.
 */

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export type TaskbarEdge = 'top' | 'bottom' | 'left' | 'right'

export interface PositionInput {
  platform: NodeJS.Platform
  /** The tray icon's bounds; zero-sized on Linux, where Electron cannot tell. */
  trayBounds: Rect
  windowSize: { width: number; height: number }
  /** The display the tray (or the cursor) is on: its full bounds and the part not covered by panels. */
  displayBounds: Rect
  workArea: Rect
  /** Where the pointer is: the best guess for the icon when its bounds are unknown. */
  cursor: { x: number; y: number }
}

/** A gap between the panel and the window, so the window does not look glued to it. */
const GAP = 4

export function windowPosition(input: PositionInput): { x: number; y: number } {
  const { windowSize, workArea } = input
  const anchor = trayAnchor(input)
  const edge = input.platform === 'darwin' ? 'top' : taskbarEdge(input.displayBounds, workArea)
  let x: number
  let y: number
  switch (edge) {
    case 'top':
      x = anchor.x + anchor.width / 2 - windowSize.width / 2
      y = workArea.y + GAP
      break
    case 'bottom':
      x = anchor.x + anchor.width / 2 - windowSize.width / 2
      y = workArea.y + workArea.height - windowSize.height - GAP
      break
    case 'left':
      x = workArea.x + GAP
      y = anchor.y + anchor.height / 2 - windowSize.height / 2
      break
    case 'right':
      x = workArea.x + workArea.width - windowSize.width - GAP
      y = anchor.y + anchor.height / 2 - windowSize.height / 2
      break
  }
  // Keep the whole window on screen; setPosition also rejects fractions (menubar#233).
  return {
    x: Math.round(clamp(x, workArea.x, workArea.x + workArea.width - windowSize.width)),
    y: Math.round(clamp(y, workArea.y, workArea.y + workArea.height - windowSize.height)),
  }
}

/**
 * Which edge the panel is on: the side where the work area is smaller than the display.
 * With no visible panel (auto-hide), a bottom taskbar is the most common layout.
 */
export function taskbarEdge(display: Rect, workArea: Rect): TaskbarEdge {
  const gaps: [TaskbarEdge, number][] = [
    ['top', workArea.y - display.y],
    ['bottom', display.y + display.height - (workArea.y + workArea.height)],
    ['left', workArea.x - display.x],
    ['right', display.x + display.width - (workArea.x + workArea.width)],
  ]
  const [edge, size] = gaps.reduce((best, g) => (g[1] > best[1] ? g : best))
  return size > 0 ? edge : 'bottom'
}

/** The icon's bounds, or a point at the cursor when the platform does not report them (Linux). */
function trayAnchor({ trayBounds, cursor }: PositionInput): Rect {
  if (trayBounds.width > 0 && trayBounds.height > 0) return trayBounds
  return { x: cursor.x, y: cursor.y, width: 0, height: 0 }
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, Math.max(min, max)))
}
