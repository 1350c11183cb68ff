import { describe, expect, it } from 'vitest'
import { type PositionInput, taskbarEdge, windowPosition } from '../../main/platform/tray-position'

const display = { x: 0, y: 0, width: 1920, height: 1080 }
const windowSize = { width: 360, height: 480 }

function input(over: Partial<PositionInput>): PositionInput {
  return {
    platform: 'win32',
    trayBounds: { x: 1700, y: 1040, width: 24, height: 40 },
    windowSize,
    displayBounds: display,
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
    cursor: { x: 1712, y: 1060 },
    ...over,
  }
}

describe('where the window opens when the tray icon is clicked', () => {
  it('opens above a bottom taskbar, centred on the icon (Windows default)', () => {
    expect(windowPosition(input({}))).toEqual({ x: 1532, y: 1040 - 480 - 4 })
  })

  it('opens under the icon in the macOS menu bar', () => {
    const pos = windowPosition(
      input({
        platform: 'darwin',
        trayBounds: { x: 1500, y: 0, width: 22, height: 24 },
        workArea: { x: 0, y: 25, width: 1920, height: 1055 },
      }),
    )
    expect(pos).toEqual({ x: 1331, y: 29 })
  })

  it('opens beside a taskbar on the left or the right edge', () => {
    const left = windowPosition(
      input({
        trayBounds: { x: 10, y: 900, width: 40, height: 24 },
        workArea: { x: 60, y: 0, width: 1860, height: 1080 },
      }),
    )
    expect(left).toEqual({ x: 64, y: 1080 - 480 })
    const right = windowPosition(
      input({
        trayBounds: { x: 1870, y: 300, width: 40, height: 24 },
        workArea: { x: 0, y: 0, width: 1860, height: 1080 },
      }),
    )
    expect(right).toEqual({ x: 1860 - 360 - 4, y: 72 })
  })

  it('opens below a top panel on Linux, at the cursor when the panel does not report the icon', () => {
    const pos = windowPosition(
      input({
        platform: 'linux',
        trayBounds: { x: 0, y: 0, width: 0, height: 0 },
        workArea: { x: 0, y: 32, width: 1920, height: 1048 },
        cursor: { x: 1880, y: 10 },
      }),
    )
    expect(pos).toEqual({ x: 1920 - 360, y: 36 })
  })

  it('never places the window partly off screen, and only at whole pixels', () => {
    const pos = windowPosition(input({ trayBounds: { x: 1910.5, y: 1041, width: 9, height: 39 } }))
    expect(pos.x).toBe(1920 - 360)
    expect(Number.isInteger(pos.x) && Number.isInteger(pos.y)).toBe(true)
    const secondScreen = windowPosition(
      input({
        trayBounds: { x: -30, y: 1040, width: 24, height: 40 },
        displayBounds: { x: -1920, y: 0, width: 1920, height: 1080 },
        workArea: { x: -1920, y: 0, width: 1920, height: 1040 },
      }),
    )
    expect(secondScreen.x).toBe(-360)
  })

  it('finds the taskbar edge from the display and its work area', () => {
    expect(taskbarEdge(display, { x: 0, y: 0, width: 1920, height: 1040 })).toBe('bottom')
    expect(taskbarEdge(display, { x: 0, y: 40, width: 1920, height: 1040 })).toBe('top')
    expect(taskbarEdge(display, { x: 48, y: 0, width: 1872, height: 1080 })).toBe('left')
    expect(taskbarEdge(display, { x: 0, y: 0, width: 1872, height: 1080 })).toBe('right')
    expect(taskbarEdge(display, display)).toBe('bottom')
  })
})
