/**
 * Settings, in groups that each fit the window (380 × 560): Checks (how often, what it costs in Zoho API calls, when
 * seats count as low, history, start at login), Notifications (which, reminders, snooze), Accounts (the signed-in
 * orgs; adding one in a chosen data center; what one seat costs), Security (how the sign-in is protected, the org's own Zoho client) and
 * About (version, where data lives, Quit).
 * Every control saves on change and says so beside itself ("Saved"); the reply from main is the truth the form then
 * shows.
 */

import { type SettingsPatch, type SettingsView, SNOOZE_MORNING_HOUR } from '../../common/contract'
import type { AppState, DataCenterId, LowThreshold } from '../../common/model'
import { type NotificationSettings, SETTINGS_BOUNDS } from '../../common/settings'
import { aboutRows } from './about'
import { h, replaceKeepingFocus, tabList } from './dom'
import { dataCenterSelect, field, fieldset, numberInput } from './form'
import { clockTime, DATA_CENTER_LABEL, dateTime, num, VAULT_WORDS } from './format'
import type { Ctx, Panel } from './panel'
import { seatPriceSection } from './seat-price'

const GROUPS = ['Checks', 'Notifications', 'Accounts', 'Security', 'About'] as const
type Group = (typeof GROUPS)[number]
/** The group on screen survives the panel being rebuilt (a theme change, a new account). */
let currentGroup: Group = 'Checks'

