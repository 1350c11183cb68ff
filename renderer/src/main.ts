/** The window's entry: start the app against `window.seats`, the only thing it talks to. */
import './styles.css'
import { startApp } from './app'

const root = document.getElementById('app')
if (root) {
  if (window.seats) {
    startApp(root, window.seats).catch(() =>
      showFatal(
        root,
        'Seat Tray could not load its data. Close this window and open it again from the tray.',
      ),
    )
  } else {
    showFatal(root, 'This window only works inside Seat Tray.')
  }
}

function showFatal(root: HTMLElement, sentence: string): void {
  const p = document.createElement('p')
  p.className = 'fatal'
  p.textContent = sentence
  root.replaceChildren(p)
  root.removeAttribute('aria-busy')
}
