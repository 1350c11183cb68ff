/**
 * The question an office proxy makes main ask: a username and password, in a modal dialog over whatever the window
 * shows. A native <dialog> opened with showModal() moves focus into it, keeps Tab inside it, makes the rest inert
 * and turns Escape into Cancel. The password goes to main once and is never shown or sent back.
 */
import type { ProxyAuthAnswer, ProxyAuthRequest, SeatsApi, Unsubscribe } from '../../common/contract'
import { h } from './dom'

export const NOT_ACCEPTED = 'That username or password was not accepted.'

/** Listens for main's questions from the start, so none is missed while the window loads its data. */
export function watchProxyAuth(seats: SeatsApi, host: HTMLElement = document.body): Unsubscribe {
  const dialog = new ProxyAuthDialog((answer) => seats.answerProxyAuth(answer).catch(() => undefined))
  host.append(dialog.element)
  const stop = seats.onProxyAuth((request) => dialog.open(request))
  return () => {
    stop()
    dialog.element.remove()
  }
}

class ProxyAuthDialog {
  readonly element = h('dialog', {
    id: 'proxy-auth',
    class: 'proxy-auth',
    'aria-labelledby': 'proxy-auth-title',
    'aria-describedby': 'proxy-auth-why',
  })
  private request: ProxyAuthRequest | null = null
  private readonly username = h('input', {
    type: 'text',
    id: 'proxy-username',
    name: 'username',
    autocomplete: 'username',
    spellcheck: 'false',
    required: true,
  })
  private readonly password = h('input', {
    type: 'password',
    id: 'proxy-password',
    name: 'password',
    autocomplete: 'current-password',
  })
  private readonly remember = h('input', { type: 'checkbox', id: 'proxy-remember', name: 'remember' })
  private readonly why = h('p', { id: 'proxy-auth-why' })
  private readonly error = h('p', { id: 'proxy-auth-error', class: 'proxy-auth-error', role: 'alert' })

  constructor(private readonly send: (answer: ProxyAuthAnswer) => Promise<unknown>) {
    const form = h(
      'form',
      { method: 'dialog', onsubmit: (event: Event) => this.submit(event) },
      h('h2', { id: 'proxy-auth-title' }, 'Your office proxy asks you to sign in'),
      this.why,
      this.error,
      field('proxy-username', 'Username', this.username),
      field('proxy-password', 'Password', this.password),
      h('label', { class: 'check' }, this.remember, 'Remember on this computer'),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', id: 'proxy-cancel', onclick: () => this.cancel() }, 'Cancel'),
        h('button', { type: 'submit', id: 'proxy-submit', class: 'primary' }, 'Sign in to the proxy'),
      ),
    )
    this.element.append(form)
    // Escape: the browser fires 'cancel' and would close the dialog; answer main first.
    this.element.addEventListener('cancel', (event) => {
      event.preventDefault()
      this.cancel()
    })
  }

  open(request: ProxyAuthRequest): void {
    this.request = request
    const realm = request.realm ? ` (“${request.realm}”)` : ''
    this.why.textContent = `Seat Tray reaches Zoho through the proxy ${request.host}:${request.port}${realm}, which asks for a username and password.`
    this.error.textContent = request.retry ? NOT_ACCEPTED : ''
    this.error.hidden = !request.retry
    this.password.value = ''
    if (!this.element.open) this.element.showModal()
    const first = this.username.value ? this.password : this.username
    first.focus()
  }

  private submit(event: Event): void {
    event.preventDefault()
    const request = this.request
    if (!request) return
    void this.send({
      id: request.id,
      username: this.username.value,
      password: this.password.value,
      remember: this.remember.checked,
    })
    this.close()
  }

  private cancel(): void {
    const request = this.request
    if (request) void this.send({ id: request.id, cancel: true })
    this.close()
  }

  private close(): void {
    this.request = null
    // Nothing of the password stays in the page.
    this.password.value = ''
    this.element.close()
  }
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control)
}
