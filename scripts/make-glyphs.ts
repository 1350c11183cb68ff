/**
 * Renders the tray badge's glyph sheets from a real typeface (run: `npm run package:glyphs`, then commit the outputs).
 *
 * Why at build time: the badge must redraw in well under a millisecond in the running app, and a font rasteriser is
 * a native dependency the app should not carry. So resvg (a well-kept SVG/font rasteriser, a dev dependency only)
 * draws each character once per scale factor and size class, anti-aliased, and the app composites those coverage
 * maps with pngjs at run time (main/platform/badge-icon.ts).
 *
 * The typeface is DejaVu Sans Condensed Bold (build/fonts, Bitstream Vera licence + public domain changes): open,
 * condensed so `99+` fits 16 px, bold so the strokes survive anti-aliasing at 16 px.
 *
 * Outputs: build/glyphs/badge-<scale>x-<class>.png (for people to look at) and main/platform/badge-glyphs.ts (the
 * same sheets as data the app imports; a test checks it matches what this script renders).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Resvg } from '@resvg/resvg-js'
import { PNG } from 'pngjs'

export const FONT_FILE = fileURLToPath(
  new URL('../build/fonts/DejaVuSansCondensed-Bold.ttf', import.meta.url),
)
const FONT_FAMILY = 'DejaVu Sans Condensed'
const GLYPH_DIR = fileURLToPath(new URL('../build/glyphs', import.meta.url))
const MODULE_FILE = fileURLToPath(new URL('../main/platform/badge-glyphs.ts', import.meta.url))

/** Every character a badge can show: counts, `99+`, and the symbols for "no number". */
export const BADGE_CHARS = '0123456789+!?–'
export const SCALES = [1, 1.25, 1.5, 2] as const
/** Glyphs are sized by how many characters the badge holds: one big digit, two digits, or `99+`. */
export const SIZE_CLASSES = [1, 2, 3] as const
export type SizeClass = (typeof SIZE_CLASSES)[number]

export interface Sheet {
  scale: number
  sizeClass: SizeClass
  /** Sheet height = the badge's edge at this scale; every glyph cell is that tall, so glyphs share one baseline. */
  height: number
  /** Pixels between neighbouring glyphs at run time. */
  gap: number
  fontSize: number
  /** Where each character's cell starts in the sheet and how wide its ink is. */
  glyphs: Record<string, { x: number; width: number }>
  /** Coverage 0–255, row by row, `width` × `height`. */
  width: number
  alpha: Uint8Array
}

/** Coverage of one character at `fontSize`, cropped to its ink columns, in a cell `height` tall. */
export function renderGlyph(
  ch: string,
  fontSize: number,
  height: number,
  baseline: number,
): { width: number; alpha: Uint8Array } {
  const canvas = Math.ceil(fontSize * 1.2) + 4
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas}" height="${height}"><text x="2" y="${baseline}" font-family="${FONT_FAMILY}" font-weight="bold" font-size="${fontSize}" fill="#fff">${ch}</text></svg>`
  const image = new Resvg(svg, {
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 2,
  }).render()
  const px = image.pixels
  let left = canvas
  let right = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < canvas; x++) {
      if ((px[(y * canvas + x) * 4 + 3] ?? 0) > INK_THRESHOLD) {
        left = Math.min(left, x)
        right = Math.max(right, x)
      }
    }
  }
  if (right < 0) return { width: 0, alpha: new Uint8Array(0) }
  const width = right - left + 1
  const alpha = new Uint8Array(width * height)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) alpha[y * width + x] = px[(y * canvas + left + x) * 4 + 3] ?? 0
  return { width, alpha }
}

/** Faint fringes below this coverage are not ink: they would only widen the box a glyph is centred by. */
const INK_THRESHOLD = 24

/** The pixel edge of the badge at a scale factor (16, 20, 24, 32), as badge-icon.ts computes it. */
function edge(scale: number): number {
  return Math.round(16 * scale)
}

/** The gap between glyphs: a pixel at 1×, more when there is room, so `99+` reads as three characters. */
export function gapFor(scale: number, sizeClass: SizeClass): number {
  return sizeClass === 3 ? Math.max(1, Math.floor(scale * 0.75)) : Math.max(1, Math.round(scale))
}

/** How much of the badge the text may use: the shapes leave a margin, and one digit is as tall as fits. */
function limits(scale: number, sizeClass: SizeClass): { width: number; height: number } {
  const size = edge(scale)
  const margin = sizeClass === 3 ? Math.max(0.5, scale * 0.5) : Math.max(1, scale)
  return { width: size - 2 * margin, height: size * (sizeClass === 1 ? 0.66 : 0.6) }
}

/** The `+` of `99+` is drawn smaller than the digits: it is a qualifier, and the digits need the room. */
const PLUS_SHRINK = 0.9

