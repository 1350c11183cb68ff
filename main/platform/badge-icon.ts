/**
 * The tray badge: the number of free seats drawn into a small PNG, its shape and colour telling the status.
 * The digits come from glyph sheets rendered at build time from a real typeface (scripts/make-glyphs.ts: DejaVu Sans
 * Condensed Bold through resvg), composited here with pngjs: anti-aliased at every scale, no font engine at run time.
 * Pure Node (no electron) so it is tested and benchmarked outside Electron; tray.ts wraps the buffers in a
 * nativeImage with one representation per scale factor.
 */
import { PNG } from 'pngjs'
import type { Tone } from '../../common/model'
import { GLYPH_SHEETS, type GlyphSheetData } from './badge-glyphs'

/** The scale factors Windows and macOS ask for most; Electron picks the closest representation. */
export const BADGE_SCALES = [1, 1.25, 1.5, 2] as const
export type BadgeScale = (typeof BADGE_SCALES)[number]

/** The icon's edge at scale 1: the tray slot on Windows and most Linux panels. */
export const BADGE_BASE_SIZE = 16

export type Rgb = readonly [number, number, number]

/**
 * Fill and ink (the digits) per tone. Alarming tones are saturated; offline, stale and signed-out are greyed. Fills
 * are mid-tones so the shape stands out on light and dark panels alike. Colour is never the only signal: each tone
 * also has its own shape (TONE_SHAPE).
 */
export const TONE_COLORS: Record<Tone, { fill: Rgb; ink: Rgb }> = {
  ok: tone([0x2e, 0x9e, 0x4f], WHITE()),
  low: tone([0xf5, 0xb8, 0x00], BLACK()),
  out: tone([0xe5, 0x39, 0x35], WHITE()),
  error: tone([0xab, 0x47, 0xbc], WHITE()),
  'signed-out': tone([0x78, 0x7c, 0x82], WHITE()),
  offline: tone([0x8a, 0x8a, 0x8a], WHITE()),
  stale: tone([0x9e, 0x9e, 0x9e], BLACK()),
}

/** The badge PNG for `text` (`0`…`99`, `99+`, or `!` `?` `–`) at one scale factor. Cached: the tray redraws often. */
export function renderBadgePng(
  text: string,
  tone: Tone,
  scale: BadgeScale | number,
  style: BadgeStyle = 'colour',
): Buffer {
  const key = `${text}\u0000${tone}\u0000${scale}\u0000${style}`
  let png = cache.get(key)
  if (!png) {
    png = drawBadge(text, tone, scale, style)
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

/** Every (0–99, 99+, symbol) × tone × scale × style fits, a few hundred bytes each: about 1 MB at the very most. */
const CACHE_LIMIT = 8192
const cache = new Map<string, Buffer>()

/**
 * How the badge is painted. `colour`: a filled shape in the tone's colour with contrasting digits. `light-panel` /
 * `dark-panel`: monochrome, the shape in the panel's own ink (black on a light panel, white on a dark one) with the
 * digits cut out of it, as Windows 11 and GNOME draw their own tray icons; the tone then shows by shape alone.
 */
export type BadgeStyle = 'colour' | 'light-panel' | 'dark-panel'

/**
 * The silhouette of each tone, so tones differ without colour (a colour-blind person, a monochrome panel):
 * ok a rounded square; low a squarer one with its top-right corner cut off; out a circle; error a warning triangle;
 * signed-out a rounded square with `?`; offline a perforated edge (the connection is broken); stale a double edge
 * (a ring, a gap, then the fill: an old reading, kept).
 */
export const TONE_SHAPE: Record<
  Tone,
  'square' | 'notched' | 'circle' | 'triangle' | 'perforated' | 'double'
> = {
  ok: 'square',
  low: 'notched',
  out: 'circle',
  error: 'triangle',
  'signed-out': 'square',
  offline: 'perforated',
  stale: 'double',
}

function drawBadge(text: string, tone: Tone, scale: number, style: BadgeStyle): Buffer {
  const size = badgeSize(scale)
  const png = new PNG({ width: size, height: size })
  const shape = badgeSilhouette(tone, scale)
  const { coverage, width } = textCoverage(text || '–', scale, size, tone === 'error')
  const left = Math.round((size - width) / 2)
  const colors = TONE_COLORS[tone]
  const mono = style === 'colour' ? null : style === 'light-panel' ? BLACK() : WHITE()
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x
      const s = shape[i]!
      if (s === 0) continue
      const tx = x - left
      const g = tx >= 0 && tx < width ? coverage[y * width + tx]! / 255 : 0
      const o = i * 4
      if (mono) {
        // The digits are holes in the shape: the panel shows through them, whatever its colour.
        png.data[o] = mono[0]
        png.data[o + 1] = mono[1]
        png.data[o + 2] = mono[2]
        png.data[o + 3] = Math.round(s * (1 - g))
      } else {
        for (let c = 0; c < 3; c++)
          png.data[o + c] = Math.round(colors.fill[c]! * (1 - g) + colors.ink[c]! * g)
        png.data[o + 3] = s
      }
    }
  }
  return PNG.sync.write(png)
}

