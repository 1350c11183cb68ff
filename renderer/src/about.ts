/**
 * Settings › About: the version, where Seat Tray keeps its data, and Quit.
 *
 * Issue 13 adds `getAbout()` (and the update line) to the contract; until it is merged the window asks for it only
 * if main offers it, so this group works either way. Quit stays in the tray menu, where it always is.
 */
import type { SeatsApi } from '../../common/contract'
import { h } from './dom'

/** What the About group reads, when main offers it (a subset of issue 13's AboutInfo). */
interface AboutSource {
  getAbout?: () => Promise<{ version: string; dataFolder: string }>
  quit?: () => Promise<void>
}

export async function aboutRows(seats: SeatsApi): Promise<Node[]> {
  const source = seats as SeatsApi & AboutSource
  let about: { version: string; dataFolder: string } | null = null
  try {
    about = (await source.getAbout?.()) ?? null
  } catch {
    about = null
  }
  const quit = source.quit
  return [
    h(
      'dl',
      {},
      h('dt', {}, 'Version'),
      h('dd', { id: 'about-version' }, `Seat Tray ${about?.version ?? __SEAT_TRAY_VERSION__}`),
      h('dt', {}, 'Data'),
      h(
        'dd',
        { id: 'about-data-folder' },
        about ? about.dataFolder : 'Settings and history stay on this computer, in Seat Tray’s own folder.',
      ),
    ),
    quit
      ? h('button', { type: 'button', id: 'quit', onclick: () => void quit() }, 'Quit Seat Tray')
      : h(
          'p',
          { class: 'hint', id: 'quit-hint' },
          'To quit Seat Tray, choose Quit Seat Tray in its tray menu.',
        ),
  ]
}
