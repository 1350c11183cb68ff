/**
 * First run: nothing is signed in yet. Connect to Zoho (with the steps to register a client when none is
 * configured), or try the demo with simulated seats.
 */
import type { DataCenterId } from '../../common/model'
import { h, replaceKeepingFocus } from './dom'
import { dataCenterSelect, field } from './form'
import type { Ctx, Panel } from './panel'

export function firstRunPanel(ctx: Ctx): Panel {
  const clientStatus = h('p', { class: 'hint', id: 'first-run-client-status', role: 'status' })
  const signInBox = h('div', { class: 'sign-in-box' })
  const element = h(
    'div',
    { class: 'first-run' },
    h('h2', {}, 'Connect Seat Tray to Zoho CRM'),
    h(
      'p',
      {},
      'Seat Tray reads how many user licenses your Zoho CRM org has bought, how many are in use, and how many are free. It only reads; it never changes anything in Zoho.',
    ),
    h('div', { class: 'client-steps-box' }),
    signInBox,
    h(
      'section',
      { class: 'demo-offer', 'aria-labelledby': 'demo-heading' },
      h('h3', { id: 'demo-heading' }, 'Just looking?'),
      h('p', {}, 'Try Seat Tray with a simulated Zoho org. Nothing is sent anywhere.'),
      h(
        'button',
        { type: 'button', id: 'start-demo', onclick: () => void ctx.seats.startDemo() },
        'Try the demo',
      ),
    ),
  )

  const update = () => {
    const ready = ctx.state.clientConfigured || ctx.settings.clientConfigured
    const steps = element.querySelector('.client-steps-box')
    // Keep whatever the admin is typing: build the client form once, until a client is configured.
    if (steps && !ready && !steps.firstChild) steps.append(clientSteps(ctx, clientStatus))
    if (steps && ready) steps.replaceChildren()
    const mode = ctx.state.signingIn ? 'signing-in' : String(ready)
    if (signInBox.dataset.mode !== mode) {
      signInBox.dataset.mode = mode
      replaceKeepingFocus(signInBox, ...(ctx.state.signingIn ? signingIn(ctx) : signInControls(ctx, ready)))
    }
  }
  update()
  return { element, update }
}

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
  const dc = dataCenterSelect('first-run-dc')
  const signIn = (via: 'window' | 'browser') => () =>
    void ctx.signIn({ dataCenter: dc.value as DataCenterId, via })
  return [
    h('h3', {}, ready ? 'Sign in with Zoho' : 'Then sign in with Zoho'),
    field('first-run-dc', 'Where your Zoho account lives', dc),
    h(
      'p',
      { class: 'hint' },
      'Most people can leave United States: Zoho sends you on to your own region. Choose China if you sign in at zoho.com.cn.',
    ),
    h(
      'div',
      { class: 'inline' },
      h(
        'button',
        {
          type: 'button',
          id: 'sign-in',
          class: 'primary',
          'aria-disabled': String(!ready),
          onclick: ready ? signIn('window') : undefined,
        },
        'Sign in with Zoho',
      ),
      h(
        'button',
        {
          type: 'button',
          id: 'sign-in-browser',
          'aria-disabled': String(!ready),
          onclick: ready ? signIn('browser') : undefined,
        },
        'Use my browser instead',
      ),
    ),
    ready ? null : h('p', { class: 'hint' }, 'Signing in becomes possible once the client is saved.'),
  ].filter((n): n is HTMLElement => n !== null)
}
