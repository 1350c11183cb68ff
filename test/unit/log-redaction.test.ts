/**
 * The log file holds what happened and never a secret: real secrets are logged on purpose, in every way code could
 * log them, through electron-log's real file transport, and the files on disk are read back.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nodeLog from 'electron-log/node'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { MemoryVault } from '../../main/core/memory-vault'
import { REDACTED, Redactor, redactingVault } from '../../main/core/redact'
import { configureLog } from '../../main/platform/log'

const dir = mkdtempSync(join(tmpdir(), 'seat-tray-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let count = 0
function freshLogger() {
  const logger = nodeLog.create({ logId: `seat-tray-test-${++count}` })
  // The console transport would print to the test output; the file is what is under test.
  logger.transports.console.level = false
  return logger
}

const saved = { error: console.error, warn: console.warn, info: console.info, log: console.log }
afterEach(() => Object.assign(console, saved))

// Shaped like the real thing: Zoho tokens are 1000.<hex>.<hex>; a client secret is 42 characters of [0-9a-f];
// a proxy password is anything a person typed.
const REFRESH_TOKEN = '1000.6f1c2a9b8e7d4c3b2a1f0e9d8c7b6a59.0a1b2c3d4e5f60718293a4b5c6d7e8f9'
const ACCESS_TOKEN = '1000.deadbeefcafe0123456789abcdef0123.fedcba9876543210fedcba9876543210'
const CLIENT_SECRET = '5e2b1c9d8a7f6e5d4c3b2a19f8e7d6c5b4a3921e0f'
const PROXY_PASSWORD = 'Spring 2026! correct&horse'
const SECRETS = [REFRESH_TOKEN, ACCESS_TOKEN, CLIENT_SECRET, PROXY_PASSWORD]

function everyLogFile(folder: string): string {
  return readdirSync(folder)
    .map((name) => readFileSync(join(folder, name), 'utf8'))
    .join('\n')
}

describe('the log file', () => {
  it('never holds a token, the client secret or the proxy password, however they are logged', async () => {
    const folder = join(dir, 'secrets')
    const redactor = new Redactor()
    const log = configureLog(freshLogger(), {
      redactor,
      file: join(folder, 'main.log'),
      captureConsole: true,
    })

    // Secrets become known the way they do in the app: through the vault, and the proxy answer.
    const vault = redactingVault(new MemoryVault(), redactor)
    await vault.set('refresh:acc-1', REFRESH_TOKEN)
    await vault.set('client-secret', CLIENT_SECRET)
    redactor.addSecret(PROXY_PASSWORD)

    log.info('refreshing with', REFRESH_TOKEN)
    log.info(
      `POST /oauth/v2/token refresh_token=${REFRESH_TOKEN}&client_secret=${CLIENT_SECRET}&grant_type=refresh_token`,
    )
    log.info(
      `form: client_secret=${encodeURIComponent(CLIENT_SECRET)}&password=${encodeURIComponent(PROXY_PASSWORD)}`,
    )
    log.warn({
      headers: { Authorization: `Zoho-oauthtoken ${ACCESS_TOKEN}` },
      url: 'https://www.zohoapis.eu/crm/v7/org',
    })
    log.error(new Error(`Zoho refused ${REFRESH_TOKEN}`, { cause: new Error(`secret was ${CLIENT_SECRET}`) }))
    log.info({
      account: { refreshToken: 'not-shaped-like-a-token', nested: [{ client_secret: 'also-not-shaped' }] },
    })
    log.info(`proxy http://ana:${PROXY_PASSWORD}@proxy.office:3128 refused`)
    log.info(`the person typed ${PROXY_PASSWORD} into the proxy dialog`)
    console.error('Refresh failed:', new Error(`token ${ACCESS_TOKEN} expired`))
    console.log('raw', { access_token: ACCESS_TOKEN, expires_in: 3600 })

    const written = everyLogFile(folder)
    for (const secret of [...SECRETS, encodeURIComponent(PROXY_PASSWORD), encodeURIComponent(CLIENT_SECRET)])
      expect(written).not.toContain(secret)
    expect(written).not.toContain('not-shaped-like-a-token')
    expect(written).not.toContain('also-not-shaped')
    // What happened is still there, with timestamps.
    expect(written).toContain('POST /oauth/v2/token')
    expect(written).toContain('https://www.zohoapis.eu/crm/v7/org')
    expect(written).toContain('proxy.office:3128 refused')
    expect(written).toContain('Refresh failed:')
    expect(written).toContain('expires_in')
    expect(written.split(REDACTED).length - 1).toBeGreaterThanOrEqual(12)
    const lines = written.split('\n').filter((line) => line.startsWith('['))
    expect(lines.length).toBeGreaterThanOrEqual(10)
    for (const line of lines)
      expect(line).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] \[(info|warn|error)\] /)
  })

  it('keeps the newest lines and stays under twice its cap when it fills', () => {
    const folder = join(dir, 'rotate')
    const maxBytes = 8 * 1024
    const log = configureLog(freshLogger(), {
      redactor: new Redactor(),
      file: join(folder, 'main.log'),
      maxBytes,
    })
    const line = 'x'.repeat(90)
    for (let i = 0; i < 1000; i++) log.info(`line ${i} ${line}`)

    const files = readdirSync(folder).sort()
    expect(files).toEqual(['main.log', 'main.old.log'])
    const sizes = files.map((name) => statSync(join(folder, name)).size)
    // Each file is at most the cap plus the one line that crossed it: about 90 KB written, at most 16 KB kept.
    for (const size of sizes) expect(size).toBeLessThanOrEqual(maxBytes + 200)
    expect(readFileSync(join(folder, 'main.log'), 'utf8')).toContain('line 999 ')
    expect(existsSync(join(folder, 'main.log'))).toBe(true)
  })
})

describe('the redactor', () => {
  it('leaves ordinary words alone, even ones that contain part of a secret', () => {
    const redactor = new Redactor()
    redactor.addSecret('ab')
    redactor.addSecret('tiger-lily-42')
    expect(redactor.text('about 12 seats free in tabs')).toBe('about 12 seats free in tabs')
    expect(redactor.text('password tiger-lily-42 given')).toBe(`password ${REDACTED} given`)
  })

  it('follows cycles without hanging and keeps numbers and booleans', () => {
    const redactor = new Redactor()
    const looped: Record<string, unknown> = { free: 3, ok: true }
    looped.self = looped
    expect(redactor.value(looped)).toEqual({ free: 3, ok: true, self: '[circular]' })
  })
})