export function settingsPanel(ctx: Ctx): Panel {
  const s = ctx.settings
  // The last change's outcome, for assistive tech; people see it beside the control they changed.
  const status = h('p', { class: 'settings-status sr-only', id: 'settings-status', role: 'status' })
  let savedBeside: HTMLElement | null = null
  const cost = h('p', { class: 'hint', id: 'poll-cost' })
  const accounts = h('div', { class: 'account-list' })
  const snooze = h('div', { class: 'snooze' })
  const clientStatus = h('p', { class: 'hint', id: 'client-status', role: 'status' })
  const protection = h('div', { class: 'vault-protection' })
  const about = h('div', { class: 'about' })

  /** Saves and says so beside the control that changed (`beside` is its saved-state mark). */
  const save = async (patch: SettingsPatch, beside?: HTMLElement) => {
    if (savedBeside && savedBeside !== beside) savedBeside.textContent = ''
    savedBeside = beside ?? null
    status.textContent = 'Saving…'
    if (beside) {
      beside.className = 'saved-state'
      beside.textContent = 'Saving…'
    }
    try {
      const next = await ctx.seats.updateSettings(patch)
      ctx.setSettings(next)
      syncFields(next)
      status.textContent = 'Saved.'
      if (beside) beside.textContent = 'Saved'
    } catch {
      status.textContent = 'That setting could not be saved. Try again.'
      if (beside) {
        beside.className = 'saved-state failed'
        beside.textContent = 'Not saved: try again'
      }
    }
  }
  const mark = (id: string) => h('span', { class: 'saved-state', id: `${id}-saved`, 'aria-hidden': 'true' })

  const pollMinutes = numberInput('poll-minutes', s.pollMinutes, SETTINGS_BOUNDS.pollMinutes)
  pollMinutes.addEventListener('input', () =>
    showCost(cost, ctx.state, ctx.settings, pollMinutes.valueAsNumber),
  )
  const pollSaved = mark('poll-minutes')
  pollMinutes.addEventListener('change', () => {
    if (pollMinutes.validity.valid) void save({ pollMinutes: pollMinutes.valueAsNumber }, pollSaved)
  })

  const lowValue = numberInput('low-value', s.lowThreshold.value, SETTINGS_BOUNDS.thresholdSeats)
  const lowUnit = h(
    'select',
    { id: 'low-unit' },
    h('option', { value: 'seats' }, 'seats free or fewer'),
    h('option', { value: 'percent' }, '% of purchased free or fewer'),
  )
  lowUnit.value = s.lowThreshold.unit
  const limitLow = () => {
    const { min, max } =
      lowUnit.value === 'percent' ? SETTINGS_BOUNDS.thresholdPercent : SETTINGS_BOUNDS.thresholdSeats
    lowValue.min = String(min)
    lowValue.max = String(max)
  }
  limitLow()
  lowUnit.addEventListener('change', limitLow)
  const lowSaved = mark('low-value')
  const saveLow = () => {
    if (!lowValue.validity.valid) return
    const threshold: LowThreshold = {
      unit: lowUnit.value === 'percent' ? 'percent' : 'seats',
      value: lowValue.valueAsNumber,
    }
    void save({ lowThreshold: threshold }, lowSaved)
  }
  lowValue.addEventListener('change', saveLow)
  lowUnit.addEventListener('change', saveLow)

  const notifyBoxes = NOTIFY_OPTIONS.map(([key, label]) => {
    const box = h('input', { type: 'checkbox', id: `notify-${key}` })
    box.checked = s.notify[key]
    const saved = mark(`notify-${key}`)
    box.addEventListener('change', () => void save({ notify: { [key]: box.checked } }, saved))
    return h('div', { class: 'check-line' }, h('label', { class: 'check' }, box, label), saved)
  })

  const renewalDays = numberInput('renewal-days', s.renewalWarnDays, SETTINGS_BOUNDS.renewalWarnDays)
  const renewalSaved = mark('renewal-days')
  renewalDays.addEventListener('change', () => {
    if (renewalDays.validity.valid) void save({ renewalWarnDays: renewalDays.valueAsNumber }, renewalSaved)
  })

  const reminder = h(
    'select',
    { id: 'reminder-hours' },
    ...REMINDER_HOURS.map(([hours, label]) => h('option', { value: hours }, label)),
  )
  reminder.value = String(s.reminderHours)
  const reminderSaved = mark('reminder-hours')
  reminder.addEventListener(
    'change',
    () => void save({ reminderHours: Number(reminder.value) }, reminderSaved),
  )

  const launch = h('input', { type: 'checkbox', id: 'launch-at-login' })
  launch.checked = s.launchAtLogin
  const launchSaved = mark('launch-at-login')
  const mono = h('input', { type: 'checkbox', id: 'tray-monochrome' })
  mono.checked = s.trayIcon === 'monochrome'
  const monoSaved = mark('tray-monochrome')
  mono.addEventListener(
    'change',
    () => void save({ trayIcon: mono.checked ? 'monochrome' : 'colour' }, monoSaved),
  )
  launch.addEventListener('change', () => void save({ launchAtLogin: launch.checked }, launchSaved))
  const updates = h('input', { type: 'checkbox', id: 'auto-update' })
  updates.checked = s.autoUpdate
  const updatesSaved = mark('auto-update')
  updates.addEventListener('change', () => void save({ autoUpdate: updates.checked }, updatesSaved))

  const retention = numberInput(
    'retention-days',
    s.historyRetentionDays,
    SETTINGS_BOUNDS.historyRetentionDays,
  )
  const retentionSaved = mark('retention-days')
  retention.addEventListener('change', () => {
    if (retention.validity.valid) void save({ historyRetentionDays: retention.valueAsNumber }, retentionSaved)
  })

  const seatPrice = seatPriceSection(s, save)

  const clientId = h('input', { id: 'client-id', type: 'text', autocomplete: 'off', spellcheck: 'false' })
  clientId.value = s.clientId ?? ''
  const clientSecret = h('input', { id: 'client-secret', type: 'password', autocomplete: 'off' })
  const saveClient = async () => {
    const id = clientId.value.trim()
    const secret = clientSecret.value.trim()
    if (!id || !secret) {
      clientStatus.textContent = 'Enter both the client ID and the client secret.'
      return
    }
    try {
      const next = await ctx.seats.setClient({ clientId: id, clientSecret: secret })
      clientSecret.value = ''
      ctx.setSettings(next)
      clientStatus.textContent = 'Client saved. The secret is stored and will not be shown again.'
    } catch {
      clientStatus.textContent = 'The client could not be saved. Check both values and try again.'
    }
  }

  const groupBody: Record<Group, HTMLElement> = {
    Checks: group(
      'Checks',
      withMark(field('poll-minutes', 'Check every (minutes)', pollMinutes), pollSaved),
      cost,
      h(
        'div',
        { class: 'inline' },
        field('low-value', 'Warn when', lowValue),
        field('low-unit', 'Unit', lowUnit),
        lowSaved,
      ),
      withMark(field('retention-days', 'Keep history for (days)', retention), retentionSaved),
      h(
        'div',
        { class: 'check-line' },
        h('label', { class: 'check' }, launch, 'Start Seat Tray when I log in'),
        launchSaved,
      ),
      h(
        'div',
        { class: 'check-line' },
        h('label', { class: 'check' }, mono, 'Tray icon in one colour, matching the taskbar or panel'),
        monoSaved,
      ),
    ),
    Notifications: h(
      'div',
      {},
      group(
        'Notifications',
        ...notifyBoxes,
        withMark(
          field('renewal-days', 'Warn this many days before renewal or trial end', renewalDays),
          renewalSaved,
        ),
        withMark(field('reminder-hours', 'Remind me while seats stay out or low', reminder), reminderSaved),
      ),
      snooze,
    ),
    // The price is a fact about the Zoho subscription, so it sits with the orgs (Checks fills the window already).
    Accounts: h('div', {}, group('Accounts', accounts), seatPrice.element),
    Security: group(
      'Security',
      protection,
      h(
        'p',
        { class: 'hint' },
        'Your company’s Zoho client, as registered in Zoho’s API console. Redirect URI to register: ',
        h('code', { id: 'settings-redirect-uri' }, s.redirectUri),
      ),
      field('client-id', 'Client ID', clientId),
      field('client-secret', 'Client secret', clientSecret),
      h('button', { type: 'button', id: 'save-client', onclick: () => void saveClient() }, 'Save client'),
      clientStatus,
    ),
    About: group(
      'About',
      h(
        'div',
        { class: 'check-line' },
        h('label', { class: 'check' }, updates, 'Keep Seat Tray up to date (downloads in the background)'),
        updatesSaved,
      ),
      about,
    ),
  }
  const groupTabs = h('div', { class: 'settings-group-tabs' })
  const body = h('div', { id: 'settings-group', role: 'tabpanel' })
  const showGroup = (name: Group, focus = false) => {
    currentGroup = name
    replaceKeepingFocus(
      groupTabs,
      tabList(
        'Settings groups',
        GROUPS.map((g) => ({ value: g, label: g, id: `settings-tab-${g.toLowerCase()}` })),
        name,
        'settings-group',
        (g) => showGroup(g, true),
        'tabs settings-groups',
      ),
    )
    body.setAttribute('aria-labelledby', `settings-tab-${name.toLowerCase()}`)
    body.replaceChildren(groupBody[name])
    if (focus) document.getElementById(`settings-tab-${name.toLowerCase()}`)?.focus()
  }
  const element = h(
    'form',
    { class: 'settings', onsubmit: (e: Event) => e.preventDefault() },
    groupTabs,
    body,
    status,
  )
  // A control elsewhere (the sign-in problem's "check the client") can ask for its group by focusing its id.
  element.addEventListener('settings:show', (e) => showGroup((e as CustomEvent<Group>).detail))
  showGroup(currentGroup)

  function syncFields(next: SettingsView): void {
    pollMinutes.value = String(next.pollMinutes)
    lowValue.value = String(next.lowThreshold.value)
    lowUnit.value = next.lowThreshold.unit
    renewalDays.value = String(next.renewalWarnDays)
    reminder.value = String(next.reminderHours)
    launch.checked = next.launchAtLogin
    mono.checked = next.trayIcon === 'monochrome'
    updates.checked = next.autoUpdate
    retention.value = String(next.historyRetentionDays)
    seatPrice.sync(next)
    for (const [key] of NOTIFY_OPTIONS) {
      const box = element.querySelector<HTMLInputElement>(`#notify-${key}`)
      if (box) box.checked = next.notify[key]
    }
  }

  const update = () => {
    showCost(cost, ctx.state, ctx.settings, pollMinutes.valueAsNumber)
    clientSecret.placeholder = ctx.settings.hasClientSecret ? 'stored' : ''
    clientSecret.setAttribute(
      'aria-description',
      ctx.settings.hasClientSecret
        ? 'A secret is stored. Type a new one to replace it.'
        : 'No secret stored yet.',
    )
    replaceKeepingFocus(accounts, ...accountRows(ctx))
    replaceKeepingFocus(snooze, ...snoozeControls(ctx))
    replaceKeepingFocus(protection, ...vaultProtection(ctx.settings, save))
  }
  void aboutRows(ctx.seats).then((rows) => about.replaceChildren(...rows))
  update()
  return { element, update }
}

