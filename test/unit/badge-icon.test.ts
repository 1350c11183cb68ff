import { mkdirSync, writeFileSync } from 'node:fs'
import { Resvg } from '@resvg/resvg-js'
import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import type { Tone } from '../../common/model'
import { GLYPH_SHEETS } from '../../main/platform/badge-glyphs'
import {
  BADGE_SCALES,
  type BadgeStyle,
  badgeSilhouette,
  badgeSize,
  renderBadgePng,
  renderTemplatePng,
  TONE_COLORS,
} from '../../main/platform/badge-icon'
import { allSheets, committedGlyphModule, FONT_FILE, glyphModule } from '../../scripts/make-glyphs'
import { badgeSheet, textFor } from '../helpers/badge-sheet'

const TONES: Tone[] = ['ok', 'low', 'out', 'error', 'signed-out', 'offline', 'stale']
const COUNTS = [...Array.from({ length: 100 }, (_, n) => String(n)), '99+']
const STYLES: BadgeStyle[] = ['colour', 'light-panel', 'dark-panel']

describe('the tray badge', () => {
  it('is 16, 20, 24 and 32 pixels square at scale factors 1, 1.25, 1.5 and 2', () => {
    expect(BADGE_SCALES.map((s) => decode(renderBadgePng('7', 'ok', s)).width)).toEqual([16, 20, 24, 32])
    for (const s of BADGE_SCALES) expect(decode(renderBadgePng('7', 'ok', s)).height).toBe(badgeSize(s))
  })

  it('is filled with the colour of its status, so a glance tells ok from low from out', () => {
    for (const tone of TONES) {
      const png = decode(renderBadgePng(textFor(tone, '5'), tone, 1))
      // Low in the badge, clear of the digits, is the fill.
      expect(pixel(png, 4, 13), tone).toEqual([...TONE_COLORS[tone].fill, 255])
    }
    const fills = new Set(['ok', 'low', 'out'].map((t) => TONE_COLORS[t as Tone].fill.join()))
    expect(fills.size).toBe(3)
  })

  it('greys offline and stale alike, so only their shapes tell them apart (the bar the next test uses)', () => {
    const grey = (t: Tone) => luminance(TONE_COLORS[t].fill)
    expect(Math.abs(grey('offline') - grey('stale'))).toBeLessThan(0.12)
  })

  it('draws the digits in ink that contrasts with the fill', () => {
    for (const tone of TONES) {
      const { fill, ink } = TONE_COLORS[tone]
      expect(contrast(fill, ink), tone).toBeGreaterThan(2)
    }
  })

  it('draws anti-aliased digits from a real typeface at every scale, not blocky bitmap pixels', () => {
    for (const scale of BADGE_SCALES) {
      const cover = inkCoverage(renderBadgePng('42', 'ok', scale, 'light-panel'))
      const partial = cover.filter((g) => g > 0.1 && g < 0.9).length
      const full = cover.filter((g) => g >= 0.9).length
      // A bitmap font scaled up has no partly covered pixels; a rasterised outline has many along every stroke.
      expect(partial, `scale ${scale}`).toBeGreaterThan(full * 0.3)
    }
  })

  it('draws every count from 0 to 99 and "99+" in every tone, style and scale inside the icon, each one different', () => {
    for (const scale of BADGE_SCALES) {
      const size = badgeSize(scale)
      for (const style of STYLES) {
        for (const tone of ['ok', 'low', 'offline', 'stale'] as Tone[]) {
          const seen = new Set<string>()
          for (const text of COUNTS) {
            const png = renderBadgePng(text, tone, scale, style)
            const cover = inkCoverage(png, tone, style)
            const box = inkBox(cover, size)
            const where = `${text} ${tone} ${style} @${scale}`
            expect(box.left, where).toBeGreaterThanOrEqual(0)
            expect(box.right, where).toBeLessThanOrEqual(size - 1)
            expect(box.height, where).toBeGreaterThan(size * (text === '99+' ? 0.25 : 0.4))
            seen.add(mask(cover))
          }
          expect(seen.size, `${tone} ${style} @${scale}`).toBe(COUNTS.length)
        }
      }
      for (const tone of ['out', 'error', 'signed-out'] as Tone[])
        for (const style of STYLES) {
          const png = renderBadgePng(textFor(tone, '5'), tone, scale, style)
          const box = inkBox(inkCoverage(png, tone, style), size)
          expect(box.height, `${tone} ${style} @${scale}`).toBeGreaterThan(size * 0.3)
        }
    }
  })

  it('keeps two digits as tall as half the badge and "99+" legible at 16 px', () => {
    for (const scale of BADGE_SCALES) {
      const size = badgeSize(scale)
      expect(
        inkBox(inkCoverage(renderBadgePng('7', 'ok', scale, 'light-panel')), size).height,
      ).toBeGreaterThanOrEqual(Math.floor(size * 0.6))
      expect(
        inkBox(inkCoverage(renderBadgePng('42', 'ok', scale, 'light-panel')), size).height,
      ).toBeGreaterThanOrEqual(Math.floor(size * 0.5))
    }
    // Read back by template matching against the typeface's own outlines (see readBadge): 99+ at 16 px is legible.
    expect(readBadge(renderBadgePng('99+', 'ok', 1, 'light-panel'), 1, 3)).toEqual(['9', '9', '+'])
  })

  it('reads back every count at every scale when compared with a reference raster of the typeface', () => {
    for (const scale of BADGE_SCALES) {
      for (const text of [...'0123456789']
        .flatMap((a) => [a, `${a}${(Number(a) + 3) % 10}`])
        .concat('99+', '88', '69', '96')) {
        const chars = [...text]
        const sizeClass = Math.min(3, chars.length) as 1 | 2 | 3
        expect(
          readBadge(renderBadgePng(text, 'ok', scale, 'light-panel'), scale, sizeClass),
          `${text} @${scale}`,
        ).toEqual(chars)
      }
    }
  })

  it('tells every tone apart without colour, so offline and stale differ by more than a shade of grey', () => {
    for (const scale of BADGE_SCALES) {
      for (const [style, panel] of [
        ['light-panel', 0.95],
        ['dark-panel', 0.1],
        ['colour', 0.95],
        ['colour', 0.1],
      ] as const) {
        // What a person sees in grey: the badge over the panel, as luminance. The bar is above the difference between
        // the grey fills of offline and stale (0.09), so a shade alone never passes it.
        const looks = TONES.map((tone) => ({
          tone,
          grey: greyOver(renderBadgePng(textFor(tone, '5'), tone, scale, style), panel),
        }))
        for (const a of looks)
          for (const b of looks) {
            if (a.tone >= b.tone) continue
            const differ = a.grey.filter((v, i) => Math.abs(v - b.grey[i]!) > 0.12).length
            // At least 4 % of the pixels differ by more than the bar: a shape or a mark.
            expect(differ, `${a.tone} vs ${b.tone}, ${style} on ${panel} @${scale}`).toBeGreaterThan(
              a.grey.length * 0.04,
            )
          }
      }
    }
  })

  it('follows the panel in monochrome: black on a light panel, white on a dark one, the digits cut out', () => {
    for (const [style, ink] of [
      ['light-panel', [0, 0, 0]],
      ['dark-panel', [255, 255, 255]],
    ] as const) {
      const png = decode(renderBadgePng('42', 'ok', 1, style))
      for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i + 3] === 0) continue
        expect([png.data[i], png.data[i + 1], png.data[i + 2]]).toEqual(ink)
      }
      // The digits are holes: inside the square, where the 4 is, the panel shows through.
      expect(inkCoverage(renderBadgePng('42', 'ok', 1, style), 'ok', style).some((g) => g > 0.9)).toBe(true)
    }
  })

  it('has rounded, transparent corners so neighbouring icons do not merge with it', () => {
    for (const tone of TONES)
      expect(pixel(decode(renderBadgePng('3', tone, 1)), 0, 0)[3], tone).toBeLessThan(128)
  })

  it('shows symbols for "no number" states and never an empty badge', () => {
    for (const text of ['!', '?', '–', '']) {
      expect(
        inkBox(inkCoverage(renderBadgePng(text, 'ok', 1, 'light-panel')), 16).height,
        JSON.stringify(text),
      ).toBeGreaterThan(0)
    }
  })

  it('draws each badge once and reuses it', () => {
    expect(renderBadgePng('12', 'low', 1.5)).toBe(renderBadgePng('12', 'low', 1.5))
    expect(renderBadgePng('12', 'low', 1.5)).not.toBe(renderBadgePng('12', 'out', 1.5))
    expect(renderBadgePng('12', 'low', 1.5)).not.toBe(renderBadgePng('12', 'low', 1.5, 'dark-panel'))
  })

  it('ships the glyph sheets the bundled font renders today (npm run package:glyphs after changing either)', () => {
    expect(committedGlyphModule()).toBe(glyphModule(allSheets()))
  })

  it('saves a sheet of every badge on light and dark panels for people to review', () => {
    mkdirSync('artifacts/badges', { recursive: true })
    writeFileSync('artifacts/badges/badges-real-size.png', badgeSheet(1))
    writeFileSync('artifacts/badges/badges-4x.png', badgeSheet(4))
    expect(decode(badgeSheet(1)).width).toBeGreaterThan(badgeSize(2) * 8)
  })

  it('gives macOS a black-and-transparent template glyph at every scale', () => {
    for (const s of BADGE_SCALES) {
      const png = decode(renderTemplatePng(s))
      expect(png.width).toBe(badgeSize(s))
      let opaque = 0
      for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i + 3] === 0) continue
        opaque++
        expect([png.data[i], png.data[i + 1], png.data[i + 2]]).toEqual([0, 0, 0])
      }
      expect(opaque).toBeGreaterThan(png.width)
    }
  })
})

