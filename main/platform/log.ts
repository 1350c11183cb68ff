/**
 * The log file: electron-log's file transport, where each OS keeps logs (userData/logs/main.log on Linux and
 * Windows, ~/Library/Logs/<app>/main.log on macOS), size-capped and
 * rotated (main.log + main.old.log, so at most twice the cap on disk), with timestamps.
 *
 * Redaction is built into the logger itself, not into its callers: a hook that runs before every transport
 * (file and console) passes each logged value through the Redactor, so nothing can reach the disk unredacted,
 * whoever logs it — our code, console.* (routed here), or electron-updater.
 *
 * Takes the logger instance, so tests drive the same code with electron-log's Node build and real files.
 */
import type { LogMessage, NodeLogger } from 'electron-log'
import type { Redactor } from '../core/redact'

/** One megabyte before rotating: weeks of normal use, and small enough to attach to a support request. */
export const LOG_MAX_BYTES = 1024 * 1024

export interface AppLog {
  info(...values: unknown[]): void
  warn(...values: unknown[]): void
  error(...values: unknown[]): void
  /** The file being written. */
  file(): string
}

/** electron-log's main-process logger and its Node build have this shape (file and console transports). */
type FileLogger = Pick<NodeLogger, 'hooks' | 'info' | 'warn' | 'error' | 'log' | 'transports'>

export function configureLog(
  logger: FileLogger,
  options: { redactor: Redactor; maxBytes?: number; file?: string; captureConsole?: boolean },
): AppLog {
  const { redactor } = options
  logger.hooks.push((message: LogMessage) => ({
    ...message,
    data: message.data.map((item) => redactor.value(item)),
  }))
  const file = logger.transports.file
  file.maxSize = options.maxBytes ?? LOG_MAX_BYTES
  file.format = '[{iso}] [{level}] {text}'
  if (options.file) {
    const path = options.file
    file.resolvePathFn = () => path
  }
  if (options.captureConsole) {
    // The app's console.error lines (start failures, tray commands…) go to the file too, redacted and timestamped.
    // electron-log's console transport kept the original console methods when it loaded, so this cannot loop.
    console.error = (...values: unknown[]) => logger.error(...values)
    console.warn = (...values: unknown[]) => logger.warn(...values)
    console.info = (...values: unknown[]) => logger.info(...values)
    console.log = (...values: unknown[]) => logger.log(...values)
  }
  return {
    info: (...values) => logger.info(...values),
    warn: (...values) => logger.warn(...values),
    error: (...values) => logger.error(...values),
    file: () => file.getFile().path,
  }
}
