/**
 * Settings › About: the version (and Electron's, Chromium's, Node's), where Seat Tray keeps its data, the update
 * line with Restart now when one is ready, Copy diagnostics for a support request, and Quit.
 */
import type { AboutInfo, SeatsApi, UpdateLine } from '../../common/contract'
import { h } from './dom'

export async function aboutRows(seats: SeatsApi): Promise<Node[]> {
  const [about, update] = await Promise.all([
    seats.getAbout().catch((): AboutInfo | null => null),
    seats.getUpdate().catch((): UpdateLine => ({ line: null, canRestart: false })),
  ])
  const copied = h('span', { class: 'saved', id: 'diagnostics-copied', role: 'status' })
  const copy = async () => {
    copied.textContent = ''
    try {
      const { characters } = await seats.copyDiagnostics()
      copied.textContent = `Copied (${characters.toLocaleString()} characters, no secrets)`
    } catch {
      copied.textContent = 'Could not copy'
    }
  }
  return [
    h(
      'dl',
      {},
      h('dt', {}, 'Version'),
      h('dd', { id: 'about-version' }, `Seat Tray ${about?.version ?? __SEAT_TRAY_VERSION__}`),
      ...(about?.electron
        ? [
            h('dt', {}, 'Built on'),
            h('dd', {}, `Electron ${about.electron} · Chromium ${about.chromium} · Node ${about.node}`),
          ]
        : []),
      h('dt', {}, 'Data'),
      h(
        'dd',
        { id: 'about-data-folder' },
        about ? about.dataFolder : 'Settings and history stay on this computer, in Seat Tray’s own folder.',
      ),
    ),
    ...updateRows(seats, update),
    h(
      'p',
      {},
      h('button', { type: 'button', id: 'copy-diagnostics', onclick: () => void copy() }, 'Copy diagnostics'),
      ' ',
      copied,
    ),
    h('button', { type: 'button', id: 'quit', onclick: () => void seats.quit() }, 'Quit Seat Tray'),
  ]
}

function updateRows(seats: SeatsApi, update: UpdateLine): Node[] {
  if (!update.line) return []
  return [
    h(
      'p',
      { id: 'update-line' },
      update.line,
      ...(update.canRestart
        ? [
            ' ',
            h(
              'button',
              { type: 'button', id: 'restart-to-update', onclick: () => void seats.restartToUpdate() },
              'Restart now',
            ),
          ]
        : []),
    ),
  ]
}
