/**
 * Every answer is read within 1 MiB, counted after decompression, over real loopback HTTP: a gzip bomb, a 100 MB
 * body and a malformed chunked body each fail fast with bounded memory and a message that says what happened.
 */
import { createServer, type Socket } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { fetchUserLicenses } from '../../main/core/zoho/crm'
import { problemOfRejection as problemOf } from '../helpers/problems'
import { VirtualClock } from '../helpers/virtual-clock'
import { type StandIn, startStandIn } from '../helpers/zoho-stand-in'

const MB = 1024 * 1024
const hostPolicy = { allowLoopback: true }

let zoho: StandIn | undefined
afterEach(async () => {
  await zoho?.close()
  zoho = undefined
})

function check(apiDomain: string) {
  const http = { fetch: globalThis.fetch, clock: new VirtualClock() }
  return fetchUserLicenses(http, { apiDomain, accessToken: 'at', hostPolicy })
}

/**
 * Runs `work` while sampling resident memory every millisecond; returns how far it rose above where it started.
 * Garbage collection may lag, so the growth measured is an upper bound of what the read really kept.
 */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage.rss()
  let peak = start
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 1)
  try {
    await work()
  } finally {
    clearInterval(sampler)
  }
  return Math.max(peak, process.memoryUsage.rss()) - start
}

/** ~4 MB of gzip that inflates to ~4 GB of zeros: 4 000 gzip members of 1 MiB of zeros each, end to end. */
function gzipBomb(): Buffer {
  const member = gzipSync(Buffer.alloc(MB), { level: 9 })
  return Buffer.concat(Array.from({ length: Math.ceil((4 * MB) / member.length) }, () => member))
}

describe('an answer too large to be Zoho’s', () => {
  it('stops reading a 4 MB gzip bomb at 1 MiB inflated, with little memory, and says it was too large', async () => {
    const bomb = gzipBomb()
    expect(bomb.length).toBeGreaterThan(3.9 * MB)
    zoho = await startStandIn((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(bomb)
    })
    let p: Awaited<ReturnType<typeof problemOf>> | undefined
    const started = Date.now()
    const growth = await peakRssGrowth(async () => {
      p = await problemOf(check(zoho!.origin))
    })
    console.info(`gzip bomb: peak RSS growth ${(growth / MB).toFixed(1)} MB in ${Date.now() - started} ms`)
    expect(p).toMatchObject({ kind: 'too-large', action: 'retry' })
    expect(p?.message).toMatch(/larger than 1 MiB/)
    expect(p?.message).not.toMatch(/internet connection/)
    expect(growth).toBeLessThan(50 * MB)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(zoho.licenseRequests()).toBe(1)
  })

  it('stops reading a 100 MB body at 1 MiB', async () => {
    const chunk = Buffer.alloc(MB, 0x20)
    zoho = await startStandIn((res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      let sent = 0
      const more = () => {
        while (sent < 100 && !res.destroyed) {
          sent++
          if (!res.write(chunk)) return res.once('drain', more)
        }
        res.end()
      }
      res.on('error', () => {})
      more()
    })
    const growth = await peakRssGrowth(async () => {
      expect((await problemOf(check(zoho!.origin))).kind).toBe('too-large')
    })
    console.info(`100 MB body: peak RSS growth ${(growth / MB).toFixed(1)} MB`)
    expect(growth).toBeLessThan(50 * MB)
    expect(zoho.licenseRequests()).toBe(1)
  })

  it('still reads an answer of just under 1 MiB (Zoho’s are a few kB)', async () => {
    const body = JSON.stringify({
      __features: [
        {
          api_name: 'user_licenses',
          details: { limits: { total: 25 }, used_count: { total: 20 } },
          padding: 'x'.repeat(MB - 200),
        },
      ],
    })
    expect(body.length).toBeLessThan(MB)
    zoho = await startStandIn((res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    })
    expect((await check(zoho.origin)).available).toBe(5)
  })
})

describe('an answer that arrives broken', () => {
  let server: ReturnType<typeof createServer> | undefined
  afterEach(() => server?.close())

  it('says a malformed chunked body arrived broken, not that the internet is down', async () => {
    const sockets: Socket[] = []
    server = createServer((socket) => {
      sockets.push(socket)
      socket.once('data', () => {
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\nZZ\r\nxx\r\n',
        )
        setTimeout(() => socket.end(), 20)
      })
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    const p = await problemOf(check(`http://127.0.0.1:${port}`))
    expect(p).toMatchObject({ kind: 'garbled-answer', detail: 'HPE_INVALID_CHUNK_SIZE', action: 'retry' })
    expect(p.message).toMatch(/arrived broken/)
    expect(p.message).not.toMatch(/internet connection/)
    expect(sockets).toHaveLength(1)
  })

  it('says a corrupt gzip body arrived broken', async () => {
    zoho = await startStandIn((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(Buffer.from('this is not gzip at all, though it says so'))
    })
    const p = await problemOf(check(zoho.origin))
    expect(p.kind).toBe('garbled-answer')
    expect(zoho.licenseRequests()).toBe(1)
  })
})
