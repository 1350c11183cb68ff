/**
 * What a benchmark suite reports through. Each suite in bench/suites/*.ts exports `async function run(report)`;
 * the runner prints every figure as one JSON line (so CI can collect them), each table for people, and a summary
 * of the targets at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

/** One measured number. `bench` names what was measured (`history.append`); `impl` which implementation. */
export interface Figure {
  bench: string
  impl?: string
  [field: string]: string | number | boolean | undefined
}

export interface Report {
  /** Printed at once as one JSON line, e.g. `{"bench":"history.append","entries":525600,"impl":"log","ms":0.4}`. */
  figure(figure: Figure): void
  table(title: string, columns: string[], rows: Array<Array<string | number>>): void
  /** A goal the suite checks, e.g. "the 525 600th append costs within 2× of the first". */
  target(name: string, met: boolean, detail: string): void
  note(text: string): void
  /** A fresh folder under the OS temp dir, deleted when the suite ends. */
  scratchDir(): string
}

export interface TargetResult {
  suite: string
  name: string
  met: boolean
  detail: string
}

/** The Report a suite gets; the runner keeps the targets and the scratch folders. */
export class ConsoleReport implements Report {
  readonly targets: TargetResult[] = []
  private readonly scratch: string[] = []

  constructor(
    private readonly suite: string,
    private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {}

  figure(figure: Figure): void {
    this.print(JSON.stringify(figure))
  }

  table(title: string, columns: string[], rows: Array<Array<string | number>>): void {
    this.print(`\n${title}\n${formatTable(columns, rows)}\n`)
  }

  target(name: string, met: boolean, detail: string): void {
    this.targets.push({ suite: this.suite, name, met, detail })
    this.print(`${met ? 'MET   ' : 'MISSED'} ${name}: ${detail}`)
  }

  note(text: string): void {
    this.print(text)
  }

  scratchDir(): string {
    const dir = mkdtempSync(join(tmpdir(), `seat-bench-${this.suite}-`))
    this.scratch.push(dir)
    return dir
  }

  cleanUp(): void {
    for (const dir of this.scratch) rmSync(dir, { recursive: true, force: true })
  }
}

/** Milliseconds one call of `work` takes. */
export function timeOnce(work: () => void): number {
  const start = performance.now()
  work()
  return performance.now() - start
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Rounds for display and JSON: enough digits to compare, not noise. */
export function round(ms: number): number {
  if (ms >= 100) return Math.round(ms)
  if (ms >= 1) return Math.round(ms * 100) / 100
  return Math.round(ms * 10_000) / 10_000
}

export function formatTable(columns: string[], rows: Array<Array<string | number>>): string {
  const cells = [columns, ...rows.map((row) => row.map(String))]
  const widths = columns.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)))
  const line = (row: string[]) => row.map((cell, c) => cell.padStart(widths[c]!)).join('  ')
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n')
}
