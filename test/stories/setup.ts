/**
 * Electron's runtime is not here. Only electron-store (under the real ElectronSettingsStore) asks for it, for the
 * userData folder and the app version; every store the test host opens passes its own folder.
 */
import { tmpdir } from 'node:os'
import { vi } from 'vitest'

vi.mock('electron', () => {
  const app = { getPath: () => tmpdir(), getVersion: () => '0.1.0', getName: () => 'Seat Tray' }
  const ipcMain = { on: () => undefined }
  return { default: { app, ipcMain, shell: {} }, app, ipcMain, shell: {} }
})
