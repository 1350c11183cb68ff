/**
 * `watch --webhook URL`: each notification POSTed to a Slack incoming webhook or a Teams Workflows webhook.
 * Sends run beside the poller, never in its way: a queue, one send at a time, retried with backoff on network
 * errors, 429 and 5xx, and dropped after the last try with one line on stderr. The URL is a secret (whoever has it
 * can post to the channel), so no message ever quotes it.
 */
import { holdingClock, type Notice, sleep, systemClock } from '../core/ports'
import { isLoopbackOrigin } from '../core/zoho/datacenters'
import { UsageError } from './usage'

export type WebhookFormat = 'slack' | 'teams'

/** The one place the payloads are written. */
export function webhookPayload(format: WebhookFormat, notice: Notice): unknown {
  if (format === 'teams') {
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: notice.title, weight: 'Bolder', wrap: true },
              { type: 'TextBlock', text: notice.body, wrap: true },
            ],
          },
        },
      ],
    }
  }
  // Slack reads &, < and > as markup (links, mentions): an org name must not turn into one.
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return { text: `*${esc(notice.title)}*\n${esc(notice.body)}` }
}

/** https only; plain http only to loopback, and only when ZOHO_ALLOW_LOOPBACK says so (tests, the simulator). */
export function checkedWebhookUrl(text: string, allowLoopback: boolean): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new UsageError(
      '--webhook is not a URL (expected https://hooks.slack.com/… or a Teams workflow URL)',
    )
  }
  if (url.protocol === 'https:' && !url.username && !url.password) return url
  if (url.protocol === 'http:' && isLoopbackOrigin(url.origin)) {
    if (allowLoopback) return url
    throw new UsageError('--webhook to a loopback address needs ZOHO_ALLOW_LOOPBACK=1 (for tests only)')
  }
  throw new UsageError('--webhook must be an https:// URL')
}

export interface WebhookOptions {
  url: URL
  format: WebhookFormat
  fetch?: typeof fetch
  onGiveUp: (reason: string) => void
  /** Waits between tries; 1 s, 2 s, 4 s, 8 s by default (5 tries). */
  backoffMs?: readonly number[]
  requestTimeoutMs?: number
}

export class WebhookSender {
  private queue: Promise<void> = Promise.resolve()
  private pending = 0
  private stopping = false

  constructor(private readonly o: WebhookOptions) {}

  /** Returns at once; the send happens in the background, after any before it. */
  send(notice: Notice): void {
    this.pending++
    this.queue = this.queue
      .then(() => this.deliver(notice))
      .finally(() => {
        this.pending--
      })
  }

  /** Gives sends under way up to `ms` to finish, for a clean shutdown. */
  async drain(ms: number): Promise<void> {
    this.stopping = true
    if (this.pending === 0) return
    // systemClock's timers do not hold the process: a shutdown waits for sends, not for this timer.
    await Promise.race([this.queue, sleep(systemClock, ms)])
  }

  private async deliver(notice: Notice): Promise<void> {
    const body = JSON.stringify(webhookPayload(this.o.format, notice))
    const waits = this.o.backoffMs ?? [1000, 2000, 4000, 8000]
    let reason = ''
    for (let attempt = 0; attempt <= waits.length; attempt++) {
      if (attempt > 0) {
        if (this.stopping) break
        await sleep(holdingClock, waits[attempt - 1] ?? 0)
      }
      try {
        const response = await (this.o.fetch ?? fetch)(this.o.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(this.o.requestTimeoutMs ?? 10_000),
        })
        await response.body?.cancel()
        if (response.ok) return
        reason = `HTTP ${response.status}`
        // Other 4xx mean the URL or the payload is wrong: asking again cannot help.
        if (response.status < 500 && response.status !== 429 && response.status !== 408) break
      } catch (error) {
        reason =
          error instanceof Error && error.name === 'TimeoutError' ? 'no answer in 10 s' : 'network error'
      }
    }
    this.o.onGiveUp(reason)
  }
}