/**
 * Reads a monochrome badge back: splits the digits' coverage into glyphs by the empty columns between them, then
 * names each glyph by the best match among reference rasters of every badge character, drawn straight from the
 * font at 8 × the size and box-filtered down to that glyph's box. Legible means the right character wins each time.
 */
function readBadge(buf: Buffer, scale: number, sizeClass: 1 | 2 | 3): string[] {
  const size = badgeSize(scale)
  const cover = inkCoverage(buf, 'ok', 'light-panel')
  const sheet = GLYPH_SHEETS.find((s) => s.scale === scale && s.sizeClass === sizeClass)!
  const blobs = splitColumns(cover, size)
  return blobs.map((blob) => {
    let best = ''
    let bestScore = -1
    for (const ch of '0123456789+') {
      const fontSize = ch === '+' && sizeClass === 3 ? sheet.fontSize * 0.9 : sheet.fontSize
      const ref = referenceRaster(ch, fontSize, blob.width, blob.height)
      const score = correlation(blob.values, ref)
      if (score > bestScore) {
        bestScore = score
        best = ch
      }
    }
    return best
  })
}

interface Blob {
  width: number
  height: number
  values: number[]
}

function splitColumns(cover: number[], size: number): Blob[] {
  const column = (x: number) => Math.max(...Array.from({ length: size }, (_, y) => cover[y * size + x]!))
  const blobs: Blob[] = []
  let start = -1
  for (let x = 0; x <= size; x++) {
    const inked = x < size && column(x) > 0.3
    if (inked && start < 0) start = x
    if (!inked && start >= 0) {
      blobs.push(crop(cover, size, start, x - 1))
      start = -1
    }
  }
  return blobs
}

