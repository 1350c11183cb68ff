/**
 * The tray badge: the number of free seats drawn into a small PNG, coloured by status.
 * Pure Node (pngjs, no electron) so it is tested and benchmarked outside Electron; tray.ts wraps the buffers
 * in a nativeImage with one representation per scale factor.
 */
import { PNG } from 'pngjs'
import type { Tone } from '../../common/model'

/** The scale factors Windows and macOS ask for most; Electron picks the closest representation. */
export const BADGE_SCALES = [1, 1.25, 1.5, 2] as const
export type BadgeScale = (typeof BADGE_SCALES)[number]

/** The icon's edge at scale 1: the tray slot on Windows and most Linux panels. */
export const BADGE_BASE_SIZE = 16

export type Rgb = readonly [number, number, number]

/**
 * Fill, ink (the digits) and ring per tone. Alarming tones are saturated; offline, stale and signed-out are greyed.
 * Fills are mid-bright so they stand out on dark panels; the ring, a much darker shade of the fill, outlines
 * them on light panels without merging with the digits.
 */
export const TONE_COLORS: Record<Tone, { fill: Rgb; ink: Rgb; ring: Rgb }> = {
  ok: tone([0x2e, 0x9e, 0x4f], WHITE()),
  low: tone([0xf5, 0xb8, 0x00], BLACK()),
  out: tone([0xe5, 0x39, 0x35], WHITE()),
  error: tone([0xab, 0x47, 0xbc], WHITE()),
  'signed-out': tone([0x78, 0x7c, 0x82], WHITE()),
  offline: tone([0x8a, 0x8a, 0x8a], WHITE()),
  stale: tone([0xbd, 0xbd, 0xbd], BLACK()),
}

/** The badge PNG for `text` (`0`…`99`, `99+`, or `!` `?` `–`) at one scale factor. Cached: the tray redraws often. */
export function renderBadgePng(text: string, tone: Tone, scale: BadgeScale | number): Buffer {
  const key = `${text}\u0000${tone}\u0000${scale}`
  let png = cache.get(key)
  if (!png) {
    png = drawBadge(text, tone, scale)
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
    cache.set(key, png)
  }
  return png
}

/** The pixel edge of the badge at a scale factor (16, 20, 24, 32). */
export function badgeSize(scale: number): number {
  return Math.round(BADGE_BASE_SIZE * scale)
}

/**
 * macOS menu bar: a black-and-alpha "template" glyph (the system tints it for light and dark bars);
 * the number goes next to it with tray.setTitle.
 */
export function renderTemplatePng(scale: BadgeScale | number): Buffer {
  const size = badgeSize(scale)
  const png = new PNG({ width: size, height: size })
  const unit = size / 16
  // A seat seen from the side, on a 16-unit grid: a back rest, a seat, two legs (legs at least 1 px wide).
  const block = (x: number, y: number, w: number, h: number, minWidth = 0) =>
    fillRect(
      png,
      Math.round(x * unit),
      Math.round(y * unit),
      Math.max(minWidth, Math.round(w * unit)),
      Math.round(h * unit),
      BLACK(),
    )
  block(3, 2, 3, 9)
  block(3, 9, 10, 2)
  block(3, 11, 2, 3, 1)
  block(11, 11, 2, 3, 1)
  return PNG.sync.write(png)
}

/** Every (0–99, 99+, symbol) × tone × scale fits, a few hundred bytes each: about 1 MB at the very most. */
const CACHE_LIMIT = 4096
const cache = new Map<string, Buffer>()

function drawBadge(text: string, tone: Tone, scale: number): Buffer {
  const size = badgeSize(scale)
  const colors = TONE_COLORS[tone]
  const png = new PNG({ width: size, height: size })
  const ringWidth = Math.max(1, Math.round(scale))
  drawRoundedSquare(png, colors.ring, 0)
  drawRoundedSquare(png, colors.fill, ringWidth)
  drawText(png, glyphsFor(text), colors.ink, ringWidth)
  return PNG.sync.write(png)
}

