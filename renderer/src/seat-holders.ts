/**
 * The seat holders view (issue 11), where "Free a seat" leads: who holds the seats, at the window's real size
 * (380 × 560). Top to bottom:
 *   1. back to the overview, and the heading (focused on open);
 *   2. one summary line (invites never accepted, how many could be freed) and whether Zoho counts invites here;
 *      what the free seats cost and how many seats to renew, once a seat price is set (else a link to set one);
 *   3. "Open Users in Zoho CRM" (where seats are freed: Seat Tray never changes anything in Zoho), "Export list…"
 *      (main saves the list it holds as CSV: the one way names and emails reach a disk) and a search;
 *   4. the engine's suggestions first (invites past Zoho's expiry, oldest first), then everyone else by profile
 *      and role. Each row opens that person's page in Zoho CRM.
 * Main reads Zoho once when the view opens; redraws and searches never ask again, only "Try again" does. A sign-in
 * without ZohoCRM.users.READ is an offer of a new consent, not an error. "How to buy more seats" opens Zoho's steps
 * for adding user licenses (Zoho documents no per-org address for it).
 */
import type { AccountView, SeatHolder, SeatHoldersAnswer, SeatHoldersView } from '../../common/model'
import { h, replaceKeepingFocus } from './dom'
import { costSentence, exportOutcomeText, num, pendingInvitesSentence } from './format'
import type { Ctx, Panel } from './panel'

type Answer = { kind: 'loading' } | { kind: 'failed' } | SeatHoldersAnswer