function crop(cover: number[], size: number, left: number, right: number): Blob {
  let top = size
  let bottom = -1
  for (let y = 0; y < size; y++)
    for (let x = left; x <= right; x++)
      if (cover[y * size + x]! > 0.3) {
        top = Math.min(top, y)
        bottom = Math.max(bottom, y)
      }
  const width = right - left + 1
  const height = bottom - top + 1
  const values: number[] = []
  for (let y = top; y <= bottom; y++) for (let x = left; x <= right; x++) values.push(cover[y * size + x]!)
  return { width, height, values }
}

/** The character at 8 × `fontSize`, cropped to its ink and box-filtered to width × height. */
function referenceRaster(ch: string, fontSize: number, width: number, height: number): number[] {
  const { a, l, r, t, b } = highResolution(ch, fontSize)
  const out: number[] = []
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const x0 = l + ((r - l + 1) * x) / width
      const x1 = l + ((r - l + 1) * (x + 1)) / width
      const y0 = t + ((b - t + 1) * y) / height
      const y1 = t + ((b - t + 1) * (y + 1)) / height
      let sum = 0
      let n = 0
      for (let yy = Math.floor(y0); yy < Math.ceil(y1); yy++)
        for (let xx = Math.floor(x0); xx < Math.ceil(x1); xx++) {
          sum += a(xx, yy)
          n++
        }
      out.push(n ? sum / n : 0)
    }
  return out
}