function group(legend: string, ...children: Node[]): HTMLElement {
  return fieldset(legend, ...children)
}

/** A field with its saved-state mark on the same line. */
function withMark(fieldElement: HTMLElement, savedMark: HTMLElement): HTMLElement {
  fieldElement.append(savedMark)
  return fieldElement
}

/** Which group holds a control, for links that lead to it from elsewhere in the window. */
export function settingsGroupOf(id: string): Group {
  const tab = GROUPS.find((g) => id === `settings-tab-${g.toLowerCase()}`)
  if (tab) return tab
  if (id.startsWith('client-') || id.startsWith('accept-plain')) return 'Security'
  if (id.startsWith('notify-') || id.startsWith('snooze') || id === 'renewal-days' || id === 'reminder-hours')
    return 'Notifications'
  if (id.startsWith('add-account') || id.startsWith('sign-out-') || id.startsWith('seat-price'))
    return 'Accounts'
  return 'Checks'
}

/** Opens the group holding `id` (before focusing it). */
export function showSettingsGroupOf(id: string): void {
  document
    .querySelector('form.settings')
    ?.dispatchEvent(new CustomEvent('settings:show', { detail: settingsGroupOf(id) }))
}

const NOTIFY_OPTIONS: [keyof NotificationSettings, string][] = [
  ['out', 'When the last seat is taken'],
  ['low', 'When seats run low'],
  ['freed', 'When seats are freed'],
  ['signIn', 'When I need to sign in again'],
  ['renewal', 'Before the renewal or trial end'],
  ['digest', 'A weekly summary, Monday 09:00'],
]

