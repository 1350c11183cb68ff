/**
 * The overview answers "how many seats are free, and what do I do?" in three seconds, at the window's real size
 * (380 × 560). Top to bottom, each fact once:
 *   1. the hero: the org, and free seats of purchased (greyed, "as of …", when the numbers are not current);
 *   2. one sentence for the state;
 *   3. its one action, when there is one (none when Seat Tray is waiting by itself: pressing would make it worse);
 *   4. last and next check, with a quiet "Check now";
 *   5. detail: forecast, renewal, what the free seats cost (with a seat price), and the billing rule behind an ⓘ.
 * Red is for seats out and for problems a person must fix; offline, throttled, stale and the first check are grey.
 */
import type { AccountView } from '../../common/model'
import { h, replaceKeepingFocus } from './dom'
import {
  costSentence,
  exactTime,
  forecastSentence,
  num,
  pendingInvitesSentence,
  relative,
  renewalSentence,
  shortWhen,
} from './format'
import type { Ctx, Panel } from './panel'

export function overviewPanel(ctx: Ctx): Panel {
  const element = h('div', { class: 'overview' })
  const update = () => replaceKeepingFocus(element, ...overviewContent(ctx))
  update()
  return { element, update }
}

/** What the state looks like and asks for: derived once, so the hero, the sentence and the action agree. */
export interface StateView {
  /** Greyed and quiet: nothing is wrong with the seats, Seat Tray is waiting or checking by itself. */
  calm: boolean
  /** "ok" | "low" | "out" for the seats, "problem" for something a person must fix. */
  mood: 'ok' | 'low' | 'out' | 'problem' | 'calm'
  /** The numbers are not current: show them greyed with their time. */
  asOf: number | null
  /** No numbers yet: the hero says "Checking…". */
  checking: boolean
  sentence: string
  action: { id: string; label: string; run: () => void } | null
  /** Whether "Check now" is offered: not while offline, throttled, signing in or already checking by itself. */
  canCheck: boolean
}