const highRes = new Map<string, ReturnType<typeof drawHighResolution>>()

function highResolution(ch: string, fontSize: number) {
  const key = `${ch}:${fontSize}`
  let raster = highRes.get(key)
  if (!raster) {
    raster = drawHighResolution(ch, fontSize)
    highRes.set(key, raster)
  }
  return raster
}

function drawHighResolution(ch: string, fontSize: number) {
  const k = 8
  const big = fontSize * k
  const canvas = Math.ceil(big * 1.4)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas}" height="${canvas}"><text x="${big * 0.1}" y="${big}" font-family="DejaVu Sans Condensed" font-weight="bold" font-size="${big}" fill="#fff">${ch}</text></svg>`
  const img = new Resvg(svg, {
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans Condensed' },
  }).render()
  const px = img.pixels
  const a = (x: number, y: number) => (px[(y * canvas + x) * 4 + 3] ?? 0) / 255
  let [l, r, t, b] = [canvas, -1, canvas, -1]
  for (let y = 0; y < canvas; y++)
    for (let x = 0; x < canvas; x++)
      if (a(x, y) > 0.5) {
        l = Math.min(l, x)
        r = Math.max(r, x)
        t = Math.min(t, y)
        b = Math.max(b, y)
      }
  return { a, l, r, t, b }
}

function correlation(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length
  const [ma, mb] = [mean(a), mean(b)]
  let num = 0
  let da = 0
  let db = 0
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - ma) * (b[i]! - mb)
    da += (a[i]! - ma) ** 2
    db += (b[i]! - mb) ** 2
  }
  return da && db ? num / Math.sqrt(da * db) : 0
}

function decode(buf: Buffer): PNG {
  return PNG.sync.read(buf)
}

function pixel(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4
  return [...png.data.subarray(i, i + 4)]
}

/** The badge over a panel of grey `panel` (0 black – 1 white), as relative luminance per pixel. */
function greyOver(buf: Buffer, panel: number): number[] {
  const png = decode(buf)
  return Array.from({ length: png.width * png.height }, (_, i) => {
    const a = png.data[i * 4 + 3]! / 255
    const lum = luminance([png.data[i * 4]!, png.data[i * 4 + 1]!, png.data[i * 4 + 2]!])
    return lum * a + panel * (1 - a)
  })
}

/**
 * How much of each pixel is digit, 0–1. Monochrome badges cut the digits out of the shape, so it is the alpha missing
 * from the tone's silhouette; colour badges mix fill and ink, so it is how far a pixel went from the fill to the ink.
 */
function inkCoverage(buf: Buffer, tone: Tone = 'ok', style: BadgeStyle = 'light-panel'): number[] {
  const png = decode(buf)
  const n = png.width * png.height
  const out = new Array<number>(n)
  if (style !== 'colour') {
    const shape = badgeSilhouette(tone, png.width / 16)
    for (let i = 0; i < n; i++) out[i] = Math.max(0, (shape[i]! - png.data[i * 4 + 3]!) / 255)
    return out
  }
  const { fill, ink } = TONE_COLORS[tone]
  const span = ink[0] - fill[0] + ink[1] - fill[1] + ink[2] - fill[2]
  for (let i = 0; i < n; i++) {
    const d = png.data[i * 4]! - fill[0] + png.data[i * 4 + 1]! - fill[1] + png.data[i * 4 + 2]! - fill[2]
    out[i] = png.data[i * 4 + 3]! > 0 ? Math.min(1, Math.max(0, d / span)) : 0
  }
  return out
}

function mask(cover: number[]): string {
  return cover.map((g) => (g > 0.5 ? '#' : '.')).join('')
}

function inkBox(cover: number[], size: number): { left: number; right: number; height: number } {
  let [left, right, top, bottom] = [size, -1, size, -1]
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      if (cover[y * size + x]! <= 0.5) continue
      left = Math.min(left, x)
      right = Math.max(right, x)
      top = Math.min(top, y)
      bottom = Math.max(bottom, y)
    }
  return { left, right, height: bottom < 0 ? 0 : bottom - top + 1 }
}

function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const s = c / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!)
}

function contrast(a: readonly number[], b: readonly number[]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}