const REMINDER_HOURS: [string, string][] = [
  ['0', 'Never'],
  ['1', 'Every hour'],
  ['4', 'Every 4 hours'],
  ['8', 'Every 8 hours'],
  ['24', 'Once a day'],
]

/**
 * Which store protects the sign-in. Where no keychain exists and safeStorage offers only a fixed key, the person
 * decides: memory only (the default, sign in after each restart) or that file; the same box withdraws the yes.
 */
function vaultProtection(settings: SettingsView, save: (patch: SettingsPatch) => Promise<void>): Node[] {
  const fixedKeyInUse = settings.vaultBackend === 'safe-storage-basic-text'
  const words = h(
    'p',
    { class: settings.vaultNeedsConsent ? 'vault-warning' : 'hint', id: 'vault-words' },
    settings.vaultNeedsConsent ? FIXED_KEY_WARNING : VAULT_WORDS[settings.vaultBackend],
  )
  const nodes: Node[] = [words]
  if (settings.vaultUnavailableReason) {
    // The reason is for whoever supports this computer: behind Details, not in the sentence a person reads.
    nodes.push(
      h(
        'details',
        { class: 'hint' },
        h('summary', {}, 'Details'),
        h('p', { id: 'vault-reason' }, `Why: ${settings.vaultUnavailableReason}`),
      ),
    )
  }
  if (!settings.vaultNeedsConsent && !fixedKeyInUse) return nodes

  const accept = h('input', {
    type: 'checkbox',
    id: 'accept-plain-text-secrets',
    'aria-describedby': 'vault-words',
  })
  accept.checked = fixedKeyInUse
  accept.addEventListener('change', () => void save({ acceptPlainTextSecrets: accept.checked }))
  nodes.push(
    h('label', { class: 'check' }, accept, 'Keep my sign-in in a file protected only by a fixed key'),
  )
  if (fixedKeyInUse) {
    nodes.push(
      h(
        'p',
        { class: 'hint', id: 'vault-withdraw-hint' },
        'Turn this off to keep the sign-in in memory only; Seat Tray then deletes it from the file.',
      ),
    )
  }
  return nodes
}

