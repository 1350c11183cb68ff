/**
 * When a snooze ends. One rule for the tray menu and the window: both send a choice, the engine picks the time when
 * the person clicks (a time computed when a menu was built would be stale by the time it is clicked).
 */
import { SNOOZE_MORNING_HOUR, type SnoozeChoice } from '../../common/contract'

const HOUR = 60 * 60 * 1000

export function snoozeUntil(choice: SnoozeChoice, now: number): number {
  return choice === 'hour' ? now + HOUR : tomorrowMorning(now)
}

/** The next local morning (the working day starting again) that is on another calendar day. */
export function tomorrowMorning(now: number): number {
  const d = new Date(now)
  d.setDate(d.getDate() + 1)
  d.setHours(SNOOZE_MORNING_HOUR, 0, 0, 0)
  return d.getTime()
}
