import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// The engine must run in plain Node, because the Electron binary cannot run on our machines or in CI.
const ELECTRON_IMPORT =
  /(from\s+['"]electron(\/[^'"]*)?['"]|require\(\s*['"]electron['"]\s*\)|import\(\s*['"]electron['"]\s*\))/

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : []
  })
}

describe('the engine boundary', () => {
  for (const dir of ['main/core', 'main/demo']) {
    it(`nothing under ${dir} imports electron`, () => {
      const offenders = sourceFiles(dir).filter((f) => ELECTRON_IMPORT.test(readFileSync(f, 'utf8')))
      expect(offenders.map((f) => relative('.', f))).toEqual([])
    })
  }

  it('the check itself recognises every way of importing electron', () => {
    for (const line of [
      "import { app } from 'electron'",
      'import type { Tray } from "electron"',
      "const e = require('electron')",
      "await import('electron')",
      "import { ipcRenderer } from 'electron/renderer'",
    ]) {
      expect(ELECTRON_IMPORT.test(line), line).toBe(true)
    }
    expect(ELECTRON_IMPORT.test("import Store from 'electron-store'")).toBe(false)
  })
})
