/**
 * Draws Seat Tray's packaging icons into build/ (run: `npm run package:icons`, then commit the outputs).
 *
 * - icon.png (1024), icon-512.png, icon.ico (Windows: 16–256), icon.icns (macOS: 16–1024): a green rounded square
 *   with the white seat the menu-bar glyph uses, so the app and its tray read as one thing.
 * - trayTemplate.png / trayTemplate@2x.png: the macOS menu-bar glyph, black + alpha; the `Template` suffix tells
 *   macOS to tint it for light and dark bars. Drawn by the same function the running app uses.
 * - tray.ico: the Windows tray fallback at 16/20/24/32 px (the scale factors Windows asks for).
 *
 * The ICO and ICNS containers are written here by hand (both are a small index in front of the images), so no
 * image tool has to be installed: every machine draws byte-identical files.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PNG } from 'pngjs'
import { renderTemplatePng } from '../main/platform/badge-icon'

export const BUILD_DIR = fileURLToPath(new URL('../build', import.meta.url))

/** Writes every icon file and returns the names written, relative to `dir`. */
export function makeIcons(dir = BUILD_DIR): string[] {
  mkdirSync(dir, { recursive: true })
  const files: Record<string, Buffer> = {
    'icon.png': appIconPng(1024),
    'icon-512.png': appIconPng(512),
    'icon.ico': ico([16, 24, 32, 48, 64, 128, 256].map(appIconPixels)),
    'icon.icns': icns(ICNS_TYPES.map(([type, size]) => ({ type, png: appIconPng(size) }))),
    'trayTemplate.png': renderTemplatePng(1),
    'trayTemplate@2x.png': renderTemplatePng(2),
    'tray.ico': ico([16, 20, 24, 32].map(appIconPixels)),
  }
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes)
  return Object.keys(files)
}

/** The app icon as a PNG of `size` × `size` pixels. */
export function appIconPng(size: number): Buffer {
  return PNG.sync.write(appIconPixels(size))
}

// ---- drawing ------------------------------------------------------------------------------------------------

const GREEN = [0x2e, 0x9e, 0x4f] as const
const WHITE = [0xff, 0xff, 0xff] as const
/** Supersampling per axis: smooth edges at 1024 px, still under a second for every size together. */
const SAMPLES = 4

/** The seat glyph on a 16-unit grid (x, y, width, height), as in badge-icon.ts's renderTemplatePng. */
const SEAT: readonly (readonly [number, number, number, number])[] = [
  [3, 2, 3, 9],
  [3, 9, 10, 2],
  [3, 11, 2, 3],
  [11, 11, 2, 3],
]

function appIconPixels(size: number): PNG {
  const png = new PNG({ width: size, height: size })
  // macOS wants a margin around the square (about 10%); Windows and Linux scale it the same way, which is fine.
  const margin = size * 0.08
  const side = size - 2 * margin
  const radius = side * 0.22
  // The glyph sits in the middle 70% of the square, nudged so its bounding box (x 3–13, y 2–14) is centred.
  const unit = (side * 0.7) / 12
  const glyphLeft = margin + (side - 10 * unit) / 2 - 3 * unit
  const glyphTop = margin + (side - 12 * unit) / 2 - 2 * unit
  const inSquare = (x: number, y: number) => insideRoundedSquare(x - margin, y - margin, side, radius)
  const inSeat = (x: number, y: number) =>
    SEAT.some(
      ([sx, sy, w, h]) =>
        x >= glyphLeft + sx * unit &&
        x < glyphLeft + (sx + w) * unit &&
        y >= glyphTop + sy * unit &&
        y < glyphTop + (sy + h) * unit,
    )

  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let square = 0
      let seat = 0
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES
          const y = py + (sy + 0.5) / SAMPLES
          if (!inSquare(x, y)) continue
          square++
          if (inSeat(x, y)) seat++
        }
      }
      const total = SAMPLES * SAMPLES
      const i = (py * size + px) * 4
      const white = square === 0 ? 0 : seat / square
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(GREEN[c]! * (1 - white) + WHITE[c]! * white)
      png.data[i + 3] = Math.round((255 * square) / total)
    }
  }
  return png
}

function insideRoundedSquare(x: number, y: number, side: number, radius: number): boolean {
  if (x < 0 || y < 0 || x >= side || y >= side) return false
  const cx = Math.min(Math.max(x, radius), side - radius)
  const cy = Math.min(Math.max(y, radius), side - radius)
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
}

// ---- containers ---------------------------------------------------------------------------------------------

/**
 * A Windows ICO. Images up to 64 px are stored as 32-bit BMPs (what the shell, NSIS and old tools all read);
 * 128 and 256 px as PNG (Vista and later), which keeps the file small.
 */
export function ico(images: PNG[]): Buffer {
  const bodies = images.map((png) => (png.width <= 64 ? bmpEntry(png) : PNG.sync.write(png)))
  const header = Buffer.alloc(6)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2) // 1 = icon
  header.writeUInt16LE(images.length, 4)
  let offset = 6 + 16 * images.length
  const directory = images.map((png, n) => {
    const entry = Buffer.alloc(16)
    entry.writeUInt8(png.width >= 256 ? 0 : png.width, 0) // 0 means 256
    entry.writeUInt8(png.height >= 256 ? 0 : png.height, 1)
    entry.writeUInt16LE(1, 4) // colour planes
    entry.writeUInt16LE(32, 6) // bits per pixel
    entry.writeUInt32LE(bodies[n]!.length, 8)
    entry.writeUInt32LE(offset, 12)
    offset += bodies[n]!.length
    return entry
  })
  return Buffer.concat([header, ...directory, ...bodies])
}

/** A BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit AND mask (all zero: the alpha channel decides). */
function bmpEntry(png: PNG): Buffer {
  const { width, height } = png
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(width, 4)
  header.writeInt32LE(height * 2, 8) // colour rows + mask rows, as ICO expects
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  const pixels = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4
      const to = ((height - 1 - y) * width + x) * 4
      pixels[to] = png.data[from + 2]!
      pixels[to + 1] = png.data[from + 1]!
      pixels[to + 2] = png.data[from]!
      pixels[to + 3] = png.data[from + 3]!
    }
  }
  const maskRowBytes = Math.ceil(width / 32) * 4
  return Buffer.concat([header, pixels, Buffer.alloc(maskRowBytes * height)])
}

/** The ICNS PNG slots macOS reads, with their pixel sizes (`ic11`–`ic14` are the @2x variants). */
const ICNS_TYPES: readonly (readonly [string, number])[] = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['ic12', 64],
  ['ic07', 128],
  ['ic13', 256],
  ['ic08', 256],
  ['ic14', 512],
  ['ic09', 512],
  ['ic10', 1024],
]

/** A macOS ICNS: the magic `icns`, the total length, then (type, length, PNG) per image, all big-endian. */
export function icns(images: { type: string; png: Buffer }[]): Buffer {
  const entries = images.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(8 + png.length, 4)
    return Buffer.concat([head, png])
  })
  const header = Buffer.alloc(8)
  header.write('icns', 0, 'ascii')
  header.writeUInt32BE(8 + entries.reduce((sum, e) => sum + e.length, 0), 4)
  return Buffer.concat([header, ...entries])
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = makeIcons()
  console.log(`wrote ${written.map((name) => `build/${name}`).join(', ')}`)
}
