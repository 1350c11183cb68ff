/**
 * The overview answers "how many seats are free, since when, and what do I do?" for one account: the numbers and
 * utilization, when it was checked, the forecast, the renewal, a Refresh button, and any problem in plain words
 * with the one action that fixes it.
 */
import type { AccountView } from '../../common/model'
import { h, replaceKeepingFocus } from './dom'
import {
  exactTime,
  forecastSentence,
  num,
  relative,
  renewalSentence,
  TONE_LABEL,
  usageSentence,
} from './format'
import type { Ctx, Panel } from './panel'

export function overviewPanel(ctx: Ctx): Panel {
  const element = h('div', { class: 'overview' })
  const update = () => replaceKeepingFocus(element, ...overviewContent(ctx))
  update()
  return { element, update }
}

function overviewContent(ctx: Ctx): Node[] {
  const account = ctx.account
  if (!account) return [h('p', {}, 'No account is selected.')]
  switch (account.phase) {
    case 'signed-out':
      return [
        accountHeading(account),
        problemCard(ctx, account, account.problem?.message ?? 'Not signed in to Zoho.'),
      ]
    case 'signing-in':
      return [accountHeading(account), signingIn(ctx)]
    case 'first-poll':
      return [accountHeading(account), firstPoll(ctx, account)]
    case 'ready':
      return readyContent(ctx, account)
  }
}

function readyContent(ctx: Ctx, account: AccountView): Node[] {
  const nodes: Node[] = [accountHeading(account)]
  if (account.problem) nodes.push(problemCard(ctx, account))
  if (account.tone === 'stale' && account.lastGoodAt) {
    nodes.push(
      h(
        'p',
        { class: 'banner stale' },
        `These numbers are from ${relative(account.lastGoodAt, ctx.now())}; Seat Tray has not been able to check since.`,
      ),
    )
  }
  if (account.latest) nodes.push(numbers(ctx, account))
  // The first frame ends here: everything below needs date formatting (see Ctx.numbersOnly).
  if (ctx.numbersOnly) return nodes
  nodes.push(checkTimes(ctx, account), refreshRow(ctx, account))
  nodes.push(h('p', { class: 'forecast' }, forecastSentence(account.forecast)))
  const renewal = renewalSentence(account.org, ctx.now())
  if (renewal) nodes.push(h('p', { class: 'renewal' }, renewal))
  nodes.push(
    h(
      'p',
      { class: 'billing' },
      'Purchased seats are what you are billed for; active seats are users who are switched on. Deactivating a user frees a seat but does not lower the bill.',
    ),
    h(
      'button',
      { type: 'button', class: 'link', onclick: () => void ctx.seats.openLink('zoho-crm-users') },
      'Manage users in Zoho CRM',
    ),
  )
  return nodes
}

function accountHeading(account: AccountView): HTMLElement {
  return h(
    'div',
    { class: 'account-heading' },
    h('h2', { id: 'account-name' }, account.label),
    h('span', { class: `chip tone-${account.tone}` }, TONE_LABEL[account.tone]),
  )
}

function numbers(ctx: Ctx, account: AccountView): HTMLElement {
  const latest = account.latest!
  const used = latest.purchased > 0 ? Math.min(1, latest.active / latest.purchased) : 1
  const fill = h('div', { class: `fill tone-${seatTone(account)}` })
  // CSSOM, not a style attribute: the CSP forbids inline style attributes but allows this.
  fill.style.inlineSize = `${(used * 100).toFixed(1)}%`
  return h(
    'section',
    { class: `numbers tone-${account.tone}`, 'aria-labelledby': 'account-name' },
    h(
      'p',
      { class: 'available', id: 'available' },
      h('span', { class: 'big' }, num(latest.available)),
      ` ${latest.available === 1 ? 'seat' : 'seats'} free`,
    ),
    h(
      'div',
      // The sentence carries a percentage (Intl); until the next frame the window is aria-busy, so nothing reads it.
      { class: 'bar', role: 'img', 'aria-label': ctx.numbersOnly ? null : usageSentence(account) },
      fill,
    ),
    h(
      'dl',
      { class: 'counts' },
      count('Purchased', latest.purchased, 'billed'),
      count('Active', latest.active, 'in use'),
      count('Available', latest.available, 'free'),
    ),
    latest.mismatch
      ? h(
          'p',
          { class: 'note' },
          'Zoho’s count of free seats differs from purchased minus active; Seat Tray shows Zoho’s number.',
        )
      : null,
  )
}

