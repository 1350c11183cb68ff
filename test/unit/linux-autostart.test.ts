import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  AUTOSTART_TEMPLATE,
  autostartEntry,
  autostartFile,
  execArgument,
  isLinuxAutostartEnabled,
  setLinuxAutostart,
} from '../../main/platform/linux-autostart'

let home: string

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'seat-tray-autostart-'))
})
afterEach(() => {
  rmSync(home, { recursive: true, force: true })
})

describe('launch at login on Linux', () => {
  it('starts the installed app with the session once turned on, and no longer once turned off', async () => {
    const options = { execPath: '/opt/Seat Tray/seat-tray', env: {}, home }
    expect(await isLinuxAutostartEnabled(options)).toBe(false)

    await setLinuxAutostart(true, options)
    const file = join(home, '.config/autostart/seat-tray.desktop')
    expect(execLine(readFileSync(file, 'utf8'))).toEqual(['/opt/Seat Tray/seat-tray'])
    expect(await isLinuxAutostartEnabled(options)).toBe(true)
    expect(readdirSync(join(home, '.config/autostart'))).toEqual(['seat-tray.desktop'])

    await setLinuxAutostart(false, options)
    expect(readdirSync(join(home, '.config/autostart'))).toEqual([])
    expect(await isLinuxAutostartEnabled(options)).toBe(false)
  })

  it('turning it off when it was never on is fine', async () => {
    await expect(setLinuxAutostart(false, { execPath: '/usr/bin/seat-tray', home })).resolves.toBeUndefined()
  })

  it('starts the AppImage file, not the temporary mount the running copy lives in', async () => {
    const options = {
      execPath: '/tmp/.mount_SeatTrXYZ/seat-tray',
      env: { APPIMAGE: '/home/ana/Apps/Seat Tray-0.1.0-x86_64.AppImage' },
      home,
    }
    await setLinuxAutostart(true, options)
    expect(execLine(readFileSync(autostartFile(options.env, home), 'utf8'))).toEqual([
      '/home/ana/Apps/Seat Tray-0.1.0-x86_64.AppImage',
    ])
  })

  it('reports it off after the AppImage moved, so turning it on again points at the new place', async () => {
    await setLinuxAutostart(true, { execPath: '/x', env: { APPIMAGE: '/old/Seat.AppImage' }, home })
    expect(
      await isLinuxAutostartEnabled({ execPath: '/x', env: { APPIMAGE: '/new/Seat.AppImage' }, home }),
    ).toBe(false)
  })

  it('follows XDG_CONFIG_HOME when it is an absolute path, and ignores a relative one', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/srv/cfg' }, '/home/ana')).toBe(
      '/srv/cfg/autostart/seat-tray.desktop',
    )
    expect(autostartFile({ XDG_CONFIG_HOME: 'cfg' }, '/home/ana')).toBe(
      '/home/ana/.config/autostart/seat-tray.desktop',
    )
    expect(autostartFile({}, '/home/ana')).toBe('/home/ana/.config/autostart/seat-tray.desktop')
  })

  it('writes the entry the packaging template documents', () => {
    const template = readFileSync(new URL('../../build/linux/autostart.desktop', import.meta.url), 'utf8')
    expect(AUTOSTART_TEMPLATE).toBe(template)
    expect(autostartEntry('/usr/bin/seat-tray')).toBe(template.replace('@EXEC@', '/usr/bin/seat-tray'))
  })

  it('quotes any path so the session runs exactly that file', () => {
    const path = fc
      .array(
        fc.constantFrom('a', 'Z', '9', ' ', '/', '"', '`', '$', '\\', '%', "'", '-', '.', 'é', ';', '='),
        {
          minLength: 1,
          maxLength: 30,
        },
      )
      .map((chars) => `/${chars.join('')}`)
    fc.assert(
      fc.property(path, (p) => {
        expect(execLine(`Exec=${execArgument(p)}\n`)).toEqual([p])
      }),
      { numRuns: 500 },
    )
  })

  it('refuses a path with a line break rather than write a broken entry', () => {
    expect(() => execArgument('/opt/seat\ntray')).toThrow(/line break/)
  })
})

/**
 * Reads the Exec key back the way a desktop session does (Desktop Entry spec, "The Exec key"): undo the string
 * escapes, split on unquoted spaces, undo the quoting escapes, turn `%%` into `%`.
 */
function execLine(entry: string): string[] {
  const line = entry.split('\n').find((l) => l.startsWith('Exec='))
  if (!line) throw new Error('no Exec line')
  const value = line.slice('Exec='.length).replace(/\\(.)/g, (_, c: string) => (c === '\\' ? '\\' : `\\${c}`))
  const args: string[] = []
  let current = ''
  let quoted = false
  let started = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (quoted && c === '\\') {
      current += value[++i] ?? ''
    } else if (c === '"') {
      quoted = !quoted
      started = true
    } else if (c === ' ' && !quoted) {
      if (started) args.push(current)
      current = ''
      started = false
    } else if (c === '%' && value[i + 1] === '%') {
      current += '%'
      started = true
      i++
    } else {
      current += c
      started = true
    }
  }
  if (quoted) throw new Error('unterminated quote')
  if (started) args.push(current)
  return args
}
