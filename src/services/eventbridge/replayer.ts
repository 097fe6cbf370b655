// Drives replays on the clock: STARTING → RUNNING, one minute of archived events per step (one step
// per second of clock time), then COMPLETED; CancelReplay turns RUNNING into CANCELLING, and the
// next step into CANCELLED. Replayed events carry `replay-name` and are never archived again.
// With a data dir a replay's progress is a row written at each step: a replay running when Nimbus
// stopped resumes at start after the last minute it replayed (AWS's replays run server-side and
// outlive any client), and one being cancelled ends CANCELLED.
import type { Clock, Timer } from '../../core/clock.ts'
import type { ArchivedEvent } from './archive.ts'
import type { EbRows } from './eb-rows.ts'
import { ingested, withReplayName } from './event.ts'
import type { EventBus } from './event-bus.ts'
import { limits } from './limits.ts'
import type { Replay } from './replay.ts'
import type { Router } from './router.ts'

export class Replayer {
  private readonly clock: Clock
  private readonly router: Router
  private readonly timers = new Set<Timer>()
  private readonly rows: EbRows | undefined

  constructor(clock: Clock, router: Router, rows?: EbRows) {
    this.clock = clock
    this.router = router
    this.rows = rows
  }

  /**
   * At start, a replay that had not ended: it goes on after the last event it replayed. A step
   * replays a whole minute of events in one turn, so the stored progress never splits a minute.
   */
  resume(replay: Replay, events: readonly ArchivedEvent[], bus: EventBus): void {
    if (replay.state === 'CANCELLING') return this.finish(replay, 'CANCELLED')
    const last = replay.lastReplayedMs
    this.start(replay, last === undefined ? events : events.filter((e) => e.timeMs > last), bus)
  }

  start(replay: Replay, events: readonly ArchivedEvent[], bus: EventBus): void {
    const chunks = new Map<number, ArchivedEvent[]>()
    for (const e of events) {
      const key = Math.floor((e.timeMs - replay.startMs) / limits.replayChunkMs)
      chunks.set(key, [...(chunks.get(key) ?? []), e])
    }
    const queue = [...chunks.entries()].sort(([a], [b]) => a - b).map(([, list]) => list)
    const filterArns = replay.destination.FilterArns === undefined ? undefined : new Set(replay.destination.FilterArns)
    const step = () => {
      if (replay.state === 'CANCELLING') return this.finish(replay, 'CANCELLED')
      replay.state = 'RUNNING'
      const chunk = queue.shift()
      for (const e of chunk ?? []) {
        this.router.route(bus, ingested(withReplayName(e.event, replay.name), this.clock.now()), { filterArns })
        replay.lastReplayedMs = e.timeMs
      }
      this.rows?.replay(replay)
      if (queue.length === 0) return this.finish(replay, 'COMPLETED')
      this.after(limits.replayStepMs, step)
    }
    this.after(0, step)
  }

  cancel(replay: Replay): void {
    replay.state = 'CANCELLING'
    this.rows?.replay(replay)
  }

  clear(): void {
    for (const timer of this.timers) timer.cancel()
    this.timers.clear()
  }

  private finish(replay: Replay, state: 'COMPLETED' | 'CANCELLED'): void {
    replay.state = state
    replay.endedAt = this.clock.now()
    this.rows?.replay(replay)
  }

  private after(ms: number, fn: () => void): void {
    const timer = this.clock.after(ms, () => {
      this.timers.delete(timer)
      fn()
    })
    this.timers.add(timer)
  }
}
