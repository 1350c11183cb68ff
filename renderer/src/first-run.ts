/**
 * First run, for an office manager: nothing is signed in yet. "Sign in with Zoho" (when a client is built in or
 * saved) and "Try the demo" come first; the developer-facing client registration waits behind
 * "I’m setting up Zoho for my company".
 */
import type { DataCenterId } from '../../common/model'
import { aboutRows } from './about'
import { h, replaceKeepingFocus } from './dom'
import { dataCenterSelect, field } from './form'
import type { Ctx, Panel } from './panel'

export function firstRunPanel(ctx: Ctx): Panel {
  const clientStatus = h('p', { class: 'hint', id: 'first-run-client-status', role: 'status' })
  const signInBox = h('div', { class: 'sign-in-box' })
  const stepsBox = h('div', { class: 'client-steps-box', id: 'client-steps-box', hidden: true })
  const demo = (primary: boolean) =>
    h(
      'button',
      {
        type: 'button',
        id: 'start-demo',
        class: primary ? 'primary' : null,
        onclick: () => void ctx.seats.startDemo(),
      },
      'Try the demo',
    )
  const demoBox = h('div', { class: 'demo-box' })
  // The registration tutorial is for whoever sets Zoho up for the company, once: behind its own button.
  const setupToggle = h(
    'button',
    {
      type: 'button',
      id: 'setup-toggle',
      class: 'link',
      'aria-expanded': 'false',
      'aria-controls': 'client-steps-box',
      onclick: () => {
        const open = setupToggle.getAttribute('aria-expanded') !== 'true'
        setupToggle.setAttribute('aria-expanded', String(open))
        stepsBox.hidden = !open
        if (open && !stepsBox.firstChild) stepsBox.append(clientSteps(ctx, clientStatus))
      },
    },
    'I’m setting up Zoho for my company',
  )
  const element = h(
    'div',
    { class: 'first-run' },
    h('h2', {}, 'See how many Zoho CRM seats are free'),
    h(
      'p',
      {},
      'Seat Tray shows in the tray how many user licenses are free, and tells you before they run out. It only reads; it never changes anything in Zoho.',
    ),
    signInBox,
    demoBox,
    h('div', { class: 'setup-offer' }, setupToggle, stepsBox),
    aboutDetails(ctx),
  )

  const update = () => {
    const ready = ctx.state.clientConfigured || ctx.settings.clientConfigured
    const mode = ctx.state.signingIn ? 'signing-in' : String(ready)
    if (signInBox.dataset.mode !== mode) {
      signInBox.dataset.mode = mode
      replaceKeepingFocus(signInBox, ...(ctx.state.signingIn ? signingIn(ctx) : signInControls(ctx, ready)))
      // With a client built in, signing in comes first and the demo is the other choice; without one, the demo leads.
      replaceKeepingFocus(demoBox, demo(!ready && !ctx.state.signingIn))
      if (ready) element.insertBefore(signInBox, demoBox)
      else element.insertBefore(demoBox, signInBox)
    }
  }
  update()
  return { element, update }
}

/**
 * Before any sign-in there is no Settings, but the version, where data lives and Quit are still a click away (and
 * where tray “About” opens on first run): Settings › About's rows, loaded when opened.
 */
function aboutDetails(ctx: Ctx): HTMLDetailsElement {
  const details = h(
    'details',
    { class: 'first-run-about about', id: FIRST_RUN_ABOUT_ID },
    h('summary', {}, 'About Seat Tray'),
  )
  details.addEventListener('toggle', () => {
    if (!details.open || details.dataset.loaded) return
    details.dataset.loaded = 'true'
    void aboutRows(ctx.seats).then((rows) => details.append(...rows))
  })
  return details
}

export const FIRST_RUN_ABOUT_ID = 'first-run-about'

function clientSteps(ctx: Ctx, status: HTMLElement): HTMLElement {
  const clientId = h('input', {
    id: 'setup-client-id',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
  })
  const clientSecret = h('input', { id: 'setup-client-secret', type: 'password', autocomplete: 'off' })
  const redirect = h('input', {
    id: 'redirect-uri',
    type: 'text',
    readonly: true,
    value: ctx.settings.redirectUri,
    onfocus: (e: Event) => (e.target as HTMLInputElement).select(),
  })
  const save = async () => {
    const id = clientId.value.trim()
    const secret = clientSecret.value.trim()
    if (!id || !secret) {
      status.textContent = 'Enter both the client ID and the client secret from Zoho’s API console.'
      return
    }
    try {
      const next = await ctx.seats.setClient({ clientId: id, clientSecret: secret })
      ctx.setSettings(next)
      status.textContent = 'Client saved. Now sign in with Zoho.'
    } catch {
      status.textContent = 'The client could not be saved. Check both values and try again.'
    }
  }
  return h(
    'section',
    { class: 'client-steps', 'aria-labelledby': 'client-steps-heading' },
    h('h3', { id: 'client-steps-heading' }, 'First, register Seat Tray with Zoho (once per company)'),
    h(
      'ol',
      {},
      h(
        'li',
        {},
        'Open Zoho’s API console ',
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            id: 'open-api-console',
            onclick: () => void ctx.seats.openLink('zoho-api-console'),
          },
          'Open the API console',
        ),
        ' and choose Add Client. In China, use the console at api-console.zoho.com.cn.',
      ),
      h(
        'li',
        {},
        'Choose the client type ',
        h('strong', {}, '“Mobile-based”'),
        '. If your console does not offer it, choose ',
        h('strong', {}, '“Server-based”'),
        '.',
      ),
      h(
        'li',
        {},
        'Give it a name such as “Seat Tray”, and enter this exact redirect URI:',
        field('redirect-uri', 'Redirect URI', redirect),
      ),
      h(
        'li',
        {},
        'If people in your company use Zoho in other regions, turn on Multi DC in the client’s settings.',
      ),
      h(
        'li',
        {},
        'Copy the client ID and client secret here. The secret is kept in this computer’s keychain.',
        field('setup-client-id', 'Client ID', clientId),
        field('setup-client-secret', 'Client secret', clientSecret),
        h('button', { type: 'button', id: 'setup-save-client', onclick: () => void save() }, 'Save client'),
        status,
      ),
    ),
  )
}

function signingIn(ctx: Ctx): Node[] {
  return [
    h('h3', {}, 'Signing in…'),
    h('p', {}, 'Finish signing in to Zoho in the window that opened. Seat Tray is waiting for you.'),
    h('progress', { 'aria-label': 'Waiting for sign-in' }),
    h(
      'button',
      { type: 'button', id: 'cancel-sign-in', onclick: () => void ctx.seats.cancelSignIn() },
      'Cancel sign-in',
    ),
  ]
}

function signInControls(ctx: Ctx, ready: boolean): Node[] {
  if (!ready) {
    return [
      h(
        'p',
        { class: 'hint', id: 'sign-in-later' },
        'Signing in needs your company’s Zoho client, registered once by whoever looks after Zoho.',
      ),
    ]
  }
  const dc = dataCenterSelect('first-run-dc')
  const signIn = (via: 'window' | 'browser') => () =>
    void ctx.signIn({ dataCenter: dc.value as DataCenterId, via })
  return [
    h(
      'button',
      { type: 'button', id: 'sign-in', class: 'primary', onclick: signIn('window') },
      'Sign in with Zoho',
    ),
    field('first-run-dc', 'Where your Zoho account lives', dc),
    h(
      'button',
      { type: 'button', id: 'sign-in-browser', class: 'link', onclick: signIn('browser') },
      'Use my browser instead',
    ),
  ]
}