const FIXED_KEY_WARNING =
  'No keychain is available on this computer, so Seat Tray keeps your Zoho sign-in in memory only and you will sign in again after each restart. You can let it store the sign-in in a file protected only by a fixed key — anyone who can read your files could use it.'

/** "About 96 Zoho API calls a day for 1 account." at the interval being typed. */
function showCost(target: HTMLElement, state: AppState, settings: SettingsView, minutes: number): void {
  const { min, max } = SETTINGS_BOUNDS.pollMinutes
  if (!Number.isFinite(minutes) || minutes < min || minutes > max) {
    target.textContent = `Choose between ${min} and ${max} minutes.`
    return
  }
  const accounts = Math.max(1, state.accounts.length)
  const atCurrent = state.accounts.reduce((sum, a) => sum + a.callsPerDay, 0)
  const perDay = atCurrent > 0 ? (atCurrent * settings.pollMinutes) / minutes : (1440 / minutes) * accounts
  target.textContent = `About ${num(Math.round(perDay))} Zoho API calls a day for ${accounts === 1 ? '1 account' : `${num(accounts)} accounts`}.`
}

function accountRows(ctx: Ctx): Node[] {
  const rows = ctx.state.accounts.map((a) =>
    h(
      'li',
      {},
      h('span', { class: 'account-label' }, a.label),
      h('span', { class: 'muted' }, DATA_CENTER_LABEL[a.dataCenter]),
      h(
        'button',
        {
          type: 'button',
          id: `sign-out-${a.id}`,
          'aria-label': `Remove ${a.label}`,
          onclick: () => void ctx.seats.signOut(a.id),
        },
        'Remove',
      ),
    ),
  )
  const dc = dataCenterSelect('add-account-dc')
  return [
    rows.length
      ? h('ul', { class: 'accounts' }, ...rows)
      : h('p', { class: 'muted' }, 'No Zoho account is signed in.'),
    // The data center belongs to the account being added, so it sits with that button, apart from the list.
    h(
      'div',
      { class: 'add-account' },
      h('h3', {}, 'Add another Zoho org'),
      h(
        'div',
        { class: 'inline' },
        field('add-account-dc', 'Its data center', dc),
        h(
          'button',
          {
            type: 'button',
            id: 'add-account',
            onclick: () => void ctx.signIn({ dataCenter: dc.value as DataCenterId, via: 'window' }),
          },
          'Add an account',
        ),
      ),
    ),
  ]
}

/** Snoozing is a thing to do now, not a setting that stays: its own small section, under its own heading. */
function snoozeControls(ctx: Ctx): Node[] {
  const until = ctx.state.snoozedUntil
  const heading = h('h3', {}, 'Snooze notifications')
  if (until && until > ctx.now()) {
    return [
      heading,
      h('p', {}, `Notifications are snoozed until ${dateTime(until)}.`),
      h(
        'button',
        { type: 'button', id: 'end-snooze', onclick: () => void ctx.seats.snooze(null) },
        'End snooze',
      ),
    ]
  }
  const morning = new Date(ctx.now())
  morning.setHours(SNOOZE_MORNING_HOUR, 0, 0, 0)
  return [
    heading,
    h(
      'button',
      { type: 'button', id: 'snooze-hour', onclick: () => void ctx.seats.snooze('hour') },
      'For 1 hour',
    ),
    h(
      'button',
      { type: 'button', id: 'snooze-morning', onclick: () => void ctx.seats.snooze('tomorrow') },
      `Until ${clockTime(morning.getTime())} tomorrow`,
    ),
  ]
}
