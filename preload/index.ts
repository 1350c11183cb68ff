/**
 * The window's only door to main: exactly `SeatsApi`, built from the one channel map in common/contract.ts.
 * Sandboxed preloads may only require `electron`; electron-vite bundles the contract into this one CJS file.
 * No raw ipcRenderer crosses the bridge, and listeners get payloads, never the event (it would leak `sender`).
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron'
import {
  INVOKE_CHANNELS,
  type InvokeMethod,
  PUSH_CHANNELS,
  type SeatsApi,
  type Unsubscribe,
} from '../common/contract'

contextBridge.exposeInMainWorld('seats', createSeatsApi())

function createSeatsApi(): SeatsApi {
  const invokers = Object.fromEntries(
    (Object.keys(INVOKE_CHANNELS) as InvokeMethod[]).map((method) => [
      method,
      (...args: unknown[]) => ipcRenderer.invoke(INVOKE_CHANNELS[method], ...args),
    ]),
  ) as Pick<SeatsApi, InvokeMethod>
  return {
    ...invokers,
    onState: (listener) => subscribe(PUSH_CHANNELS.onState, listener),
    onShow: (listener) => subscribe(PUSH_CHANNELS.onShow, listener),
    onProxyAuth: (listener) => subscribe(PUSH_CHANNELS.onProxyAuth, listener),
    onUpdate: (listener) => subscribe(PUSH_CHANNELS.onUpdate, listener),
  }
}

function subscribe<T>(channel: string, listener: (payload: T) => void): Unsubscribe {
  const relay = (_event: IpcRendererEvent, payload: T) => listener(payload)
  ipcRenderer.on(channel, relay)
  return () => {
    ipcRenderer.removeListener(channel, relay)
  }
}
