/**
 * `npm run bench [-- <suite>…] [--strict]`: runs every suite in bench/suites (or the named ones), each measuring
 * ours against a baseline in the same run. To add a suite, drop a file in bench/suites exporting
 * `async function run(report: Report)`. Targets missed are listed at the end; `--strict` turns them into exit code 1
 * (off by default: shared CI machines are noisy, and a benchmark that fails at random teaches people to ignore it).
 */
import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { ConsoleReport, type Report, type TargetResult } from './report'

interface Suite {
  run(report: Report): Promise<void>
}

const here = dirname(fileURLToPath(import.meta.url))

async function main(args: string[]): Promise<number> {
  const strict = args.includes('--strict')
  const wanted = args.filter((a) => !a.startsWith('--'))
  const suites = suiteNames().filter((name) => wanted.length === 0 || wanted.includes(name))
  if (suites.length === 0) {
    process.stderr.write(`No suite named ${wanted.join(', ')}. Known: ${suiteNames().join(', ')}\n`)
    return 2
  }
  const targets: TargetResult[] = []
  const started = performance.now()
  for (const name of suites) {
    process.stdout.write(`\n=== ${name} ===\n`)
    const report = new ConsoleReport(name)
    try {
      const suite = (await import(pathToFileURL(join(here, 'suites', `${name}.ts`)).href)) as Suite
      await suite.run(report)
    } catch (error) {
      report.target(
        `${name} ran to the end`,
        false,
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      )
    } finally {
      report.cleanUp()
      targets.push(...report.targets)
    }
  }
  const missed = targets.filter((t) => !t.met)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  process.stdout.write(
    `\n${targets.length - missed.length}/${targets.length} targets met in ${seconds} s` +
      (missed.length ? `; missed: ${missed.map((t) => `${t.suite}: ${t.name}`).join('; ')}` : '') +
      '\n',
  )
  return strict && missed.length > 0 ? 1 : 0
}

function suiteNames(): string[] {
  return readdirSync(join(here, 'suites'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => basename(file, '.ts'))
    .sort()
}

process.exitCode = await main(process.argv.slice(2))
