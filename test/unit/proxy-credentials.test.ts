import { describe, expect, it } from 'vitest'
import type { ProxyAuthRequest } from '../../common/contract'
import { MemoryVault } from '../../main/core/memory-vault'
import {
  PROXY_QUESTION_TIMEOUT_MS,
  ProxyAuth,
  type ProxyChallenge,
  QUIET_AFTER_DISMISS_MS,
} from '../../main/core/proxy-credentials'
import { VirtualClock } from '../helpers/virtual-clock'

const CHALLENGE: ProxyChallenge = { host: 'proxy.corp', port: 3128, realm: 'Corp', scheme: 'basic' }
const KEY = 'proxy:proxy.corp:3128'
const ANN = { username: 'ann', password: 'right' }

function setup() {
  const clock = new VirtualClock()
  const vault = new MemoryVault()
  const asked: ProxyAuthRequest[] = []
  let refreshes = 0
  const auth = new ProxyAuth({
    vault,
    clock,
    ask: (request) => asked.push(request),
    onAnswered: () => refreshes++,
  })
  const lastQuestion = () => {
    const question = asked.at(-1)
    if (!question) throw new Error('nobody was asked')
    return question
  }
  return { clock, vault, asked, auth, lastQuestion, refreshes: () => refreshes }
}

