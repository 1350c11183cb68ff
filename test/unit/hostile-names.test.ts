/**
 * An org's name comes from Zoho, so from whoever administers that org: it may hold line breaks, `|`, control
 * characters or a megabyte of text. Wherever a line format carries it (tooltip, tray menu, CSV), it stays one line.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type AccountView, type AppState, EMPTY_APP_STATE } from '../../common/model'
import { HistoryLog } from '../../main/core/history'
import { csvText, singleLine } from '../../main/core/text'
import { type TrayMenuEntry, trayMenuTemplate } from '../../main/core/tray-menu'
import { trayModel } from '../../main/core/tray-model'
import { VirtualClock } from '../helpers/virtual-clock'

const NOW = Date.UTC(2026, 0, 5, 9, 20)

const HOSTILE_CASES: [string, string][] = [
  ['a line feed', 'Acme\nFAKE: 99 of 99 seats free'],
  ['a CRLF', 'Acme\r\nSeat Tray: signed out'],
  ['a pipe and perfdata', 'Acme | free=99;1;0'],
  ['NUL, BEL, ESC, DEL and NEL', 'Acme\u0000\u0007\u001b[31m\u007f\u0085Ltd'],
  ['Unicode line and paragraph separators', 'Acme\u2028Line\u2029Para'],
  ['a right-to-left override', 'Acme \u202Edtl\u202C'],
  ['a million characters', `Acme ${'x'.repeat(1_000_000)}`],
]
const HOSTILE = HOSTILE_CASES.map(([, name]) => name)

function account(id: string, label: string): AccountView {
  return {
    id,
    dataCenter: 'EU',
    label,
    phase: 'ready',
    latest: { purchased: 25, active: 20, available: 5, at: NOW - 60_000, mismatch: false },
    org: null,
    lastAttemptAt: NOW,
    lastGoodAt: NOW - 60_000,
    nextCheckAt: null,
    refreshing: false,
    problem: null,
    tone: 'ok',
    lowAt: 1,
    forecast: { kind: 'stable' },
    callsPerDay: 96,
  }
}

function labels(entries: TrayMenuEntry[]): string[] {
  return entries.flatMap((e) => [...(e.label ? [e.label] : []), ...labels(e.submenu ?? [])])
}

describe('a hostile org name', () => {
  it.each(HOSTILE_CASES)('with %s adds no line to the tooltip and keeps the seat numbers', (_shown, name) => {
    const model = trayModel([account('a', name), account('b', 'Beta GmbH')], NOW, { timeZone: 'UTC' })
    const lines = model.tooltip.split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^Acme.*: 5 of 25 seats free \(20 active\)/)
    expect(lines[0]!.length).toBeLessThanOrEqual(127)
    expect(lines[1]).toMatch(/^Beta GmbH: /)
    for (const line of model.accountLines) expect(line).not.toMatch(/[\p{Cc}\u2028\u2029\u202E|]/u)
  })

  it('adds no line, control character or pipe to any tray menu item', () => {
    for (const name of HOSTILE) {
      const accounts = [account('a', name)]
      const state: AppState = { ...EMPTY_APP_STATE, clientConfigured: true, accounts }
      const twoAccounts: AppState = { ...state, accounts: [...accounts, account('b', name)] }
      for (const s of [state, twoAccounts]) {
        const menu = trayMenuTemplate(trayModel(s.accounts, NOW), s, NOW)
        for (const label of labels(menu)) {
          expect(label).not.toMatch(/[\p{Cc}\u2028\u2029\u202E|]/u)
          expect(label.length).toBeLessThanOrEqual(127)
        }
      }
    }
  })
})

describe('one line from any text', () => {
  it('turns breaks and controls into single spaces, and a pipe into a slash', () => {
    expect(singleLine('Acme\r\n\tLtd | UK\u0000', 80)).toBe('Acme Ltd / UK')
  })

  it('cuts a long name with an ellipsis, never inside a surrogate pair', () => {
    expect(singleLine('abcdefghij', 5)).toBe('abcd…')
    expect(singleLine('abc😀def', 5)).toBe('abc…')
    expect(singleLine(`Acme ${'x'.repeat(5_000_000)}`, 20)).toHaveLength(20)
  })
})

describe('a name in a CSV cell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","Acme")', `"'=HYPERLINK(""http://evil.example"",""Acme"")"`],
    ['+1-555', `"'+1-555"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'=1"`],
    ['Acme, Inc.\nrow two', `"Acme, Inc. row two"`],
    ['Say "hi"', `"Say ""hi"""`],
  ])('keeps %j inert, quoted and on one row', (name, cell) => {
    expect(csvText(name)).toBe(cell)
  })
})

describe('the CSV export', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('names the org on every row, quoted and inert, one row per reading whatever the name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seat-tray-csv-'))
    dirs.push(dir)
    const clock = new VirtualClock(NOW)
    const log = HistoryLog.open({ file: join(dir, 'a.jsonl'), clock })
    log.record({ purchased: 25, active: 20, available: 5, at: NOW - 3_600_000, mismatch: false })
    log.record({ purchased: 25, active: 25, available: 0, at: NOW - 60_000, mismatch: false })
    const csv = log.csv(NOW - 86_400_000, NOW, '=cmd|" /C calc"!A0\nEvil, Inc.')
    expect(csv.split('\n')).toEqual([
      'org,time,purchased,active,available',
      `"'=cmd/"" /C calc""!A0 Evil, Inc.",${new Date(NOW - 3_600_000).toISOString()},25,20,5`,
      `"'=cmd/"" /C calc""!A0 Evil, Inc.",${new Date(NOW - 60_000).toISOString()},25,25,0`,
      '',
    ])
    log.close()
  })
})
