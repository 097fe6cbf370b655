// A replay's record: what it re-sends, where, and how far it got. Replayer (replayer.ts) drives it.
import type * as T from './generated/types.ts'

export class Replay {
  readonly name: string
  readonly account: string
  readonly region: string
  readonly arn: string
  readonly description: string | undefined
  readonly archiveArn: string
  readonly destination: T.ReplayDestination
  readonly startMs: number
  readonly endMs: number
  readonly startedAt: number
  state: T.ReplayState = 'STARTING'
  stateReason: string | undefined
  lastReplayedMs: number | undefined
  endedAt: number | undefined

  constructor(init: { name: string; account: string; region: string; description?: string; archiveArn: string;
    destination: T.ReplayDestination; startMs: number; endMs: number; now: number }) {
    this.name = init.name
    this.account = init.account
    this.region = init.region
    this.arn = `arn:aws:events:${init.region}:${init.account}:replay/${init.name}`
    this.description = init.description
    this.archiveArn = init.archiveArn
    this.destination = init.destination
    this.startMs = init.startMs
    this.endMs = init.endMs
    this.startedAt = init.now
  }

  summary(): T.Replay {
    return {
      ReplayName: this.name, EventSourceArn: this.archiveArn, State: this.state, StateReason: this.stateReason,
      EventStartTime: new Date(this.startMs), EventEndTime: new Date(this.endMs),
      EventLastReplayedTime: this.lastReplayedMs === undefined ? undefined : new Date(this.lastReplayedMs),
      ReplayStartTime: new Date(this.startedAt), ReplayEndTime: this.endedAt === undefined ? undefined : new Date(this.endedAt),
    }
  }

  describe(): T.DescribeReplayResponse {
    return { ...this.summary(), ReplayArn: this.arn, Description: this.description, Destination: this.destination }
  }
}
