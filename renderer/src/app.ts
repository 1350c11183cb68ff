/**
 * The window's controller: holds the last state pushed by main, what the person has selected, and renders the shell
 * (account switcher, sections, live announcements) around one panel at a time. State flows in through
 * `window.seats.onState`; the window only ever sends commands back.
 */

import type { SeatsApi, SettingsView, SignInRequest, WindowDestination } from '../../common/contract'
import type { AccountId, AccountView, AppState, HistoryRange } from '../../common/model'
import type { Problem } from '../../common/problems'
import { afterPaint, h, replaceKeepingFocus, tabList } from './dom'
import { FIRST_RUN_ABOUT_ID, firstRunPanel } from './first-run'
import { clockTime, seats as seatsText, TONE_LABEL } from './format'
import { historyPanel, warmUpChart } from './history'
import { overviewPanel } from './overview'
import type { Ctx, Panel, ViewName } from './panel'
import { watchProxyAuth } from './proxy-auth'
import { seatHoldersPanel } from './seat-holders'
import { settingsPanel, showSettingsGroupOf } from './settings'

/**
 * Paints the numbers as soon as the state arrives, then completes the window after that frame is on screen.
 * Marks `seats:data-rendered` (the numbers are in the page) and `seats:window-complete` (everything is).
 */
export async function startApp(root: HTMLElement, seats: SeatsApi): Promise<App> {
  watchProxyAuth(seats)
  const [state, settings] = await Promise.all([seats.getState(), seats.getSettings()])
  const app = new App(root, seats, state, settings)
  seats.onState((next) => app.setState(next))
  seats.onShow((to) => app.open(to))
  app.render()
  performance.mark('seats:data-rendered')
  afterPaint(() => app.complete())
  return app
}

type Section = Exclude<ViewName, 'seat-holders'>

/** The toolbar's sections: small, quiet buttons at the top, the way menu-bar popovers do it (no title row). */
const VIEWS: { value: Section; label: string }[] = [
  { value: 'overview', label: 'Overview' },
  { value: 'history', label: 'History' },
  { value: 'settings', label: 'Settings' },
]

export class App {
  private view: ViewName = 'overview'
  private selectedId: AccountId | null = null
  private range: HistoryRange = '24h'
  private numbersOnly = true
  private readonly pending = new Set<AccountId>()
  private readonly notes = new Map<AccountId, string>()
  private panel: Panel | null = null
  private panelKey = ''
  private readonly header = h('header', { class: 'top' })
  private readonly main = h('main', { id: 'panel', class: 'panel' })
  private readonly announcer = h('div', {
    id: 'announcer',
    class: 'sr-only',
    role: 'status',
    'aria-live': 'polite',
  })
  private lastAnnounced = new Map<AccountId, string>()