/** The tone's shape alone, coverage 0–255 per pixel, row by row; drawn once per tone and scale. */
export function badgeSilhouette(tone: Tone, scale: number): Uint8Array {
  const key = `${tone}:${scale}`
  let shape = silhouettes.get(key)
  if (!shape) {
    shape = shapeCoverage(TONE_SHAPE[tone], badgeSize(scale), scale)
    silhouettes.set(key, shape)
  }
  return shape
}

const silhouettes = new Map<string, Uint8Array>()

/** Shape coverage 0–255 per pixel, 4 × 4 samples a pixel so the edges are anti-aliased like the digits. */
function shapeCoverage(shape: (typeof TONE_SHAPE)[Tone], size: number, scale: number): Uint8Array {
  const out = new Uint8Array(size * size)
  const inside = SHAPES[shape](size, scale)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hits = 0
      for (let sy = 0; sy < SAMPLES; sy++)
        for (let sx = 0; sx < SAMPLES; sx++)
          if (inside(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES)) hits++
      out[y * size + x] = Math.round((hits * 255) / (SAMPLES * SAMPLES))
    }
  }
  return out
}

const SAMPLES = 4

type Inside = (x: number, y: number) => boolean

function roundedSquare(size: number, inset: number, radius = size / 4): Inside {
  const lo = inset
  const hi = size - inset
  const r = Math.max(1, radius - inset)
  return (x, y) => {
    if (x < lo || x > hi || y < lo || y > hi) return false
    const cx = Math.min(Math.max(x, lo + r), hi - r)
    const cy = Math.min(Math.max(y, lo + r), hi - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
  }
}

const SHAPES: Record<(typeof TONE_SHAPE)[Tone], (size: number, scale: number) => Inside> = {
  square: (size) => roundedSquare(size, 0),
  notched: (size) => {
    // Squarer corners than ok's, and one cut off along a diagonal: clear of the digits, plain at 16 px.
    const square = roundedSquare(size, 0, size / 8)
    const cut = size * 0.62
    return (x, y) => square(x, y) && x - y < cut
  },
  circle: (size) => (x, y) => (x - size / 2) ** 2 + (y - size / 2) ** 2 <= (size / 2) ** 2,
  triangle: (size) => {
    // Point up, base on the bottom edge: the warning sign.
    const top = size * 0.02
    const bottom = size * 0.96
    return (x, y) =>
      y >= top && y <= bottom && Math.abs(x - size / 2) <= ((y - top) / (bottom - top)) * (size / 2)
  },
  perforated: (size, scale) => {
    const square = roundedSquare(size, 0)
    const band = Math.max(1, Math.round(scale))
    const inner = roundedSquare(size, band)
    const dash = 2 * Math.max(1, Math.round(scale))
    // The edge band alternates ink and gap, like a dotted line round the badge.
    return (x, y) => {
      if (!square(x, y)) return false
      if (inner(x, y)) return true
      const along = y < band || y > size - band ? x : y
      return Math.floor(along / dash) % 2 === 0
    }
  },
  double: (size, scale) => {
    const square = roundedSquare(size, 0)
    const band = Math.max(1, Math.round(scale))
    const ring = roundedSquare(size, band)
    const core = roundedSquare(size, 2 * band)
    return (x, y) => square(x, y) && (!ring(x, y) || core(x, y))
  },
}

/**
 * The text's coverage from the glyph sheets: the size class by character count (one big digit, two, or `99+`),
 * glyphs side by side with the sheet's gap. The warning triangle narrows at the top, so its `!` is a size smaller and lower.
 */
function textCoverage(
  text: string,
  scale: number,
  size: number,
  narrow: boolean,
): { coverage: Uint8Array; width: number } {
  const chars = [...text].map((ch) => (ch === '-' ? '–' : ch))
  const sizeClass = narrow ? 2 : (Math.min(3, chars.length) as 1 | 2 | 3)
  const sheet = sheetFor(scale, sizeClass, size)
  const cells = chars.map((ch) => sheet.glyphs[ch] ?? sheet.glyphs['?']!)
  const width = cells.reduce((sum, c) => sum + c.width, 0) + sheet.gap * (cells.length - 1)
  const coverage = new Uint8Array(width * size)
  const top = narrow ? Math.round(size * 0.14) : 0
  let x = 0
  for (const cell of cells) {
    for (let y = 0; y + top < size; y++) {
      for (let cx = 0; cx < cell.width; cx++) {
        coverage[(y + top) * width + x + cx] = sheet.alpha[y * sheet.width + cell.x + cx]!
      }
    }
    x += cell.width + sheet.gap
  }
  return { coverage, width }
}

interface DecodedSheet {
  gap: number
  width: number
  alpha: Uint8Array
  glyphs: GlyphSheetData['glyphs']
}

/** The sheet drawn for this scale, decoded once; a scale with no sheet of its own uses the nearest smaller one. */
function sheetFor(scale: number, sizeClass: 1 | 2 | 3, size: number): DecodedSheet {
  const key = `${scale}:${sizeClass}`
  let sheet = decoded.get(key)
  if (!sheet) {
    const candidates = GLYPH_SHEETS.filter((s) => s.sizeClass === sizeClass && s.height <= size)
    const data = candidates.sort((a, b) => b.height - a.height)[0] ?? GLYPH_SHEETS[0]!
    const png = PNG.sync.read(Buffer.from(data.png, 'base64'))
    const alpha = new Uint8Array(png.width * png.height)
    for (let i = 0; i < alpha.length; i++) alpha[i] = png.data[i * 4 + 3]!
    sheet = { gap: data.gap, width: png.width, alpha, glyphs: data.glyphs }
    decoded.set(key, sheet)
  }
  return sheet
}

const decoded = new Map<string, DecodedSheet>()

function tone(fill: Rgb, ink: Rgb): { fill: Rgb; ink: Rgb } {
  return { fill, ink }
}

function fillRect(png: PNG, x0: number, y0: number, w: number, h: number, [r, g, b]: Rgb): void {
  for (let y = Math.max(0, y0); y < Math.min(png.height, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(png.width, x0 + w); x++) {
      const i = (y * png.width + x) * 4
      png.data[i] = r
      png.data[i + 1] = g
      png.data[i + 2] = b
      png.data[i + 3] = 0xff
    }
  }
}

function WHITE(): Rgb {
  return [0xff, 0xff, 0xff]
}

function BLACK(): Rgb {
  return [0x00, 0x00, 0x00]
}