/** A square with rounded corners, inset by `inset` pixels, so neighbouring icons don't merge with ours. */
function drawRoundedSquare(png: PNG, color: Rgb, inset: number): void {
  const size = png.width
  const radius = Math.max(2, size / 4 - inset / 2)
  const lo = inset
  const hi = size - inset
  for (let y = lo; y < hi; y++) {
    for (let x = lo; x < hi; x++) {
      const cx = Math.min(Math.max(x + 0.5, lo + radius), hi - radius)
      const cy = Math.min(Math.max(y + 0.5, lo + radius), hi - radius)
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2) setPixel(png, x, y, color)
    }
  }
}

/** Centres the text at the largest whole-pixel glyph scale that fits inside the ring: bigger digits read better. */
function drawText(png: PNG, glyphs: Glyph[], color: Rgb, ringWidth: number): void {
  const inner = png.width - 2 * ringWidth
  let k = 1
  while (textWidth(glyphs, k + 1) <= inner && GLYPH_HEIGHT * (k + 1) <= inner) k++
  let x = Math.round((png.width - textWidth(glyphs, k)) / 2)
  const y = Math.round((png.height - GLYPH_HEIGHT * k) / 2)
  for (const glyph of glyphs) {
    glyph.rows.forEach((row, gy) => {
      for (let gx = 0; gx < glyph.width; gx++) {
        if (row[gx] === '#') fillRect(png, x + gx * k, y + gy * k, k, k, color)
      }
    })
    x += glyph.width * k + glyphGap(k)
  }
}

function textWidth(glyphs: Glyph[], k: number): number {
  return glyphs.reduce((sum, g) => sum + g.width * k, 0) + (glyphs.length - 1) * glyphGap(k)
}

/** Half a glyph pixel between characters (at least one): two digits at double size still fit 16 px. */
function glyphGap(k: number): number {
  return Math.max(1, Math.floor(k / 2))
}

function glyphsFor(text: string): Glyph[] {
  const glyphs = [...text].map((ch) => GLYPHS[ch] ?? GLYPHS['?']!)
  return glyphs.length > 0 ? glyphs : [GLYPHS['–']!]
}

function fillRect(png: PNG, x0: number, y0: number, w: number, h: number, color: Rgb): void {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) setPixel(png, x, y, color)
}

function setPixel(png: PNG, x: number, y: number, [r, g, b]: Rgb): void {
  if (x < 0 || y < 0 || x >= png.width || y >= png.height) return
  const i = (y * png.width + x) * 4
  png.data[i] = r
  png.data[i + 1] = g
  png.data[i + 2] = b
  png.data[i + 3] = 0xff
}

function tone(fill: Rgb, ink: Rgb): { fill: Rgb; ink: Rgb; ring: Rgb } {
  const ring = fill.map((c) => Math.round(c * 0.35)) as unknown as Rgb
  return { fill, ink, ring }
}

function WHITE(): Rgb {
  return [0xff, 0xff, 0xff]
}

function BLACK(): Rgb {
  return [0x00, 0x00, 0x00]
}

interface Glyph {
  width: number
  rows: string[]
}

const GLYPH_HEIGHT = 5

/** A 3×5 pixel font: the smallest whose digits stay legible at 16 px. `+` and `!` are narrower to fit `99+`. */
const GLYPHS: Record<string, Glyph> = Object.fromEntries(
  Object.entries({
    '0': ['###', '#.#', '#.#', '#.#', '###'],
    '1': ['.#.', '##.', '.#.', '.#.', '###'],
    '2': ['###', '..#', '###', '#..', '###'],
    '3': ['###', '..#', '.##', '..#', '###'],
    '4': ['#.#', '#.#', '###', '..#', '..#'],
    '5': ['###', '#..', '###', '..#', '###'],
    '6': ['###', '#..', '###', '#.#', '###'],
    '7': ['###', '..#', '.#.', '.#.', '.#.'],
    '8': ['###', '#.#', '###', '#.#', '###'],
    '9': ['###', '#.#', '###', '..#', '###'],
    '+': ['...', '.#.', '###', '.#.', '...'],
    '!': ['#', '#', '#', '.', '#'],
    '?': ['###', '..#', '.##', '...', '.#.'],
    '–': ['...', '...', '###', '...', '...'],
    '-': ['...', '...', '###', '...', '...'],
  }).map(([ch, rows]) => [ch, { width: rows[0]!.length, rows }]),
)
