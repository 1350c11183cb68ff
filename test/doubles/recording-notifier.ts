/**
 * A Notifier that remembers instead of showing: tests and benchmarks read what the core decided to announce from
 * `shown`. A test double, so it lives under test/.
 */
import type { Notice, Notifier } from '../../main/core/ports'

export class RecordingNotifier implements Notifier {
  readonly shown: Notice[] = []

  show(notice: Notice): void {
    this.shown.push(notice)
  }

  /** Notices of one kind, e.g. `ofKind('out')`, in the order shown. */
  ofKind(kind: Notice['kind']): Notice[] {
    return this.shown.filter((n) => n.kind === kind)
  }

  clear(): void {
    this.shown.length = 0
  }
}