export function seatHoldersPanel(ctx: Ctx): Panel {
  const account = ctx.account
  const body = h('div', { id: 'seat-holders-body' })
  const title = h('h2', { id: 'seat-holders-title', tabindex: -1 }, 'Who holds seats')
  const element = h(
    'section',
    { id: 'seat-holders', class: 'seat-holders', 'aria-labelledby': 'seat-holders-title' },
    h(
      'div',
      { class: 'view-head' },
      h(
        'button',
        {
          type: 'button',
          id: 'seat-holders-back',
          class: 'back quiet',
          'aria-label': 'Back to the overview',
          onclick: () => back(),
        },
        h('span', { 'aria-hidden': 'true' }, '‹ '),
        'Overview',
      ),
      title,
    ),
    body,
  )
  if (!account) {
    body.append(h('p', {}, 'No account is selected.'))
    return { element, update: () => {} }
  }

  let answer: Answer = { kind: 'loading' }
  let query = ''
  const search = h('input', {
    type: 'search',
    id: 'holder-search',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'Name, email, role or profile',
  })
  const matches = h('p', { id: 'seat-holders-matches', class: 'matches', role: 'status' })
  const results = h('div', { id: 'seat-holders-results' })
  // Kept across redraws: the outcome of the last export stays beside its button.
  const exportResult = h('p', { id: 'export-holders-result', class: 'export-result', role: 'status' })
  const exportList = async () => {
    exportResult.textContent = 'Choose where to save…'
    try {
      exportResult.textContent = exportOutcomeText(await ctx.seats.exportSeatHolders(account.id))
    } catch {
      exportResult.textContent = 'The list could not be exported. Open who holds seats again, then retry.'
    }
  }
  search.addEventListener('input', () => {
    query = search.value
    showResults()
  })

  const back = () => ctx.go('overview', 'free-seat')
  // Escape clears a search first, then leaves, the way a popover's sub-view does.
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    if (query) {
      search.value = ''
      query = ''
      showResults()
    } else back()
  })

  const load = async () => {
    answer = { kind: 'loading' }
    show()
    try {
      answer = await ctx.seats.getSeatHolders(account.id)
    } catch {
      answer = { kind: 'failed' }
    }
    show()
  }

  const show = () => {
    if (answer.kind === 'loading') element.setAttribute('aria-busy', 'true')
    else element.removeAttribute('aria-busy')
    const hadFocus = body.contains(document.activeElement)
    replaceKeepingFocus(body, ...content().filter((n): n is Node => n !== null))
    // The pressed button ("Try again") is gone: the heading keeps the keyboard in the view, not at the top.
    if (hadFocus && !body.contains(document.activeElement)) title.focus()
  }

  const content = (): (Node | null)[] => {
    const openUsers = h(
      'button',
      {
        type: 'button',
        id: 'open-users-page',
        onclick: () => void ctx.seats.openSeatHolderPage({ accountId: account.id }),
      },
      'Open Users in Zoho CRM',
    )
    const buySeats = h(
      'button',
      { type: 'button', id: 'buy-seats', onclick: () => void ctx.seats.openLink('zoho-buy-seats') },
      'How to buy more seats',
    )
    switch (answer.kind) {
      case 'loading':
        return [
          h(
            'p',
            { id: 'seat-holders-loading', class: 'muted', role: 'status' },
            'Asking Zoho who holds seats…',
          ),
        ]
      case 'failed':
        return [
          h(
            'p',
            { id: 'seat-holders-error' },
            'Seat Tray could not read who holds seats from Zoho. Try again in a moment.',
          ),
          h(
            'div',
            { class: 'holder-actions' },
            h(
              'button',
              { type: 'button', id: 'seat-holders-retry', onclick: () => void load() },
              'Try again',
            ),
            openUsers,
          ),
        ]
      case 'consent-needed':
        return [
          h(
            'p',
            { id: 'seat-holders-consent' },
            'Seat Tray can count your seats but was not allowed to see who holds them. Zoho asks you once, in a new sign-in.',
          ),
          h(
            'div',
            { class: 'holder-actions' },
            h(
              'button',
              {
                type: 'button',
                id: 'allow-seat-holders',
                class: 'primary',
                onclick: () => void ctx.signIn({ dataCenter: account.dataCenter, via: 'window' }),
              },
              answer.offer,
            ),
          ),
          h('p', { class: 'hint' }, 'Until then, Zoho CRM’s Users page shows who holds seats.'),
          h('div', { class: 'holder-actions' }, openUsers),
        ]
      case 'holders':
        showResults()
        return [
          h('p', { id: 'seat-holders-summary', class: 'holder-summary' }, summary(answer.view)),
          h('p', { class: 'hint' }, answer.view.pendingCountingText),
          answer.view.truncated
            ? h('p', { class: 'hint' }, 'Zoho lists more users than Seat Tray reads: this list is partial.')
            : null,
          costLine(ctx, answer.view),
          answer.view.renewal
            ? h('p', { id: 'seat-holders-renewal', class: 'hint' }, answer.view.renewal.text)
            : null,
          h(
            'div',
            { class: 'holder-actions' },
            openUsers,
            buySeats,
            h(
              'button',
              {
                type: 'button',
                id: 'export-holders',
                'aria-description': 'Saves names and emails to a CSV file you choose',
                onclick: () => void exportList(),
              },
              'Export list…',
            ),
          ),
          exportResult,
          h('label', { for: 'holder-search', class: 'sr-only' }, 'Search people'),
          search,
          matches,
          results,
        ]
    }
  }

  const showResults = () => {
    if (answer.kind !== 'holders') return
    const view = answer.view
    const found = view.holders.filter((holder) => holderMatches(holder, query))
    const q = query.trim()
    matches.textContent = q ? matchesSentence(found.length, q) : ''
    replaceKeepingFocus(results, ...holderLists(ctx, account, view, found))
  }

  void load()
  return {
    element,
    update: () => {
      // The person allowed the users scope in the new sign-in: the list is readable now.
      if (answer.kind === 'consent-needed' && ctx.account?.seatHolders?.kind === 'allowed') void load()
    },
  }
}

/** What the free seats cost (the engine's figures), or the way to the field that lets it say so. */
function costLine(ctx: Ctx, view: SeatHoldersView): HTMLElement {
  const cost = view.cost
  if (!cost) {
    return h(
      'p',
      { id: 'seat-holders-cost', class: 'hint' },
      'What free seats cost shows here once you give a seat price. ',
      h(
        'button',
        {
          type: 'button',
          id: 'set-seat-price',
          class: 'link',
          onclick: () => ctx.go('settings', 'seat-price-amount'),
        },
        'Set a seat price',
      ),
    )
  }
  return h('p', { id: 'seat-holders-cost', class: 'holder-cost' }, costSentence(cost))
}

