/**
 * The figures in the Prometheus/OpenMetrics text format, through prom-client (the standard Node client), so the
 * escaping and the exposition rules are its, not ours. One definition serves `status --format openmetrics`
 * (node_exporter's textfile collector) and `watch --listen` (/metrics).
 */
import { Gauge, type OpenMetricsContentType, Registry } from 'prom-client'
import type { Snapshot } from '../../common/model'

export interface SeatMetrics {
  registry: Registry<OpenMetricsContentType>
  /** A good reading for this accounts server. */
  reading(server: string, s: Snapshot, status: number): void
  /** A check that did not read the counts: success 0, the last figures (if any) stay as they were. */
  failure(server: string): void
}

const LABELS = ['accounts_server'] as const

export function seatMetrics(): SeatMetrics {
  const registry = new Registry<OpenMetricsContentType>()
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE)
  const gauge = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: LABELS, registers: [registry] })
  const available = gauge('seat_tray_seats_available', 'Zoho CRM user licenses free (Zoho’s own count).')
  const purchased = gauge('seat_tray_seats_purchased', 'Zoho CRM user licenses purchased.')
  const active = gauge('seat_tray_seats_active', 'Zoho CRM user licenses in use.')
  const status = gauge(
    'seat_tray_check_status',
    'The plugin verdict: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.',
  )
  const success = gauge('seat_tray_check_success', '1 when the last check read the counts from Zoho, else 0.')
  const lastGood = gauge(
    'seat_tray_last_success_timestamp_seconds',
    'When the counts were last read from Zoho, in seconds since the epoch.',
  )
  return {
    registry,
    reading(server, s, verdict) {
      const l = { accounts_server: server }
      available.set(l, s.available)
      purchased.set(l, s.purchased)
      active.set(l, s.active)
      status.set(l, verdict)
      success.set(l, 1)
      lastGood.set(l, Math.floor(s.at / 1000))
    },
    failure(server) {
      const l = { accounts_server: server }
      status.set(l, 3)
      success.set(l, 0)
    },
  }
}

/** The host of an accounts server, the label every series carries (`accounts.zoho.eu`). */
export function serverLabel(accountsServer: string): string {
  try {
    return new URL(accountsServer).host
  } catch {
    return 'unknown'
  }
}
