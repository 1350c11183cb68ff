/// <reference types="vite/client" />
import type { SeatsApi } from '../../common/contract'

declare global {
  /** package.json's version, written in at build time (renderer/vite.config.ts). */
  const __SEAT_TRAY_VERSION__: string

  interface Window {
    /** The only door to the main process: preload/index.ts exposes it, tests inject a fake. */
    seats?: SeatsApi
  }
}