/** The bar shows the seats, not the check: a failed check over good numbers is not a red bar. */
function seatTone(account: AccountView): string {
  if (account.tone !== 'error') return account.tone
  const available = account.latest?.available ?? 0
  return available <= 0 ? 'out' : available <= account.lowAt ? 'low' : 'ok'
}

function count(label: string, value: number, hint: string): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', {}, h('strong', {}, num(value)), ' ', h('small', {}, hint)))
}

function checkTimes(ctx: Ctx, account: AccountView): HTMLElement {
  const now = ctx.now()
  const parts: Node[] = []
  if (account.lastGoodAt) parts.push(h('span', {}, 'Last checked ', when(account.lastGoodAt, now)))
  else parts.push(h('span', {}, 'Not checked yet'))
  if (account.nextCheckAt) parts.push(h('span', {}, 'Next check ', when(account.nextCheckAt, now)))
  return h('p', { class: 'times' }, ...parts)
}

/** A relative time that shows the exact one on hover and to assistive tech. */
export function when(at: number, now: number): HTMLElement {
  return h(
    'time',
    { datetime: new Date(at).toISOString(), title: exactTime(at), 'aria-description': exactTime(at) },
    relative(at, now),
  )
}

function refreshRow(ctx: Ctx, account: AccountView): HTMLElement {
  const busy = ctx.isRefreshing(account.id)
  const note = ctx.refreshNote(account.id)
  return h(
    'div',
    { class: 'refresh-row' },
    h(
      'button',
      {
        type: 'button',
        id: 'refresh',
        class: 'primary',
        'aria-busy': String(busy),
        'aria-disabled': String(busy),
        onclick: () => {
          if (!busy) void ctx.refresh(account.id)
        },
      },
      busy ? h('span', { class: 'spinner', 'aria-hidden': 'true' }) : null,
      busy ? 'Checking…' : 'Refresh',
    ),
    h('span', { class: 'refresh-result', id: 'refresh-result' }, busy ? 'Asking Zoho…' : (note ?? '')),
  )
}

/**
 * A problem in one plain sentence with the one button that fixes it. "Wait" problems have nothing to press:
 * they say when Seat Tray tries again instead.
 */
export function problemCard(
  ctx: Ctx,
  account: AccountView,
  message = account.problem?.message ?? '',
): HTMLElement {
  const p = account.problem
  const action = p?.action ?? 'sign-in'
  const label = p?.actionLabel ?? 'Sign in'
  const retryAt =
    p?.retryAfterMs && account.lastAttemptAt ? account.lastAttemptAt + p.retryAfterMs : account.nextCheckAt
  const fix =
    action === 'wait'
      ? h(
          'p',
          { class: 'wait' },
          ...(retryAt
            ? ['Seat Tray will try again by itself ', when(retryAt, ctx.now()), '.']
            : ['Seat Tray will try again by itself.']),
        )
      : h('button', { type: 'button', id: 'fix', class: 'primary', onclick: () => ctx.fix(account) }, label)
  return h(
    'section',
    { class: `problem tone-${account.tone}`, 'aria-labelledby': 'problem-message' },
    h('p', { id: 'problem-message', class: 'problem-message' }, message),
    fix,
    p?.detail ? h('details', {}, h('summary', {}, 'Details'), h('code', {}, p.detail)) : null,
  )
}

function signingIn(ctx: Ctx): HTMLElement {
  return h(
    'section',
    { class: 'phase' },
    h('p', {}, 'Finish signing in to Zoho in the window that opened. Seat Tray is waiting for you.'),
    h('progress', { 'aria-label': 'Waiting for sign-in' }),
    h(
      'button',
      { type: 'button', id: 'cancel-sign-in', onclick: () => void ctx.seats.cancelSignIn() },
      'Cancel sign-in',
    ),
  )
}

function firstPoll(ctx: Ctx, account: AccountView): HTMLElement {
  if (account.problem) return problemCard(ctx, account)
  return h(
    'section',
    { class: 'phase' },
    h('p', {}, 'Signed in. Reading your license counts from Zoho…'),
    h('progress', { 'aria-label': 'Reading license counts' }),
  )
}
