/**
 * The house's layer rule, checked over every import of every .ts file (the model is VS Code's code-layering lint).
 * A room may import only what its row below allows; an import the rule cannot read or resolve fails too, so nothing
 * slips past it. Plus: no import cycles anywhere, type-only imports included.
 */
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type ImportEdge,
  importCycles,
  importGraph,
  importsIn,
  sourceFiles,
  type Target,
} from '../helpers/import-graph'

type Layer =
  | 'common'
  | 'main/core'
  | 'main/platform'
  | 'main/demo'
  | 'main/cli'
  | 'main/index'
  | 'preload'
  | 'renderer'
  | 'manifest'
  | 'tooling'

interface Rule {
  /** Our own layers it may import (itself always). */
  may: Layer[]
  /** electron, or a package that loads it (electron-store). */
  electron: boolean
  /** Node's built-in modules. */
  node: boolean
  /** Packages from node_modules. */
  packages: boolean
  why: string
}

/** Which folder may import which. Nothing may import the preload: it is an entry point (its own test loads it). */
const RULES: Record<Layer, Rule> = {
  common: {
    may: [],
    electron: false,
    node: false,
    packages: false,
    why: 'the contract and the data model, read on both sides of the window’s wall: types and pure data only',
  },
  'main/core': {
    may: ['common', 'manifest'],
    electron: false,
    node: true,
    packages: true,
    why: 'the engine runs in plain Node (tests, the CLI, the headless runtime): Electron only behind a port',
  },
  'main/demo': {
    may: ['main/core', 'common'],
    electron: false,
    node: true,
    packages: true,
    why: 'the Zoho simulator runs in plain Node, for demo mode and for tests',
  },
  'main/platform': {
    may: ['main/core', 'common'],
    electron: true,
    node: true,
    packages: true,
    why: 'thin Electron adapters for the engine’s ports',
  },
  'main/cli': {
    may: ['main/core', 'main/demo', 'common', 'manifest'],
    electron: false,
    node: true,
    packages: true,
    why: 'the seat-tray command runs in plain Node, never Electron',
  },
  'main/index': {
    may: ['main/platform', 'main/core', 'main/demo', 'common'],
    electron: true,
    node: true,
    packages: true,
    why: 'the composition root wires everything in main',
  },
  preload: {
    may: ['common'],
    electron: true,
    node: false,
    packages: false,
    why: 'a sandboxed preload may only require electron; everything else is the contract, bundled in',
  },
  renderer: {
    may: ['common'],
    electron: false,
    node: false,
    packages: true,
    why: 'the window talks only to window.seats and knows only the contract',
  },
  manifest: {
    may: [],
    electron: false,
    node: false,
    packages: false,
    why: 'package.json (name and version)',
  },
  tooling: {
    may: [
      'common',
      'main/core',
      'main/platform',
      'main/demo',
      'main/cli',
      'main/index',
      'preload',
      'renderer',
    ],
    electron: true,
    node: true,
    packages: true,
    why: 'tests, benchmarks, scripts and build configs may reach anything',
  },
}

