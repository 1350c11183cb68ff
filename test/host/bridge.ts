/**
 * Electron's preload and IPC, played by Playwright: the page gets `window.seats` built from the same channel map as
 * preload/index.ts builds it, every invoke crosses to Node through one binding and meets the real IPC handlers
 * (main/platform/ipc.ts: the sender check, then the payload schemas), and main's pushes are delivered into the page.
 */
import type { Frame, Page } from 'playwright'
import { INVOKE_CHANNELS, type InvokeMethod, PUSH_CHANNELS } from '../../common/contract'
import type { InvokeHandler, SenderEvent } from '../../main/platform/ipc'

const INVOKE_BINDING = '__seatTrayInvoke'
const PUSH_FUNCTION = '__seatTrayPush'

interface Channels {
  invoke: Record<string, string>
  push: Record<string, string>
  invokeBinding: string
  pushFunction: string
}

/**
 * Runs in the page before its scripts (addInitScript): what preload/index.ts exposes, method for method. Listeners
 * get payloads only, and the raw channel function is not enumerable on window.seats.
 */
function installSeats(c: Channels): void {
  const w = window as unknown as Record<string, unknown>
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const byChannel = Object.fromEntries(Object.entries(c.invoke).map(([method, channel]) => [channel, method]))
  const invoke = (channel: string, args: unknown[]) =>
    (w[c.invokeBinding] as (channel: string, args: unknown[]) => Promise<unknown>)(channel, args)
  const subscribe = (channel: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(channel) ?? new Set()
    listeners.set(channel, set)
    set.add(listener)
    return () => {
      set.delete(listener)
    }
  }
  const seats: Record<string, unknown> = {}
  for (const channel of Object.keys(byChannel))
    seats[byChannel[channel] as string] = (...args: unknown[]) => invoke(channel, args)
  for (const [method, channel] of Object.entries(c.push))
    seats[method] = (listener: (payload: unknown) => void) => subscribe(channel, listener)
  w.seats = Object.freeze(seats)
  Object.defineProperty(window, c.pushFunction, {
    value: (channel: string, payload: unknown) => {
      for (const listener of listeners.get(channel) ?? []) listener(payload)
    },
  })
}

/** Our window, as ipc.ts's sender check sees an Electron webContents: an id, its main frame, each frame's URL. */
const WEB_CONTENTS_ID = 1

/** Where `push` puts main's messages; pushes keep their order, and a page that is gone is skipped (as main does). */
export interface Bridge {
  push(channel: string, payload: unknown): void
  /** Waits for every push sent so far to reach the page. */
  flushed(): Promise<void>
}

export async function bridgePage(
  page: Page,
  handlers: Record<InvokeMethod, InvokeHandler>,
  calls: { method: string; args: unknown[]; refused?: string }[],
): Promise<Bridge> {
  const byChannel = new Map(
    (Object.keys(INVOKE_CHANNELS) as InvokeMethod[]).map((m) => [INVOKE_CHANNELS[m] as string, m]),
  )
  const frameView = (frame: Frame) => ({
    get url() {
      return frame.url()
    },
  })
  const mainFrame = frameView(page.mainFrame())
  await page.exposeBinding(INVOKE_BINDING, async (source, channel: string, args: unknown[]) => {
    const method = byChannel.get(channel)
    if (!method) throw new Error(`No handler registered for '${channel}'`)
    const event = {
      sender: { id: WEB_CONTENTS_ID, mainFrame },
      senderFrame: source.frame === page.mainFrame() ? mainFrame : frameView(source.frame),
    } as unknown as SenderEvent
    // Recorded as it arrives (a handler may resolve something the test awaits before it returns).
    const call: { method: string; args: unknown[]; refused?: string } = { method, args }
    calls.push(call)
    try {
      return await handlers[method](event, ...args)
    } catch (error) {
      call.refused = error instanceof Error ? error.message : String(error)
      throw error
    }
  })
  await page.addInitScript(installSeats, {
    invoke: INVOKE_CHANNELS,
    push: PUSH_CHANNELS,
    invokeBinding: INVOKE_BINDING,
    pushFunction: PUSH_FUNCTION,
  } satisfies Channels)
  let queue: Promise<unknown> = Promise.resolve()
  return {
    push(channel, payload) {
      queue = queue.then(() =>
        page
          .evaluate(
            ([fn, ch, p]) => {
              const deliver = (window as unknown as Record<string, unknown>)[fn as string]
              if (typeof deliver === 'function') deliver(ch, p)
            },
            [PUSH_FUNCTION, channel, payload] as const,
          )
          .catch(() => undefined),
      )
    },
    flushed: () => queue.then(() => undefined),
  }
}

export const TRUSTED_WEB_CONTENTS = new Set([WEB_CONTENTS_ID])