export function stateView(ctx: Ctx, account: AccountView): StateView {
  const p = account.problem
  const now = ctx.now()
  const latest = account.latest
  const fixIt = (label: string) => ({ id: 'fix', label, run: () => ctx.fix(account) })
  if (account.phase === 'signing-in') {
    return {
      calm: true,
      mood: 'calm',
      asOf: null,
      checking: !latest,
      sentence: 'Finish signing in to Zoho in the window that opened.',
      action: { id: 'cancel-sign-in', label: 'Cancel sign-in', run: () => void ctx.seats.cancelSignIn() },
      canCheck: false,
    }
  }
  if (account.phase === 'signed-out') {
    return {
      calm: false,
      mood: 'problem',
      asOf: latest ? (account.lastGoodAt ?? latest.at) : null,
      checking: false,
      sentence: p?.message ?? 'Not signed in to Zoho.',
      action: fixIt(p?.actionLabel ?? 'Sign in'),
      canCheck: false,
    }
  }
  if (account.phase === 'first-poll' && !p) {
    return {
      calm: true,
      mood: 'calm',
      asOf: null,
      checking: true,
      sentence: 'Signed in. Reading your license counts from Zoho…',
      action: null,
      canCheck: false,
    }
  }
  const offline = !ctx.state.online || p?.action === 'check-network'
  if (offline) {
    return {
      calm: true,
      mood: 'calm',
      asOf: latest ? (account.lastGoodAt ?? latest.at) : null,
      checking: !latest,
      sentence:
        p && ctx.state.online
          ? p.message
          : 'This computer is offline. Seat Tray checks again when it is back online.',
      action: null,
      canCheck: false,
    }
  }
  if (p?.action === 'wait') {
    const retryAt =
      p.retryAfterMs && account.lastAttemptAt ? account.lastAttemptAt + p.retryAfterMs : account.nextCheckAt
    return {
      calm: true,
      mood: 'calm',
      asOf: account.tone === 'stale' || account.tone === 'error' ? account.lastGoodAt : null,
      checking: !latest,
      // The catalogue's sentence already says Seat Tray waits; this adds only when.
      sentence: retryAt ? `${p.message} Next try ${relative(retryAt, now)}.` : p.message,
      action: null,
      canCheck: false,
    }
  }
  if (p && p.action !== 'retry') {
    // Something a person must fix: the one place red is for besides seats running out.
    return {
      calm: false,
      mood: 'problem',
      asOf: latest ? account.lastGoodAt : null,
      checking: false,
      sentence: p.message,
      action: fixIt(p.actionLabel),
      canCheck: false,
    }
  }
  if (p) {
    // A passing failure (Zoho slow or erroring): grey, the numbers dated, Retry as the quiet way to try now.
    return {
      calm: true,
      mood: 'calm',
      asOf: latest ? account.lastGoodAt : null,
      checking: !latest,
      // How old the numbers are is the hero's "as of", said once.
      sentence: p.message,
      action: fixIt(p.actionLabel),
      canCheck: false,
    }
  }
  if (!latest) {
    return {
      calm: true,
      mood: 'calm',
      asOf: null,
      checking: true,
      sentence: 'Checking…',
      action: null,
      canCheck: false,
    }
  }
  if (account.tone === 'stale') {
    return {
      calm: true,
      mood: 'calm',
      asOf: account.lastGoodAt,
      checking: false,
      sentence: 'These numbers are out of date. Seat Tray checks again by itself.',
      action: null,
      canCheck: true,
    }
  }
  const freeSeat = { id: 'free-seat', label: 'Free a seat', run: () => ctx.go('seat-holders') }
  if (latest.available <= 0) {
    return {
      calm: false,
      mood: 'out',
      asOf: null,
      checking: false,
      sentence: 'No one new can be added until a seat is freed or bought.',
      action: freeSeat,
      canCheck: true,
    }
  }
  if (latest.available <= account.lowAt) {
    return {
      calm: false,
      mood: 'low',
      asOf: null,
      checking: false,
      sentence: `Running low: free a seat before someone new needs one.`,
      action: freeSeat,
      canCheck: true,
    }
  }
  return {
    calm: false,
    mood: 'ok',
    asOf: null,
    checking: false,
    sentence: 'Enough seats free: nothing to do.',
    action: null,
    canCheck: true,
  }
}

function overviewContent(ctx: Ctx): Node[] {
  const account = ctx.account
  if (!account) return [h('p', {}, 'No account is selected.')]
  const view = stateView(ctx, account)
  const nodes: Node[] = [hero(account, view)]
  nodes.push(h('p', { class: `sentence mood-${view.mood}`, id: 'state-sentence' }, view.sentence))
  if (view.action) {
    const action = view.action
    nodes.push(
      h(
        'button',
        {
          type: 'button',
          id: action.id,
          class: view.calm ? 'action' : 'action primary',
          onclick: () => action.run(),
        },
        action.label,
      ),
    )
  }
  const invites = view.action?.id === 'free-seat' ? invitesNote(account) : null
  if (invites) nodes.push(h('p', { class: 'invites-note', id: 'invites-note' }, `${invites}.`))
  if (account.phase === 'signing-in') nodes.push(h('progress', { 'aria-label': 'Waiting for sign-in' }))
  // The first frame ends here: everything below needs date formatting (see Ctx.numbersOnly).
  if (ctx.numbersOnly) return nodes
  if (account.phase === 'ready' || account.phase === 'first-poll') nodes.push(checkRow(ctx, account, view))
  if (account.latest && account.phase === 'ready') nodes.push(details(ctx, account))
  return nodes
}

/** Beside "Free a seat": the invites never accepted that hold seats, the easiest seats to free (counts only). */
function invitesNote(account: AccountView): string | null {
  const access = account.seatHolders
  if (access?.kind !== 'allowed') return null
  return pendingInvitesSentence(access.pendingInvites, access.pendingCounting)
}

