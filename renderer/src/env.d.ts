/// <reference types="vite/client" />
import type { SeatsApi } from '../../common/contract'

declare global {
  interface Window {
    /** The only door to the main process: preload/index.ts exposes it, tests inject a fake. */
    seats?: SeatsApi
  }
}