/** Lets the vault reads inside `respond` finish, so a question is on screen before the test answers it. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('when an office proxy asks for a username and password', () => {
  it('asks the person, sends what they typed, and checks again', async () => {
    const { auth, asked, lastQuestion, refreshes } = setup()
    const reply = auth.respond(CHALLENGE)
    await settle()
    expect(asked).toEqual([
      {
        id: expect.any(String),
        host: 'proxy.corp',
        port: 3128,
        realm: 'Corp',
        scheme: 'basic',
        retry: false,
      },
    ])
    await auth.answer({ id: lastQuestion().id, ...ANN, remember: false })
    await expect(reply).resolves.toEqual(ANN)
    expect(refreshes()).toBe(1)
  })

  it('remembers the answer on this computer only when asked to', async () => {
    const { auth, vault, lastQuestion } = setup()
    const reply = auth.respond(CHALLENGE)
    await settle()
    await auth.answer({ id: lastQuestion().id, ...ANN, remember: true })
    await reply
    expect(JSON.parse((await vault.get(KEY)) ?? 'null')).toEqual(ANN)

    const other = setup()
    const second = other.auth.respond(CHALLENGE)
    await settle()
    await other.auth.answer({ id: other.lastQuestion().id, ...ANN, remember: false })
    await second
    expect(other.vault.keys()).toEqual([])
  })

  it('answers by itself with remembered credentials, without asking', async () => {
    const { auth, vault, asked } = setup()
    await vault.set(KEY, JSON.stringify(ANN))
    await expect(auth.respond(CHALLENGE)).resolves.toEqual(ANN)
    expect(asked).toEqual([])
  })

  it('does not ask again for the rest of the run after an answer that was not to be remembered', async () => {
    const { auth, asked, lastQuestion } = setup()
    const first = auth.respond(CHALLENGE)
    await settle()
    await auth.answer({ id: lastQuestion().id, ...ANN, remember: false })
    await first
    await expect(auth.respond(CHALLENGE)).resolves.toEqual(ANN)
    expect(asked).toHaveLength(1)
  })

  it('forgets remembered credentials the proxy refuses, and says so when it asks', async () => {
    const { auth, vault, asked, lastQuestion } = setup()
    await vault.set(KEY, JSON.stringify({ username: 'ann', password: 'old' }))
    const sent = await auth.respond(CHALLENGE)
    expect(sent).toEqual({ username: 'ann', password: 'old' })

    const again = auth.respond({ ...CHALLENGE, repeat: { sent: sent ?? undefined } })
    await settle()
    expect(await vault.get(KEY)).toBeNull()
    expect(asked).toHaveLength(1)
    expect(lastQuestion().retry).toBe(true)
    await auth.answer({ id: lastQuestion().id, ...ANN, remember: true })
    await expect(again).resolves.toEqual(ANN)
  })

  it('never answers a refusal by itself, so wrong credentials cannot loop', async () => {
    const { auth, asked, lastQuestion } = setup()
    const first = auth.respond(CHALLENGE)
    await settle()
    await auth.answer({ id: lastQuestion().id, username: 'ann', password: 'typo', remember: false })
    const typo = await first
    // The proxy refuses: the person is asked again, told why; the refused password is not sent a second time.
    const second = auth.respond({ ...CHALLENGE, repeat: { sent: typo ?? undefined } })
    await settle()
    expect(asked.map((q) => q.retry)).toEqual([false, true])
    await auth.answer({ id: lastQuestion().id, cancel: true })
    await expect(second).resolves.toBeNull()
    // And the next check does not send the refused password either.
    await expect(auth.respond(CHALLENGE)).resolves.toBeNull()
  })

  it('treats a repeat whose credentials are not known as a refusal too (the sign-in window cannot say what it sent)', async () => {
    const { auth, vault, lastQuestion } = setup()
    await vault.set(KEY, JSON.stringify(ANN))
    const again = auth.respond({ ...CHALLENGE, repeat: {} })
    await settle()
    expect(lastQuestion().retry).toBe(true)
    expect(await vault.get(KEY)).toBeNull()
    await auth.answer({ id: lastQuestion().id, cancel: true })
    await expect(again).resolves.toBeNull()
  })

  it('sends newer credentials to a request that was refused the older ones, instead of asking again', async () => {
    const { auth, asked, lastQuestion } = setup()
    const first = auth.respond(CHALLENGE)
    await settle()
    await auth.answer({ id: lastQuestion().id, ...ANN, remember: false })
    await first
    const stale = { username: 'ann', password: 'older' }
    await expect(auth.respond({ ...CHALLENGE, repeat: { sent: stale } })).resolves.toEqual(ANN)
    expect(asked).toHaveLength(1)
  })

  it('asks once when several checks are challenged at the same time, and answers them all', async () => {
    const { auth, asked, lastQuestion } = setup()
    const replies = [auth.respond(CHALLENGE), auth.respond(CHALLENGE), auth.respond(CHALLENGE)]
    await settle()
    expect(asked).toHaveLength(1)
    await auth.answer({ id: lastQuestion().id, ...ANN, remember: false })
    await expect(Promise.all(replies)).resolves.toEqual([ANN, ANN, ANN])
  })

  it('keeps each proxy apart: its own question and its own vault entry', async () => {
    const { auth, asked, vault } = setup()
    await vault.set(KEY, JSON.stringify(ANN))
    const other = auth.respond({ ...CHALLENGE, host: 'Backup.Corp', port: 8080 })
    await settle()
    expect(asked.map((q) => `${q.host}:${q.port}`)).toEqual(['Backup.Corp:8080'])
    await auth.answer({ id: asked[0]!.id, username: 'bob', password: 'b', remember: true })
    await other
    expect(vault.keys().sort()).toEqual(['proxy:backup.corp:8080', KEY])
  })

  it('cancels when the person cancels, and then stays quiet about that proxy for a while', async () => {
    const { auth, asked, clock, lastQuestion, refreshes } = setup()
    const reply = auth.respond(CHALLENGE)
    await settle()
    await auth.answer({ id: lastQuestion().id, cancel: true })
    await expect(reply).resolves.toBeNull()
    expect(refreshes()).toBe(0)

    await expect(auth.respond(CHALLENGE)).resolves.toBeNull()
    expect(asked).toHaveLength(1)
    await clock.advance(QUIET_AFTER_DISMISS_MS)
    void auth.respond(CHALLENGE)
    await settle()
    expect(asked).toHaveLength(2)
  })

  it('stays quiet for the real 10 minutes after a cancel, even when the clock is set back a day', async () => {
    const { auth, asked, clock, lastQuestion } = setup()
    const reply = auth.respond(CHALLENGE)
    await settle()
    await auth.answer({ id: lastQuestion().id, cancel: true })
    await reply
    clock.jumpWallClock(-24 * 60 * 60_000)
    await clock.advance(QUIET_AFTER_DISMISS_MS)
    void auth.respond(CHALLENGE)
    await settle()
    expect(asked).toHaveLength(2)
  })

  it('asks again at once when the person asks for a check after cancelling', async () => {
    const { auth, asked, lastQuestion } = setup()
    const reply = auth.respond(CHALLENGE)
    await settle()
    await auth.answer({ id: lastQuestion().id, cancel: true })
    await reply
    auth.resumeAsking()
    void auth.respond(CHALLENGE)
    await settle()
    expect(asked).toHaveLength(2)
  })

  it('gives up after two minutes without an answer, but still keeps an answer that comes later', async () => {
    const { auth, clock, lastQuestion, refreshes } = setup()
    const reply = auth.respond(CHALLENGE)
    await settle()
    expect(auth.pending()).toHaveLength(1)
    await clock.advance(PROXY_QUESTION_TIMEOUT_MS - 1)
    let done = false
    void reply.then(() => (done = true))
    await settle()
    expect(done).toBe(false)
    await clock.advance(1)
    await expect(reply).resolves.toBeNull()
    expect(auth.pending()).toEqual([])

    await auth.answer({ id: lastQuestion().id, ...ANN, remember: false })
    expect(refreshes()).toBe(1)
    await expect(auth.respond(CHALLENGE)).resolves.toEqual(ANN)
  })

  it('ignores an answer to a question it never asked', async () => {
    const { auth, vault, refreshes } = setup()
    await auth.answer({ id: 'made-up', ...ANN, remember: true })
    expect(vault.keys()).toEqual([])
    expect(refreshes()).toBe(0)
  })

  it('asks rather than send a damaged vault entry', async () => {
    const { auth, vault, asked } = setup()
    await vault.set(KEY, '{not json')
    void auth.respond(CHALLENGE)
    await settle()
    expect(asked).toHaveLength(1)
  })
})