function hero(account: AccountView, view: StateView): HTMLElement {
  const latest = account.latest
  const tone = view.calm || view.asOf ? 'calm' : view.mood
  const figure = view.checking
    ? h('p', { class: 'available', id: 'available' }, h('span', { class: 'hero-big checking' }, 'Checking…'))
    : latest
      ? h(
          'p',
          { class: 'available', id: 'available' },
          h('span', { class: 'hero-big' }, num(latest.available)),
          h(
            'span',
            { class: 'of' },
            ` of ${num(latest.purchased)} ${latest.purchased === 1 ? 'seat' : 'seats'} free`,
          ),
        )
      : h('p', { class: 'available', id: 'available' }, h('span', { class: 'hero-big' }, '–'))
  return h(
    'section',
    { class: `hero tone-${tone}`, 'aria-labelledby': 'account-name' },
    h('h2', { id: 'account-name', class: 'org' }, account.label),
    figure,
    view.asOf && latest
      ? h('p', { class: 'as-of', id: 'as-of' }, `as of ${shortWhen(view.asOf)}`)
      : latest?.mismatch
        ? h('p', { class: 'note' }, 'Zoho’s own count of free seats; it differs from purchased minus active.')
        : null,
  )
}

function checkRow(ctx: Ctx, account: AccountView, view: StateView): HTMLElement {
  const now = ctx.now()
  const busy = ctx.isRefreshing(account.id)
  const note = ctx.refreshNote(account.id)
  const parts: Node[] = []
  // Numbers dated in the hero ("as of Fri 07:00") already say when the last good check was.
  const dated = view.asOf !== null && account.latest !== null
  if (busy) parts.push(h('span', {}, 'Checking now…'))
  else if (!dated)
    parts.push(
      account.lastGoodAt
        ? h('span', {}, 'Checked ', when(account.lastGoodAt, now))
        : h('span', {}, 'Not checked yet'),
    )
  if (account.nextCheckAt && !busy)
    parts.push(h('span', {}, parts.length ? ' · next ' : 'Next check ', when(account.nextCheckAt, now)))
  return h(
    'div',
    { class: 'check-row' },
    h('p', { class: 'times' }, ...parts),
    view.canCheck
      ? h(
          'button',
          {
            type: 'button',
            id: 'refresh',
            class: 'quiet',
            'aria-busy': String(busy),
            'aria-disabled': String(busy),
            onclick: () => {
              if (!busy) void ctx.refresh(account.id)
            },
          },
          busy ? h('span', { class: 'spinner', 'aria-hidden': 'true' }) : null,
          busy ? 'Checking…' : 'Check now',
        )
      : null,
    h(
      'span',
      { class: 'refresh-result sr-only', id: 'refresh-result' },
      busy ? 'Asking Zoho…' : (note ?? ''),
    ),
  )
}

/**
 * Forecast, renewal, what the free seats cost (once the person gave a seat price), then how billing works (behind
 * an ⓘ: it is true of every state, so it waits to be asked).
 */
function details(ctx: Ctx, account: AccountView): HTMLElement {
  const latest = account.latest!
  const renewal = renewalSentence(account.org, ctx.now())
  return h(
    'section',
    { class: 'details', 'aria-label': 'Details' },
    // "Every seat is taken now" is the out state's own sentence already.
    account.forecast.kind === 'out-now'
      ? null
      : h('p', { class: 'forecast' }, forecastSentence(account.forecast)),
    renewal ? h('p', { class: 'renewal' }, renewal) : null,
    // Only free seats cost money unused: with none free the line would say nothing worth the room.
    account.seatCost && account.seatCost.freeSeats > 0
      ? h('p', { class: 'cost', id: 'free-seats-cost' }, costSentence(account.seatCost))
      : null,
    h(
      'details',
      { class: 'billing' },
      h(
        'summary',
        {},
        `${num(latest.active)} in use `,
        h('span', { class: 'info', 'aria-hidden': 'true' }, 'i'),
        h('span', { class: 'sr-only' }, 'How billing works'),
      ),
      h(
        'p',
        {},
        'You are billed for purchased seats; active seats are users who are switched on. Deactivating a user frees a seat but does not lower the bill.',
      ),
    ),
  )
}

/** A relative time that shows the exact one on hover and to assistive tech. */
export function when(at: number, now: number): HTMLElement {
  return h(
    'time',
    { datetime: new Date(at).toISOString(), title: exactTime(at), 'aria-description': exactTime(at) },
    relative(at, now),
  )
}
