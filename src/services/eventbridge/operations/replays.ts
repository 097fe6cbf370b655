// StartReplay, DescribeReplay, ListReplays, CancelReplay (§5.6).
import { parseArn } from '../../../core/arn.ts'
import type { Operation } from '../../service.ts'
import type { EbContext } from '../context.ts'
import { ebErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { Replay } from '../replay.ts'
import { checkName, page } from './common.ts'

export function replayOperations(ctx: EbContext) {
  const { state, clock, replayer } = ctx
  const requireReplay = (name: string, where: { account: string; region: string }) => {
    const replay = state.at(where).replays.get(name)
    if (replay === undefined) throw ebErrors.replayNotFound(name)
    return replay
  }

  const startReplay: Operation<T.StartReplayRequest, T.StartReplayResponse> = (input, { caller }) => {
    checkName(input.ReplayName, 'ReplayName', 64)
    const region = state.at(caller)
    if (region.replays.has(input.ReplayName)) throw ebErrors.replayExists(input.ReplayName)
    const archiveName = /^archive\/(.+)$/.exec(parseArn(input.EventSourceArn)?.resource ?? '')?.[1] ?? input.EventSourceArn
    const archive = region.archives.get(archiveName)
    if (archive === undefined || archive.arn !== input.EventSourceArn) {
      throw ebErrors.invalidParameter('EventSourceArn', `Archive ${archiveName} does not exist.`)
    }
    if (input.Destination.Arn !== archive.sourceArn) {
      throw ebErrors.invalidParameter('Destination.Arn', 'Cross event bus replay is not permitted.')
    }
    const startMs = input.EventStartTime.getTime()
    const endMs = input.EventEndTime.getTime()
    if (startMs >= endMs) throw ebErrors.invalidParameter('EventEndTime', 'EventStartTime must be before EventEndTime.')
    const bus = state.requireBus(archive.sourceArn, caller)
    const replay = new Replay({ name: input.ReplayName, account: caller.account, region: caller.region, description: input.Description,
      archiveArn: archive.arn, destination: input.Destination, startMs, endMs, now: clock.now() })
    region.replays.set(replay.name, replay)
    state.rows?.replay(replay)
    replayer.start(replay, archive.between(startMs, endMs, clock.now()), bus)
    return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: new Date(replay.startedAt) }
  }

  const describeReplay: Operation<T.DescribeReplayRequest, T.DescribeReplayResponse> = (input, { caller }) =>
    requireReplay(input.ReplayName, caller).describe()

  const listReplays: Operation<T.ListReplaysRequest, T.ListReplaysResponse> = (input, { caller }) => {
    const replays = [...state.at(caller).replays.values()]
      .filter((r) => input.NamePrefix === undefined || r.name.startsWith(input.NamePrefix))
      .filter((r) => input.State === undefined || r.state === input.State)
      .filter((r) => input.EventSourceArn === undefined || r.archiveArn === input.EventSourceArn)
      .sort((a, b) => a.name.localeCompare(b.name))
    const { items, next } = page(replays, input.NextToken, input.Limit)
    return { Replays: items.map((r) => r.summary()), NextToken: next }
  }

  const cancelReplay: Operation<T.CancelReplayRequest, T.CancelReplayResponse> = (input, { caller }) => {
    const replay = requireReplay(input.ReplayName, caller)
    if (replay.state !== 'STARTING' && replay.state !== 'RUNNING') throw ebErrors.illegalReplayStatus(replay.name, replay.state)
    replayer.cancel(replay)
    return { ReplayArn: replay.arn, State: replay.state }
  }

  return { StartReplay: startReplay, DescribeReplay: describeReplay, ListReplays: listReplays, CancelReplay: cancelReplay }
}
