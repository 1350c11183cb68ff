/**
 * A review sheet of tray badges: every tone and style at every scale, on light and dark panels, at real size and
 * magnified (nearest neighbour, so the real pixels show). People judge legibility from it; the tests save it.
 */
import { PNG } from 'pngjs'
import type { Tone } from '../../common/model'
import { BADGE_SCALES, type BadgeStyle, badgeSize, renderBadgePng } from '../../main/platform/badge-icon'

export const SHEET_TONES: Tone[] = ['ok', 'low', 'out', 'error', 'signed-out', 'offline', 'stale']
export const SHEET_TEXTS = ['0', '1', '7', '12', '42', '88', '99', '99+']

/** What the tray shows for a tone: error `!`, signed out `?`, otherwise the count. */
export function textFor(tone: Tone, count: string): string {
  return tone === 'error' ? '!' : tone === 'signed-out' ? '?' : tone === 'out' ? '0' : count
}

const PANELS: { panel: readonly [number, number, number]; style: BadgeStyle }[] = [
  { panel: [0xf3, 0xf3, 0xf3], style: 'colour' },
  { panel: [0x20, 0x20, 0x20], style: 'colour' },
  { panel: [0xf3, 0xf3, 0xf3], style: 'light-panel' },
  { panel: [0x20, 0x20, 0x20], style: 'dark-panel' },
]

export function badgeSheet(zoom: number): Buffer {
  const pad = 4
  const cell = badgeSize(2) + pad
  const blockWidth = SHEET_TEXTS.length * cell + pad
  const width = (blockWidth * BADGE_SCALES.length + pad) * zoom
  const rows = PANELS.length * SHEET_TONES.length
  const height = (rows * cell + pad * PANELS.length + pad) * zoom
  const sheet = new PNG({ width, height })
  sheet.data.fill(0x80)
  PANELS.forEach(({ panel, style }, p) => {
    const y0 = pad + p * (SHEET_TONES.length * cell + pad)
    fill(sheet, 0, y0 * zoom, width, SHEET_TONES.length * cell * zoom, panel)
    SHEET_TONES.forEach((tone, t) => {
      BADGE_SCALES.forEach((scale, s) => {
        SHEET_TEXTS.forEach((text, i) => {
          const badge = PNG.sync.read(renderBadgePng(textFor(tone, text), tone, scale, style))
          const x = pad + s * blockWidth + i * cell
          blit(sheet, badge, x * zoom, (y0 + t * cell + pad / 2) * zoom, zoom)
        })
      })
    })
  })
  return PNG.sync.write(sheet)
}

function fill(png: PNG, x0: number, y0: number, w: number, h: number, [r, g, b]: readonly number[]): void {
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) {
      const i = (y * png.width + x) * 4
      png.data[i] = r!
      png.data[i + 1] = g!
      png.data[i + 2] = b!
      png.data[i + 3] = 255
    }
}

/** Source-over, magnified by `zoom` with square pixels. */
function blit(dst: PNG, src: PNG, x0: number, y0: number, zoom: number): void {
  for (let y = 0; y < src.height * zoom; y++)
    for (let x = 0; x < src.width * zoom; x++) {
      const s = (Math.floor(y / zoom) * src.width + Math.floor(x / zoom)) * 4
      const d = ((y0 + y) * dst.width + x0 + x) * 4
      const a = src.data[s + 3]! / 255
      for (let c = 0; c < 3; c++)
        dst.data[d + c] = Math.round(src.data[s + c]! * a + dst.data[d + c]! * (1 - a))
    }
}