/** Which layer a file is in; the first match wins. A file in none fails the rule: add it here. */
function layerOf(path: string): Layer | null {
  if (path === 'package.json') return 'manifest'
  if (/\.config\.ts$/.test(path) || /^(test|bench|scripts)\//.test(path)) return 'tooling'
  if (path === 'main/index.ts') return 'main/index'
  if (path === 'main/cli.ts' || path.startsWith('main/cli/')) return 'main/cli'
  for (const layer of ['main/core', 'main/platform', 'main/demo', 'common', 'preload', 'renderer'] as const)
    if (path.startsWith(`${layer}/`)) return layer
  return null
}

/** Why an import breaks the rule, or null when it is allowed. */
function violation(edge: ImportEdge): string | null {
  const from = layerOf(edge.from)
  if (!from) return 'is in no layer (add it to the table in test/unit/layers.test.ts)'
  const rule = RULES[from]
  const target: Target = edge.target
  switch (target.kind) {
    case 'unresolved':
      // Tooling may load modules by computed name (the bench loads its suites); product code may not.
      return from === 'tooling' && target.specifier === null
        ? null
        : 'cannot be resolved, so the rule cannot see it'
    case 'electron':
      return rule.electron ? null : `imports ${target.name}: ${rule.why}`
    case 'node':
      return rule.node ? null : `imports node:${target.name}: ${rule.why}`
    case 'package':
      return rule.packages ? null : `imports the package ${target.name}: ${rule.why}`
    case 'file': {
      const to = layerOf(target.path)
      if (to === from) return null
      if (!to) return `imports ${target.path}, which is in no layer`
      if (rule.may.includes(to)) return null
      const allowed = rule.may.length > 0 ? `only ${rule.may.join(', ')}` : 'nothing of ours'
      return `imports ${target.path} (${to}), but ${from} may import ${allowed}: ${rule.why}`
    }
  }
}

/** Where the product starts: the app, the seat-tray command, the preload and the window (renderer/index.html). */
const ENTRY_POINTS = ['main/index.ts', 'main/cli.ts', 'preload/index.ts', 'renderer/src/main.ts']

const ROOT = process.cwd()
const TOP_LEVEL_TS = readdirSync(ROOT).filter((name) => name.endsWith('.ts'))
const FILES = sourceFiles(ROOT, [
  'common',
  'main',
  'preload',
  'renderer',
  'test',
  'bench',
  'scripts',
  ...TOP_LEVEL_TS,
])
const EDGES = importGraph(ROOT, FILES)

describe('the layer rule', () => {
  it('holds for every import of every file', () => {
    const broken = EDGES.flatMap((edge) => {
      const why = violation(edge)
      return why ? [`${edge.from}:${edge.line} '${edge.specifier}' ${why}`] : []
    })
    expect(broken).toEqual([])
  })

  it('sees the whole tree', () => {
    // If the walk found nothing, the rule above would pass vacuously.
    for (const dir of [
      'common/',
      'main/core/',
      'main/platform/',
      'main/demo/',
      'preload/',
      'renderer/',
      'test/',
    ])
      expect(
        FILES.some((f) => f.startsWith(dir)),
        dir,
      ).toBe(true)
    expect(EDGES.length).toBeGreaterThan(300)
  })

  it('has no import cycles anywhere', () => {
    expect(importCycles(EDGES)).toEqual([])
  })

  it('ships no test doubles: every product file is reached from an entry point', () => {
    // A file that only tests reach (a recording notifier, a file-backed settings store) belongs under test/doubles.
    const next = new Map<string, string[]>()
    for (const e of EDGES)
      if (e.target.kind === 'file' && layerOf(e.from) !== 'tooling')
        next.set(e.from, [...(next.get(e.from) ?? []), e.target.path])
    const reached = new Set<string>()
    const todo = [...ENTRY_POINTS]
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
      if (reached.has(file)) continue
      reached.add(file)
      todo.push(...(next.get(file) ?? []))
    }
    const product = FILES.filter((f) => !['tooling', null].includes(layerOf(f)) && !f.endsWith('.d.ts'))
    expect(product.filter((f) => !reached.has(f))).toEqual([])
    for (const entry of ENTRY_POINTS) expect(FILES, entry).toContain(entry)
  })

  it('nothing imports the preload but its own test', () => {
    const importers = EDGES.filter((e) => e.target.kind === 'file' && e.target.path.startsWith('preload/'))
    expect([...new Set(importers.map((e) => e.from))].filter((f) => !f.startsWith('preload/'))).toEqual([
      'test/unit/preload-surface.test.ts',
    ])
  })
})

