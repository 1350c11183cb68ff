/**
 * The README's commands and Node versions are the real ones: every `npm run` it names exists, and the Node each
 * command needs is what the installed packages declare.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const readme = readFileSync('README.md', 'utf8')
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>
  engines: { node: string }
}
const engines = (name: string) =>
  (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { engines?: { node?: string } })
    .engines?.node ?? ''

describe('the README', () => {
  it('names only npm scripts that exist', () => {
    // `npm run package:*` names a family, not a script.
    const named = new Set([...readme.matchAll(/`npm run ([\w:-]*\w)(?![\w*:-])/g)].map((m) => m[1]!))
    expect(named.size).toBeGreaterThan(5)
    expect([...named].filter((script) => !(script in pkg.scripts))).toEqual([])
    for (const bare of ['start', 'test']) expect(pkg.scripts[bare]).toBeDefined()
  })

  it('states the Node the packages really declare for each command', () => {
    expect(pkg.engines.node).toBe('>=20.19')
    expect(readme).toContain('You need Node ≥ 20.19')
    // electron and its downloader want Node 22.12; the README says so, and why npm only warns.
    expect(engines('electron')).toBe('>= 22.12.0')
    expect(engines('@electron/get')).toBe('>=22.12.0')
    expect(readme).toMatch(/`electron@45` declares Node ≥ 22\.12/)
    expect(readme).toMatch(/`@electron\/get` 5\.1 declares ≥ 22\.12/)
    // The build tools' own ranges, quoted as they are.
    expect(engines('vite')).toBe('^20.19.0 || >=22.12.0')
    expect(engines('electron-vite')).toBe('^20.19.0 || >=22.12.0')
    expect(readme).toContain('`vite` 8 and `electron-vite` 6 declare `^20.19 \\|\\| >=22.12`')
    expect(engines('vitest')).toBe('^20.0.0 || ^22.0.0 || >=24.0.0')
    expect(readme).toContain('`vitest` 4.1 declares `^20 \\|\\| ^22 \\|\\| >=24`')
    expect(engines('electron-builder')).toBe('>=14.0.0')
  })

  it('wires the Electron check in front of npm start and npm run demo', () => {
    expect(pkg.scripts.start).toMatch(/^node scripts\/preflight\.mjs && /)
    expect(pkg.scripts.demo).toMatch(/^node scripts\/preflight\.mjs && /)
  })
})
