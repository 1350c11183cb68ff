/**
 * The one route out of the engine. Anything that may change what a person sees calls `changed()`; the views are
 * built once per turn of the event loop from one state, and each output gets only what is new:
 * - the window's state is pushed only when it differs from the last push;
 * - the tray (badge, tone, tooltip and menu, built from that same state) is rendered only when it differs.
 * So a poll that touched five fields costs one IPC message and one native menu rebuild, and a command that changed
 * nothing visible costs none. Commands call `flush()` before they return, so the window already holds the state
 * their answer describes.
 */
import type { AppState } from '../../common/model'
import type { StateSink, TrayModel, TrayView } from './ports'

export interface Views {
  state: AppState
  tray: TrayModel
}

export interface ViewPublisherOptions {
  build: () => Views
  sink: StateSink
  tray: TrayView
  /** Runs `flush` after the current turn; setImmediate by default (after every pending promise has settled). */
  schedule?: (flush: () => void) => void
}

export class ViewPublisher {
  private pending = false
  private stopped = false
  private lastState: string | null = null
  private lastTray: string | null = null
  /** What was emitted, for the bench and tests: how many pushes and renders a change really cost. */
  readonly counts = { pushes: 0, renders: 0 }
  private readonly schedule: (flush: () => void) => void

  constructor(private readonly options: ViewPublisherOptions) {
    this.schedule = options.schedule ?? ((flush) => setImmediate(flush))
  }

  /** Something visible may have changed: emit at the end of this turn (once, however many calls). */
  changed(): void {
    if (this.stopped || this.pending) return
    this.pending = true
    this.schedule(() => this.flush())
  }

  /** Emits now if a change is waiting. */
  flush(): void {
    if (!this.pending || this.stopped) return
    this.pending = false
    const { state, tray } = this.options.build()
    const stateKey = JSON.stringify(state)
    if (stateKey !== this.lastState) {
      this.lastState = stateKey
      this.counts.pushes++
      this.options.sink.publish(state)
    }
    const trayKey = JSON.stringify(tray)
    if (trayKey !== this.lastTray) {
      this.lastTray = trayKey
      this.counts.renders++
      this.options.tray.render(tray)
    }
  }

  /** Nothing is emitted after this. */
  stop(): void {
    this.stopped = true
    this.pending = false
  }
}
