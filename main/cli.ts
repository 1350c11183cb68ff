/**
 * The `seat-tray` command's entry (`npm run build:cli` bundles it to out/cli/seat-tray.mjs; bin/seat-tray.mjs runs
 * that). Everything it does lives in main/cli/: run.ts picks the subcommand, one file per subcommand, and the shared
 * rules (options, threshold ranges, output formats, the token cache) each in a file of their own.
 */
import { pathToFileURL } from 'node:url'
import { main } from './cli/run'

export { type CliIo, EXIT, main, runCli } from './cli/run'

// `tsx main/cli.ts …` or `node out/cli/seat-tray.mjs …`; bin/seat-tray.mjs imports the bundle and calls main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
