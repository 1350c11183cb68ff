/**
 * Every import in the project's TypeScript, read with the TypeScript compiler's parser (not a regex), so that
 * `import type`, `export … from`, `import()` (in code and in types), `require()` and `import x = require()` are all
 * seen. The layer rule and the cycle check (test/unit/layers.test.ts) are built on this.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, posix, relative, resolve, sep } from 'node:path'
import ts from 'typescript'

export interface ImportRef {
  /** As written; null when it is not a plain string (an `import(variable)`): the rule cannot see where it goes. */
  specifier: string | null
  line: number
}

/** Where an import goes: one of our files (repo-relative, `/`-separated), a package, Node, or nowhere we can find. */
export type Target =
  | { kind: 'file'; path: string }
  | { kind: 'electron'; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'package'; name: string }
  | { kind: 'unresolved'; specifier: string | null }

export interface ImportEdge {
  from: string
  line: number
  specifier: string | null
  target: Target
}

/** Packages that load Electron when imported: only code that runs inside Electron may use them. */
const ELECTRON_PACKAGES = new Set(['electron', 'electron-store'])
const NODE_BUILTINS = new Set(builtinModules)
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'dist', 'artifacts', '.git'])

/** Every .ts file (declarations included) under the given folders and top-level files, repo-relative. */
export function sourceFiles(root: string, entries: readonly string[]): string[] {
  const found: string[] = []
  const walk = (path: string): void => {
    if (!existsSync(path)) return
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path)) if (!SKIPPED_DIRS.has(name)) walk(join(path, name))
    } else if (/\.(ts|mts|cts|tsx)$/.test(path)) found.push(toRepoPath(root, path))
  }
  for (const entry of entries) walk(join(root, entry))
  return found.sort()
}

/** The imports written in one file's source. */
export function importsIn(fileName: string, source: string): ImportRef[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const refs: ImportRef[] = []
  const add = (node: ts.Node, specifier: ts.Node | undefined): void => {
    const text = specifier && ts.isStringLiteralLike(specifier) ? specifier.text : null
    refs.push({ specifier: text, line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1 })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier)
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier)
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node, node.moduleReference.expression)
    else if (ts.isImportTypeNode(node)) {
      const arg = node.argument
      add(node, ts.isLiteralTypeNode(arg) ? arg.literal : undefined)
    } else if (ts.isCallExpression(node) && isImportOrRequire(node)) add(node, node.arguments[0])
    ts.forEachChild(node, visit)
  }
  visit(file)
  return refs
}

/** Every import of every file, with where it goes. */
export function importGraph(root: string, files: readonly string[]): ImportEdge[] {
  return files.flatMap((from) =>
    importsIn(from, readFileSync(join(root, from), 'utf8')).map((ref) => ({
      from,
      line: ref.line,
      specifier: ref.specifier,
      target: resolveImport(root, from, ref.specifier),
    })),
  )
}

export function resolveImport(root: string, from: string, specifier: string | null): Target {
  if (specifier === null) return { kind: 'unresolved', specifier }
  if (specifier.startsWith('.')) {
    const base = resolve(root, dirname(from), specifier)
    const candidates = [
      base,
      `${base}.ts`,
      `${base}.d.ts`,
      `${base}.tsx`,
      join(base, 'index.ts'),
      base.replace(/\.(m|c)?js$/, '.$1ts'),
    ]
    const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile())
    return hit ? { kind: 'file', path: toRepoPath(root, hit) } : { kind: 'unresolved', specifier }
  }
  const bare = specifier.replace(/^node:/, '')
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(bare) || NODE_BUILTINS.has(bare.split('/')[0]!))
    return { kind: 'node', name: bare }
  const name = packageName(specifier)
  return ELECTRON_PACKAGES.has(name) ? { kind: 'electron', name } : { kind: 'package', name }
}

/**
 * The import cycles among our files: each strongly connected component of more than one file (or a file that
 * imports itself), as its files sorted. Type-only imports count: a type cycle is still two rooms that cannot be
 * understood apart.
 */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>()
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set())
    if (e.target.kind === 'file') next.get(e.from)!.add(e.target.path)
  }
  // Tarjan's algorithm; recursion is fine at this size (a few hundred files).
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  let counter = 0
  const connect = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter)
    counter++
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1 || next.get(v)?.has(v)) cycles.push(component.sort())
  }
  for (const v of [...next.keys()].sort()) if (!index.has(v)) connect(v)
  return cycles
}

function isImportOrRequire(node: ts.CallExpression): boolean {
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return true
  return ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1
}

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

function toRepoPath(root: string, path: string): string {
  return relative(root, path).split(sep).join(posix.sep)
}