/** "3 invites never accepted hold seats; 2 could be freed." */
function summary(view: SeatHoldersView): string {
  const invites = pendingInvitesSentence(view.pendingInvites, view.pendingCounting)
  if (!invites) {
    const n = view.holders.length
    return `${num(n)} ${n === 1 ? 'person holds a seat' : 'people hold seats'}, all of them signed in to Zoho at least once.`
  }
  if (view.suggestions.length === 0) return `${invites}.`
  return `${invites}; ${num(view.suggestions.length)} could be freed.`
}

function matchesSentence(count: number, query: string): string {
  if (count === 0) return `No one matches “${query}”.`
  return count === 1 ? `1 person matches “${query}”.` : `${num(count)} people match “${query}”.`
}

function holderMatches(holder: SeatHolder, query: string): boolean {
  const q = query.trim().toLocaleLowerCase()
  if (!q) return true
  return [holder.name, holder.email, holder.role ?? '', holder.profile ?? ''].some((field) =>
    field.toLocaleLowerCase().includes(q),
  )
}

/** The suggestions first (oldest invite first), then everyone else grouped by profile and role. */
function holderLists(ctx: Ctx, account: AccountView, view: SeatHoldersView, found: SeatHolder[]): Node[] {
  const why = new Map(view.suggestions.map((s) => [s.holderId, s.text]))
  const suggested = found
    .filter((holder) => why.has(holder.id))
    .sort((a, b) => (b.pendingDays ?? 0) - (a.pendingDays ?? 0))
  const groups = new Map<string, SeatHolder[]>()
  for (const holder of found) {
    if (why.has(holder.id)) continue
    const key = groupName(holder)
    groups.set(key, [...(groups.get(key) ?? []), holder])
  }
  const open = (holder: SeatHolder) =>
    void ctx.seats.openSeatHolderPage({ accountId: account.id, holderId: holder.id })
  const nodes: Node[] = []
  if (suggested.length) {
    nodes.push(
      holderList(
        'suggestions',
        'Could be freed',
        suggested.map((holder) => row(holder, why.get(holder.id) ?? '', open)),
        'suggestions',
      ),
    )
  }
  const names = [...groups.keys()].sort((a, b) => byProfileAndRole(groups.get(a)?.[0], groups.get(b)?.[0]))
  names.forEach((name, index) => {
    const members = groups.get(name) ?? []
    nodes.push(
      holderList(
        `group-${index}`,
        name,
        members.map((holder) => row(holder, null, open)),
      ),
    )
  })
  return nodes
}

/** Profile, then role, alphabetically; a missing one after every named one (it is the least telling group). */
function byProfileAndRole(a: SeatHolder | undefined, b: SeatHolder | undefined): number {
  const named = (x: string | null | undefined, y: string | null | undefined) =>
    x == null || y == null ? Number(x == null) - Number(y == null) : x.localeCompare(y)
  return named(a?.profile, b?.profile) || named(a?.role, b?.role)
}

function groupName(holder: SeatHolder): string {
  return `${holder.profile ?? 'No profile'} · ${holder.role ?? 'No role'}`
}

function holderList(id: string, title: string, rows: HTMLElement[], className = ''): HTMLElement {
  return h(
    'section',
    { class: `holder-group ${className}`.trim() },
    h('h3', { id: `holders-${id}` }, title),
    h('ul', { class: 'holders', 'aria-labelledby': `holders-${id}` }, ...rows),
  )
}

/** One person: a button that opens their page in Zoho CRM. `suggestion`: why their seat could be freed. */
function row(holder: SeatHolder, suggestion: string | null, open: (holder: SeatHolder) => void): HTMLElement {
  const pending = holder.state === 'pending'
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        id: `holder-${holder.id}`,
        class: pending ? 'holder pending' : 'holder',
        'aria-description': 'Opens in Zoho CRM',
        onclick: () => open(holder),
      },
      h(
        'span',
        { class: 'holder-line' },
        h('span', { class: 'holder-name' }, holder.name),
        // A suggestion's own sentence already says how old the invite is.
        pending && !suggestion ? h('span', { class: 'holder-tag' }, invitedAgo(holder.pendingDays)) : null,
      ),
      h('span', { class: 'holder-email' }, holder.email),
      suggestion ? h('span', { class: 'holder-why' }, suggestion) : null,
    ),
  )
}

function invitedAgo(days: number | null): string {
  if (days === null) return 'Invited'
  if (days === 0) return 'Invited today'
  return days === 1 ? 'Invited 1 day ago' : `Invited ${num(days)} days ago`
}