export function buildSheet(scale: number, sizeClass: SizeClass): Sheet {
  const height = edge(scale)
  const gap = gapFor(scale, sizeClass)
  const limit = limits(scale, sizeClass)
  // The largest font size whose widest string of this class fits: digit height grows with the font.
  for (let fontSize = height; fontSize > 4; fontSize -= 0.25) {
    const sheet = layOut(scale, sizeClass, fontSize, height, gap)
    const digitWidth = Math.max(...[...'0123456789'].map((d) => sheet.glyphs[d]!.width))
    const widest =
      sizeClass === 3
        ? 2 * sheet.glyphs['9']!.width + sheet.glyphs['+']!.width + 2 * gap
        : sizeClass === 2
          ? 2 * digitWidth + gap
          : Math.max(digitWidth, sheet.glyphs['?']!.width)
    if (widest <= limit.width && fontSize * DIGIT_HEIGHT_EM <= limit.height) return sheet
  }
  throw new Error(`no font size fits a ${sizeClass}-character badge at scale ${scale}`)
}

/** DejaVu's digits are 0.729 em tall. */
const DIGIT_HEIGHT_EM = 0.729

function layOut(scale: number, sizeClass: SizeClass, fontSize: number, height: number, gap: number): Sheet {
  // Digits centred vertically: the baseline sits half a digit height below the middle.
  const baseline = height / 2 + (fontSize * DIGIT_HEIGHT_EM) / 2
  const cells = [...BADGE_CHARS].map((ch) => {
    if (ch === '+' && sizeClass === 3) {
      // A smaller plus, its middle on the digits' middle (DejaVu's plus centres 0.318 em above the baseline).
      const size = fontSize * PLUS_SHRINK
      return { ch, ...renderGlyph(ch, size, height, height / 2 + size * 0.318) }
    }
    return { ch, ...renderGlyph(ch, fontSize, height, baseline) }
  })
  const width = cells.reduce((sum, c) => sum + c.width, 0)
  const alpha = new Uint8Array(width * height)
  const glyphs: Sheet['glyphs'] = {}
  let x = 0
  for (const c of cells) {
    glyphs[c.ch] = { x, width: c.width }
    for (let y = 0; y < height; y++)
      alpha.set(c.alpha.subarray(y * c.width, (y + 1) * c.width), y * width + x)
    x += c.width
  }
  return { scale, sizeClass, height, gap, fontSize, glyphs, width, alpha }
}

/** A sheet as a white-on-transparent PNG: what people review, and what the app decodes. */
export function sheetPng(sheet: Sheet): Buffer {
  const png = new PNG({ width: sheet.width, height: sheet.height })
  for (let i = 0; i < sheet.alpha.length; i++) {
    png.data[i * 4] = 0xff
    png.data[i * 4 + 1] = 0xff
    png.data[i * 4 + 2] = 0xff
    png.data[i * 4 + 3] = sheet.alpha[i]!
  }
  return PNG.sync.write(png)
}

export function allSheets(): Sheet[] {
  return SCALES.flatMap((scale) => SIZE_CLASSES.map((c) => buildSheet(scale, c)))
}

/** The TypeScript module the app imports: each sheet's metrics and its PNG, base64. */
export function glyphModule(sheets: Sheet[]): string {
  const entries = sheets.map((s) => {
    const meta = {
      scale: s.scale,
      sizeClass: s.sizeClass,
      height: s.height,
      gap: s.gap,
      fontSize: s.fontSize,
      glyphs: s.glyphs,
    }
    return `  ${JSON.stringify(meta).slice(0, -1)},"png":"${sheetPng(s).toString('base64')}"},`
  })
  return `// Generated by scripts/make-glyphs.ts from ${FONT_FAMILY} Bold (build/fonts). Do not edit: run npm run package:glyphs.
// biome-ignore-all format: generated data

/** One glyph sheet: white coverage on transparent, one cell per character, all cells as tall as the badge. */
export interface GlyphSheetData {
  scale: number
  sizeClass: 1 | 2 | 3
  height: number
  gap: number
  /** The font size the glyphs were drawn at, in pixels. */
  fontSize: number
  glyphs: Record<string, { x: number; width: number }>
  png: string
}

export const GLYPH_SHEETS: GlyphSheetData[] = [
${entries.join('\n')}
]
`
}

export function makeGlyphs(): string[] {
  mkdirSync(GLYPH_DIR, { recursive: true })
  const sheets = allSheets()
  const written: string[] = []
  for (const s of sheets) {
    const name = join(GLYPH_DIR, `badge-${s.scale}x-${s.sizeClass}.png`)
    writeFileSync(name, sheetPng(s))
    written.push(name)
  }
  writeFileSync(MODULE_FILE, glyphModule(sheets))
  written.push(MODULE_FILE)
  return written
}

export function committedGlyphModule(): string {
  return readFileSync(MODULE_FILE, 'utf8')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of makeGlyphs()) console.log(f)
}
