/**
 * What the window asks for is untrusted input: a bug or a hijacked renderer may send any account id. Only the
 * accounts the app knows are served; anything else is a typed error that touches neither the disk nor Zoho.
 */
import { randomBytes } from 'node:crypto'
import { readdirSync, readlinkSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UnknownAccountError } from '../../main/core/errors'
import { type Simulator, startSimulator } from '../../main/demo/simulator'
import { type Headless, signedInTo, startHeadless } from '../helpers/headless'

let sim: Simulator
let h: Headless

beforeEach(async () => {
  sim = await startSimulator({ scenario: 'steady', seats: { purchased: 25, active: 20 } })
  const { settings, vault } = await signedInTo(sim)
  h = startHeadless({ buildClient: sim.client, settings, vault })
  await h.app.start()
  await h.app.refresh()
})

afterEach(async () => {
  await h.app.stop()
  rmSync(h.dataDir, { recursive: true, force: true })
  await sim.close()
})

describe('account ids the app does not know', () => {
  it('900 random ids from the window create no file, open no descriptor, add no notice and ask Zoho nothing', async () => {
    const filesBefore = filesUnder(h.dataDir)
    const descriptorsBefore = openFilesUnder(h.dataDir)
    const requestsBefore = sim.control.requests().length
    const errors: unknown[] = []
    for (let i = 0; i < 900; i++) {
      const id = randomBytes(1 + (i % 100)).toString('base64url')
      const range = (['24h', '7d', '30d', '1y'] as const)[i % 4]!
      const call =
        i % 4 === 0
          ? h.app.getHistory({ accountId: id, range })
          : i % 4 === 1
            ? h.app.csv({ accountId: id, range })
            : i % 4 === 2
              ? h.app.refresh(id)
              : h.app.signOut(id)
      errors.push(
        await call.then(
          () => 'served',
          (e: unknown) => e,
        ),
      )
    }
    expect(errors.filter((e) => !(e instanceof UnknownAccountError))).toEqual([])
    expect(filesUnder(h.dataDir)).toEqual(filesBefore)
    expect(openFilesUnder(h.dataDir)).toBe(descriptorsBefore)
    expect(h.app.state().notices).toEqual([])
    expect(sim.control.requests().length).toBe(requestsBefore)
    // The known account is untouched and still served.
    expect(h.app.state().accounts.map((a) => a.id)).toEqual(['us-1'])
    const known = await h.app.getHistory({ accountId: 'us-1', range: '24h' })
    expect(known.points.at(-1)?.available).toBe(5)
  })

  it('says which id was refused without echoing a huge or multi-line one', async () => {
    const id = `evil\n${'x'.repeat(190)}`
    const error = await h.app.getHistory({ accountId: id, range: '24h' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnknownAccountError)
    expect((error as UnknownAccountError).name).toBe('UnknownAccountError')
    expect((error as Error).message).toMatch(/^Seat Tray has no account “evil x+…”\.$/)
    expect((error as Error).message.length).toBeLessThan(80)
  })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
}

/** Descriptors this process holds on files in `dir` (Linux /proc; the test machines are Linux). */
function openFilesUnder(dir: string): number {
  let n = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(join('/proc/self/fd', fd)).startsWith(dir)) n++
    } catch {
      // The descriptor readdir itself used is gone by now.
    }
  }
  return n
}