describe('the import reader itself', () => {
  it('sees every way a file can import another', () => {
    const source = [
      "import { a } from './static'",
      "import type { B } from './type-only'",
      "import './side-effect'",
      "export { c } from './re-export'",
      "export * from './star'",
      "export type { D } from './type-re-export'",
      "const e = await import('./dynamic')",
      "const f = require('./required')",
      "import g = require('./import-equals')",
      "let h: import('./type-query').H",
      'const i = import(`./template`)',
      'const j = import(somewhere)',
      'const s = \'import x from "./not-an-import"\' // text, not code',
    ].join('\n')
    expect(importsIn('x.ts', source).map((r) => r.specifier)).toEqual([
      './static',
      './type-only',
      './side-effect',
      './re-export',
      './star',
      './type-re-export',
      './dynamic',
      './required',
      './import-equals',
      './type-query',
      './template',
      null,
    ])
  })

  it('tells electron, Node, packages and our own files apart', () => {
    const kinds = EDGES.filter((e) => e.from === 'main/platform/electron-settings-store.ts').map(
      (e) => e.target.kind,
    )
    expect(kinds).toContain('electron')
    expect(kinds).toContain('file')
    const store = EDGES.find((e) => e.specifier === 'electron-store')
    expect(store?.target).toEqual({ kind: 'electron', name: 'electron-store' })
    const zod = EDGES.find((e) => e.specifier === 'zod')
    expect(zod?.target).toEqual({ kind: 'package', name: 'zod' })
    const fs = EDGES.find((e) => e.specifier === 'node:fs')
    expect(fs?.target).toEqual({ kind: 'node', name: 'fs' })
  })

  it('finds a cycle, a self-import and a long loop, and not a diamond', () => {
    const edge = (from: string, to: string): ImportEdge => ({
      from,
      line: 1,
      specifier: to,
      target: { kind: 'file', path: to },
    })
    expect(importCycles([edge('a', 'b'), edge('b', 'a')])).toEqual([['a', 'b']])
    expect(importCycles([edge('a', 'a')])).toEqual([['a']])
    expect(importCycles([edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('d', 'b')])).toEqual([
      ['b', 'c', 'd'],
    ])
    expect(importCycles([edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')])).toEqual([])
  })

  it('rejects what the rule forbids', () => {
    const edge = (from: string, target: Target): ImportEdge => ({ from, line: 1, specifier: 'x', target })
    expect(violation(edge('main/core/app.ts', { kind: 'electron', name: 'electron' }))).toMatch(/plain Node/)
    expect(violation(edge('main/demo/crm.ts', { kind: 'electron', name: 'electron-store' }))).not.toBeNull()
    expect(
      violation(edge('renderer/src/app.ts', { kind: 'file', path: 'main/core/model.ts' })),
    ).not.toBeNull()
    expect(violation(edge('renderer/src/app.ts', { kind: 'file', path: 'preload/index.ts' }))).not.toBeNull()
    expect(violation(edge('main/core/app.ts', { kind: 'file', path: 'main/platform/ipc.ts' }))).not.toBeNull()
    expect(violation(edge('common/model.ts', { kind: 'package', name: 'zod' }))).not.toBeNull()
    expect(violation(edge('common/model.ts', { kind: 'node', name: 'fs' }))).not.toBeNull()
    expect(violation(edge('common/model.ts', { kind: 'file', path: 'main/core/problems.ts' }))).not.toBeNull()
    expect(violation(edge('preload/index.ts', { kind: 'node', name: 'fs' }))).not.toBeNull()
    expect(violation(edge('main/core/app.ts', { kind: 'unresolved', specifier: null }))).not.toBeNull()
    expect(violation(edge('main/stray.ts', { kind: 'package', name: 'zod' }))).toMatch(/no layer/)
    expect(violation(edge('main/platform/tray.ts', { kind: 'electron', name: 'electron' }))).toBeNull()
    expect(violation(edge('renderer/src/app.ts', { kind: 'file', path: 'common/model.ts' }))).toBeNull()
    expect(violation(edge('test/unit/x.test.ts', { kind: 'file', path: 'preload/index.ts' }))).toBeNull()
  })
})