  constructor(
    private readonly root: HTMLElement,
    private readonly seats: SeatsApi,
    private state: AppState,
    private settings: SettingsView,
  ) {
    this.selectedId = state.worstAccountId ?? state.accounts[0]?.id ?? null
    this.rememberNumbers()
    // Relative times ("5 minutes ago") age while the window is open.
    setInterval(() => this.panel?.update(), 30_000)
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.rebuildPanel())
  }

  setState(next: AppState): void {
    this.state = next
    if (!next.accounts.some((a) => a.id === this.selectedId)) {
      this.selectedId = next.worstAccountId ?? next.accounts[0]?.id ?? null
    }
    this.announceNumberChanges()
    this.render()
  }

  /** The first frame is on screen: fill in the rest, and ready the chart while the person reads. */
  complete(): void {
    this.numbersOnly = false
    this.render()
    // Until now assistive tech was told to wait; the tests wait for this too.
    this.root.removeAttribute('aria-busy')
    performance.mark('seats:window-complete')
    requestIdleCallback(() => void warmUpChart(), { timeout: 2000 })
  }

  /** Main opens the window at a place: an org (its overview or who holds its seats), Settings, or Settings › About. */
  open(to: WindowDestination): void {
    if (!('accountId' in to)) {
      // First run has no Settings to show (the first sign-in must still land on its overview, not there); About is
      // the first-run screen's own disclosure.
      if (this.firstRun()) {
        if (to.view === 'about') openFirstRunAbout()
        return
      }
      this.go('settings', to.view === 'about' ? 'settings-tab-about' : undefined)
      return
    }
    // An org signed out since the notice went out: the window stays as the person left it.
    if (!this.state.accounts.some((a) => a.id === to.accountId)) return
    this.selectedId = to.accountId
    this.go(to.view ?? 'overview')
  }

  render(): void {
    replaceKeepingFocus(this.header, ...this.headerContent())
    const key = this.firstRun() ? 'first-run' : `${this.view}:${this.selectedId ?? ''}`
    if (key !== this.panelKey) this.rebuildPanel()
    else this.panel?.update()
    if (this.root.firstChild !== this.header) {
      this.root.replaceChildren(this.header, this.main, this.announcer)
    }
  }

  private rebuildPanel(): void {
    this.panel?.destroy?.()
    this.panelKey = this.firstRun() ? 'first-run' : `${this.view}:${this.selectedId ?? ''}`
    const ctx = this.ctx()
    this.panel = this.firstRun() ? firstRunPanel(ctx) : PANELS[this.view](ctx)
    if (this.firstRun()) {
      this.main.removeAttribute('role')
      this.main.removeAttribute('aria-labelledby')
    } else {
      this.main.setAttribute('role', 'tabpanel')
      this.main.setAttribute('aria-labelledby', `tab-${sectionOf(this.view)}`)
    }
    replaceKeepingFocus(this.main, this.panel.element)
  }

  /** No org signed in and no demo running: the window is the place to connect one. */
  private firstRun(): boolean {
    return this.state.accounts.length === 0 && !this.state.demo
  }

  private headerContent(): Node[] {
    // The window's name is for assistive tech; people know which window they opened.
    const parts: Node[] = [h('h1', { class: 'sr-only' }, 'Seat Tray')]
    // Offline is the overview's own sentence there; elsewhere a line says it once.
    if (!this.state.online && (this.firstRun() || this.view !== 'overview')) {
      parts.push(
        h(
          'p',
          { class: 'banner offline' },
          'This computer is offline. Checks resume when it is back online.',
        ),
      )
    }
    for (const notice of this.state.notices) parts.push(h('p', { class: 'banner notice' }, notice))
    const failed = this.state.signingIn ? null : this.state.signInProblem
    if (failed) parts.push(this.signInProblemBanner(failed))
    if (this.firstRun()) return parts
    // An account still in its first sign-in says so in its own panel; the banner is for adding another one.
    if (this.state.signingIn && !this.state.accounts.some((a) => a.phase === 'signing-in')) {
      parts.push(signingInBanner(this.seats))
    }
    if (this.state.accounts.length > 1) parts.push(this.accountSwitcher())
    const toolbar = h(
      'div',
      { class: 'toolbar' },
      tabList(
        'Sections',
        VIEWS.map((v) => ({ ...v, id: `tab-${v.value}` })),
        sectionOf(this.view),
        'panel',
        (view) => this.go(view),
        'tabs sections',
      ),
      this.state.demo ? h('span', { class: 'badge demo' }, 'Demo data') : null,
    )
    parts.unshift(toolbar)
    return parts
  }

  /** Why the last sign-in did not finish: there is no account yet to show it on, so it stands above everything. */
  private signInProblemBanner(problem: Problem): HTMLElement {
    return h(
      'div',
      { class: 'banner sign-in-problem', role: 'alert' },
      h('p', {}, problem.message),
      problem.action === 'check-client'
        ? h(
            'button',
            {
              type: 'button',
              id: 'sign-in-problem-fix',
              // First run has its own client form; otherwise the client lives in Settings.
              onclick: () => {
                if (!this.firstRun()) return this.go('settings', 'client-id')
                const setup = document.getElementById('setup-toggle')
                if (setup?.getAttribute('aria-expanded') === 'false') setup.click()
                document.getElementById('setup-client-id')?.focus()
              },
            },
            problem.actionLabel,
          )
        : null,
    )
  }

  private accountSwitcher(): HTMLElement {
    return tabList(
      'Accounts',
      this.state.accounts.map((a) => ({
        value: a.id,
        id: `account-tab-${a.id}`,
        ariaLabel: `${a.label}: ${a.latest ? `${seatsText(a.latest.available)} free` : TONE_LABEL[a.tone]}`,
        label: h(
          'span',
          { class: `account-tab tone-${a.tone}` },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          a.label,
          h('span', { class: 'count' }, a.latest ? String(a.latest.available) : '–'),
        ),
      })),
      this.selectedId ?? '',
      'panel',
      (id) => {
        this.selectedId = id
        this.render()
      },
      'tabs accounts',
    )
  }

  private go(view: ViewName, focusId?: string): void {
    this.view = view
    this.render()
    if (focusId && view === 'settings') showSettingsGroupOf(focusId)
    // A view opened from a button is announced by its heading: focus goes there, not back to the top.
    const target = focusId ?? (view === 'seat-holders' ? 'seat-holders-title' : undefined)
    if (target) document.getElementById(target)?.focus()
  }

  private async refresh(accountId: AccountId): Promise<void> {
    if (this.pending.has(accountId)) return
    this.pending.add(accountId)
    this.notes.delete(accountId)
    this.render()
    try {
      await this.seats.refresh(accountId)
      this.notes.set(accountId, this.resultOf(accountId))
    } catch {
      this.notes.set(accountId, 'Seat Tray could not start a check. Try again in a moment.')
    } finally {
      this.pending.delete(accountId)
    }
    this.announce(this.notes.get(accountId) ?? '')
    this.render()
  }

  /** The sentence the person hears after a refresh: the fresh numbers or what went wrong. */
  private resultOf(accountId: AccountId): string {
    const account = this.state.accounts.find((a) => a.id === accountId)
    if (!account) return ''
    if (account.problem) return account.problem.message
    if (!account.latest) return 'Checked: no reading yet.'
    return `Checked at ${clockTime(account.lastGoodAt ?? Date.now())}: ${seatsText(account.latest.available)} free.`
  }

  private fix(account: AccountView): void {
    const action = account.problem?.action ?? 'sign-in'
    switch (action) {
      case 'sign-in':
        void this.signIn({ dataCenter: account.dataCenter, via: 'window' })
        return
      case 'retry':
      case 'check-network':
        void this.refresh(account.id)
        return
      case 'ask-admin':
        void this.seats.openLink('zoho-scopes-help')
        return
      case 'check-client':
        this.go('settings', 'client-id')
        return
      case 'wait':
        return
    }
  }

  private async signIn(request: SignInRequest): Promise<void> {
    try {
      await this.seats.signIn(request)
    } catch {
      // The outcome arrives as state (a problem on the account); nothing more to say here.
    }
  }

  private announce(text: string): void {
    // Clear first so the same sentence twice is still read out.
    this.announcer.textContent = ''
    requestAnimationFrame(() => {
      this.announcer.textContent = text
    })
  }

  private announceNumberChanges(): void {
    const changes: string[] = []
    for (const a of this.state.accounts) {
      const text = a.latest ? `${a.label}: ${seatsText(a.latest.available)} free.` : ''
      const before = this.lastAnnounced.get(a.id)
      if (text && before !== undefined && before !== text) changes.push(text)
    }
    this.rememberNumbers()
    if (changes.length) this.announce(changes.join(' '))
  }

  private rememberNumbers(): void {
    this.lastAnnounced = new Map(
      this.state.accounts.map((a) => [
        a.id,
        a.latest ? `${a.label}: ${seatsText(a.latest.available)} free.` : '',
      ]),
    )
  }

  private ctx(): Ctx {
    const app = this
    return {
      seats: this.seats,
      get state() {
        return app.state
      },
      get settings() {
        return app.settings
      },
      get account() {
        return app.state.accounts.find((a) => a.id === app.selectedId) ?? null
      },
      get range() {
        return app.range
      },
      get numbersOnly() {
        return app.numbersOnly
      },
      now: () => Date.now(),
      refresh: (id) => this.refresh(id),
      isRefreshing: (id) =>
        this.pending.has(id) || !!this.state.accounts.find((a) => a.id === id)?.refreshing,
      refreshNote: (id) => this.notes.get(id) ?? null,
      fix: (account) => this.fix(account),
      signIn: (request) => this.signIn(request),
      go: (view, focusId) => this.go(view, focusId),
      setRange: (range) => {
        this.range = range
        this.panel?.update()
      },
      setSettings: (settings) => {
        this.settings = settings
        this.panel?.update()
      },
      announce: (text) => this.announce(text),
    }
  }
}

/** Adding another account: the other window is Zoho's; this one says what is going on and how to stop it. */
function signingInBanner(seats: SeatsApi): HTMLElement {
  return h(
    'div',
    { class: 'banner signing-in' },
    h('p', {}, 'Finish signing in to Zoho in the window that opened.'),
    h(
      'button',
      { type: 'button', id: 'cancel-sign-in-banner', onclick: () => void seats.cancelSignIn() },
      'Cancel sign-in',
    ),
  )
}

/** The panel for each view. */
const PANELS: Record<ViewName, (ctx: Ctx) => Panel> = {
  overview: overviewPanel,
  history: historyPanel,
  settings: settingsPanel,
  'seat-holders': seatHoldersPanel,
}

/** The section a view belongs to: the seat holders view is a step on from the overview, so Overview stays chosen. */
function sectionOf(view: ViewName): Section {
  return view === 'seat-holders' ? 'overview' : view
}

function openFirstRunAbout(): void {
  const about = document.getElementById(FIRST_RUN_ABOUT_ID)
  if (!(about instanceof HTMLDetailsElement)) return
  about.open = true
  about.querySelector('summary')?.focus()
}
