// Dead-letter queue redrive (StartMessageMoveTask): moves messages at a rate, one batch per clock second.
import type { Clock, Timer } from '../../core/clock.ts'
import type { Queue } from './queue.ts'

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED'

export interface MoveTaskDeps {
  clock: Clock
  findByArn(arn: string): Queue | undefined
}

export class MoveTask {
  readonly taskHandle: string
  readonly sourceArn: string
  readonly destinationArn: string | undefined
  readonly ratePerSecond: number
  readonly startedAt: number
  readonly toMove: number
  moved = 0
  status: MoveTaskStatus = 'RUNNING'
  failureReason: string | undefined
  private timer: Timer | undefined
  private readonly deps: MoveTaskDeps

  constructor(taskHandle: string, source: Queue, destinationArn: string | undefined, ratePerSecond: number, deps: MoveTaskDeps) {
    this.taskHandle = taskHandle
    this.sourceArn = source.arn
    this.destinationArn = destinationArn
    this.ratePerSecond = ratePerSecond
    this.deps = deps
    this.startedAt = deps.clock.now()
    const counts = source.counts()
    this.toMove = counts.visible + counts.notVisible + counts.delayed
    this.schedule(0)
  }

  private schedule(delayMs: number): void {
    this.timer = this.deps.clock.after(delayMs, () => this.step())
  }

  /** Moves up to one second's worth of messages; finishes when the source has none visible left. */
  private step(): void {
    this.timer = undefined
    if (this.status !== 'RUNNING') return
    const source = this.deps.findByArn(this.sourceArn)
    if (source === undefined) return this.fail('AWS.SimpleQueueService.NonExistentQueue')
    const batch = source.takeForMove(Math.min(this.ratePerSecond, this.toMove - this.moved))
    for (const message of batch) {
      // Without a destination each message returns to the queue it was dead-lettered from.
      const target = this.deps.findByArn(this.destinationArn ?? message.deadLetterSourceArn ?? '')
      if (target === undefined) {
        source.acceptMoved(message, message.deadLetterSourceArn)
        return this.fail('AWS.SimpleQueueService.NonExistentQueue')
      }
      target.acceptMoved({ ...message, receiveCount: 0, firstReceivedAt: undefined }, undefined)
      this.moved++
    }
    if (batch.length === 0 || this.moved >= this.toMove) {
      this.status = 'COMPLETED'
      return
    }
    this.schedule(1000)
  }

  private fail(reason: string): void {
    this.status = 'FAILED'
    this.failureReason = reason
  }

  cancel(): void {
    this.stop()
    this.status = 'CANCELLED'
  }

  stop(): void {
    this.timer?.cancel()
    this.timer = undefined
  }
}
