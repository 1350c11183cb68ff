import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUILD_DIR, makeIcons } from '../../scripts/make-icons'

let fresh: string
let names: string[]

beforeAll(() => {
  fresh = mkdtempSync(join(tmpdir(), 'seat-tray-icons-'))
  names = makeIcons(fresh)
})
afterAll(() => {
  rmSync(fresh, { recursive: true, force: true })
})

const committed = (name: string) => readFileSync(join(BUILD_DIR, name))

describe('the packaging icons', () => {
  it('are committed exactly as scripts/make-icons.ts draws them (run `npm run package:icons` after a change)', () => {
    for (const name of names)
      expect({ name, same: committed(name).equals(readFileSync(join(fresh, name))) }).toEqual({
        name,
        same: true,
      })
  })

  it('give macOS, Linux and the installers a 1024 and a 512 px PNG', () => {
    expect(pngSize(committed('icon.png'))).toEqual([1024, 1024])
    expect(pngSize(committed('icon-512.png'))).toEqual([512, 512])
  })

  it('give Windows an ICO from 16 to 256 px, and a tray ICO at the scale factors Windows asks for', () => {
    expect(icoSizes(committed('icon.ico'))).toEqual([16, 24, 32, 48, 64, 128, 256])
    expect(icoSizes(committed('tray.ico'))).toEqual([16, 20, 24, 32])
  })

  it('give macOS an ICNS whose images are all there, up to 1024 px', () => {
    const icns = committed('icon.icns')
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const entries = icnsEntries(icns)
    expect(entries.get('ic10')).toEqual([1024, 1024])
    expect(entries.get('icp4')).toEqual([16, 16])
  })

  it('give the macOS menu bar a black-and-alpha template at 16 px and @2x', () => {
    for (const [name, size] of [
      ['trayTemplate.png', 16],
      ['trayTemplate@2x.png', 32],
    ] as const) {
      const png = PNG.sync.read(committed(name))
      expect([png.width, png.height]).toEqual([size, size])
      let inked = 0
      for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i + 3] === 0) continue
        inked++
        expect([png.data[i], png.data[i + 1], png.data[i + 2]]).toEqual([0, 0, 0])
      }
      expect(inked).toBeGreaterThan(size)
    }
  })
})

function pngSize(bytes: Buffer): [number, number] {
  const png = PNG.sync.read(bytes)
  return [png.width, png.height]
}

/** The pixel sizes an ICO's directory lists, each checked against the image it points at. */
function icoSizes(ico: Buffer): number[] {
  expect(ico.readUInt16LE(2)).toBe(1)
  const count = ico.readUInt16LE(4)
  return Array.from({ length: count }, (_, n) => {
    const entry = 6 + 16 * n
    const size = ico.readUInt8(entry) || 256
    const length = ico.readUInt32LE(entry + 8)
    const image = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + length)
    expect(image.length).toBe(length)
    if (image.readUInt32BE(0) === 0x89504e47) expect(pngSize(image)).toEqual([size, size])
    else expect([image.readInt32LE(4), image.readInt32LE(8)]).toEqual([size, size * 2])
    return size
  })
}

function icnsEntries(icns: Buffer): Map<string, [number, number]> {
  const entries = new Map<string, [number, number]>()
  for (let at = 8; at < icns.length; ) {
    const type = icns.subarray(at, at + 4).toString('ascii')
    const length = icns.readUInt32BE(at + 4)
    entries.set(type, pngSize(icns.subarray(at + 8, at + length)))
    at += length
  }
  return entries
}
