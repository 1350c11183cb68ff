/**
 * The shape of the house, held by a test: the composition root only wires (under 100 lines), and no function in
 * main/ is longer than one can read in two screens (120 lines). Functions are found with the TypeScript parser,
 * so a closure that grows inside another counts for what it is.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const LONGEST_FUNCTION = 120
const LONGEST_ROOT = 100

function tsFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) tsFiles(path, found)
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) found.push(path)
  }
  return found
}

/** Every function-like declaration with a body, and how many lines it spans. */
function functionLengths(file: string): { name: string; line: number; lines: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const out: { name: string; line: number; lines: number }[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line
      const name = (node as ts.FunctionLikeDeclaration).name?.getText(source) ?? '(anonymous)'
      out.push({ name, line: first + 1, lines: last - first + 1 })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

describe('the shape of the code', () => {
  it(`keeps main/index.ts, the composition root, under ${LONGEST_ROOT} lines`, () => {
    const lines = readFileSync('main/index.ts', 'utf8').trimEnd().split('\n').length
    expect(lines).toBeLessThan(LONGEST_ROOT)
  })

  it(`has no function in main/ over ${LONGEST_FUNCTION} lines`, () => {
    const tooLong = tsFiles('main').flatMap((file) =>
      functionLengths(file)
        .filter((f) => f.lines > LONGEST_FUNCTION)
        .map((f) => `${file}:${f.line} ${f.name} (${f.lines} lines)`),
    )
    expect(tooLong).toEqual([])
  })

  it('sees a long function when there is one (the check itself can fail)', () => {
    const body = Array.from({ length: LONGEST_FUNCTION + 5 }, (_, i) => `  const v${i} = ${i}`).join('\n')
    const file = join(process.env.TMPDIR ?? '/tmp', `seat-tray-shape-${process.pid}.ts`)
    writeFileSync(file, `export function long() {\n${body}\n}\n`)
    expect(functionLengths(file)[0]?.lines).toBe(LONGEST_FUNCTION + 7)
  })
})
