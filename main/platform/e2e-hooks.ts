/**
 * What the Electron end-to-end suite (test/e2e) reaches into: only in an unpackaged build started with
 * SEAT_TRAY_E2E=1. It points the app at the suite's simulator and hands the suite the tray, the window and the engine.
 */
import type { App } from 'electron'
import type { SeatTray } from '../core/app'
import type { ZohoClient } from '../core/zoho/oauth'
import type { Shell } from './app-shell'

export interface E2eZoho {
  accountsServer: string
  client: ZohoClient
}

export function e2eEnabled(app: App): boolean {
  return process.env.SEAT_TRAY_E2E === '1' && !app.isPackaged
}

/** The suite's simulator: `SEAT_TRAY_E2E_ZOHO={"accountsServer","clientId","clientSecret"}`, and its own userData. */
export function readE2eZoho(app: App): E2eZoho | null {
  if (process.env.SEAT_TRAY_E2E_USER_DATA) app.setPath('userData', process.env.SEAT_TRAY_E2E_USER_DATA)
  const raw = process.env.SEAT_TRAY_E2E_ZOHO
  if (!raw) return null
  const parsed = JSON.parse(raw) as { accountsServer: string; clientId: string; clientSecret: string }
  return {
    accountsServer: parsed.accountsServer,
    client: { clientId: parsed.clientId, clientSecret: parsed.clientSecret },
  }
}

/** The tray, its menu, the window and the engine, for the suite to drive and read. */
export function exposeToE2e(shell: Shell, engine: SeatTray, simulator: () => unknown): void {
  Object.assign(globalThis, {
    __seatTrayE2E: {
      tray: shell.trayIcon.tray,
      get menu() {
        return shell.trayIcon.menu()
      },
      app: engine,
      showWindow: () => shell.window.show(),
      window: shell.popup.window,
      simulator,
    },
  })
}
