#!/usr/bin/env node
// The installed `seat-tray` command: runs the bundle that `npm run build:cli` makes from main/cli.ts.
import { existsSync } from 'node:fs'

const bundle = new URL('../out/cli/seat-tray.mjs', import.meta.url)
if (!existsSync(bundle)) {
  process.stderr.write(
    'seat-tray: the command is not built yet. Run `npm run build:cli` in the Seat Tray folder.\n',
  )
  process.exit(3)
}
const { main } = await import(bundle.href)
await main()
