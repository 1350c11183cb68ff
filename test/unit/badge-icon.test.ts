import { PNG } from 'pngjs'
import { describe, expect, it } from 'vitest'
import type { Tone } from '../../common/model'
import {
  BADGE_SCALES,
  badgeSize,
  renderBadgePng,
  renderTemplatePng,
  TONE_COLORS,
} from '../../main/platform/badge-icon'

const TONES: Tone[] = ['ok', 'low', 'out', 'error', 'signed-out', 'offline', 'stale']

describe('the tray badge', () => {
  it('is 16, 20, 24 and 32 pixels square at scale factors 1, 1.25, 1.5 and 2', () => {
    expect(BADGE_SCALES.map((s) => decode(renderBadgePng('7', 'ok', s)).width)).toEqual([16, 20, 24, 32])
    for (const s of BADGE_SCALES) expect(decode(renderBadgePng('7', 'ok', s)).height).toBe(badgeSize(s))
  })

  it('is filled with the colour of its status, so a glance tells ok from low from out', () => {
    for (const tone of TONES) {
      const png = decode(renderBadgePng('5', tone, 1))
      // Left of the digit, inside the ring, is the fill.
      expect(pixel(png, 3, 8), tone).toEqual([...TONE_COLORS[tone].fill, 255])
    }
    const fills = new Set(['ok', 'low', 'out'].map((t) => TONE_COLORS[t as Tone].fill.join()))
    expect(fills.size).toBe(3)
  })

  it('draws the digits in ink that contrasts with the fill', () => {
    for (const tone of TONES) {
      const { fill, ink } = TONE_COLORS[tone]
      expect(contrast(fill, ink), tone).toBeGreaterThan(2)
    }
  })

  it('has an outline that stands out from a light panel and rounded, transparent corners', () => {
    const png = decode(renderBadgePng('3', 'stale', 1))
    expect(pixel(png, 0, 0)[3]).toBe(0)
    const ring = pixel(png, 8, 0)
    expect(ring[3]).toBe(255)
    expect(luminance([ring[0]!, ring[1]!, ring[2]!])).toBeLessThan(0.2)
  })

  it('draws single digits twice as large as the font at 16 px, so they stay legible', () => {
    expect(inkBox(renderBadgePng('7', 'ok', 1), 'ok').height).toBe(10)
    expect(inkBox(renderBadgePng('42', 'ok', 1), 'ok').height).toBe(10)
    expect(inkBox(renderBadgePng('99+', 'out', 1), 'out').height).toBe(5)
    expect(inkBox(renderBadgePng('7', 'ok', 2), 'ok').height).toBeGreaterThanOrEqual(20)
  })

  it('keeps every number from 0 to 99 and "99+" inside the icon and distinct from each other', () => {
    for (const scale of BADGE_SCALES) {
      const seen = new Set<string>()
      for (const text of [...Array.from({ length: 100 }, (_, n) => String(n)), '99+']) {
        const png = renderBadgePng(text, 'ok', scale)
        const box = inkBox(png, 'ok')
        const size = badgeSize(scale)
        expect(box.left, `${text}@${scale}`).toBeGreaterThanOrEqual(1)
        expect(box.right, `${text}@${scale}`).toBeLessThanOrEqual(size - 2)
        seen.add(inkMask(png, 'ok'))
      }
      expect(seen.size).toBe(101)
    }
  })

  it('shows symbols for "no number" states and never an empty badge', () => {
    for (const text of ['!', '?', '–', '']) {
      expect(inkBox(renderBadgePng(text, 'error', 1), 'error').height, JSON.stringify(text)).toBeGreaterThan(
        0,
      )
    }
  })

  it('draws each badge once and reuses it', () => {
    expect(renderBadgePng('12', 'low', 1.5)).toBe(renderBadgePng('12', 'low', 1.5))
    expect(renderBadgePng('12', 'low', 1.5)).not.toBe(renderBadgePng('12', 'out', 1.5))
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

function decode(buf: Buffer): PNG {
  return PNG.sync.read(buf)
}

function pixel(png: PNG, x: number, y: number): number[] {
  const i = (y * png.width + x) * 4
  return [...png.data.subarray(i, i + 4)]
}

function isInk(png: PNG, x: number, y: number, tone: Tone): boolean {
  const [r, g, b, a] = pixel(png, x, y)
  const ink = TONE_COLORS[tone].ink
  return a === 255 && r === ink[0] && g === ink[1] && b === ink[2]
}

function inkMask(buf: Buffer, tone: Tone): string {
  const png = decode(buf)
  let mask = ''
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) mask += isInk(png, x, y, tone) ? '#' : '.'
  return mask
}

function inkBox(buf: Buffer, tone: Tone): { left: number; right: number; height: number } {
  const png = decode(buf)
  let left = png.width
  let right = -1
  let top = png.height
  let bottom = -1
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (!isInk(png, x, y, tone)) continue
      left = Math.min(left, x)
      right = Math.max(right, x)
      top = Math.min(top, y)
      bottom = Math.max(bottom, y)
    }
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
