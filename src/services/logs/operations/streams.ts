// CreateLogStream, DeleteLogStream, DescribeLogStreams.
import type { Operation } from '../../service.ts'
import { logsErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { LogStream } from '../log-stream.ts'
import type { LogsState } from '../store.ts'
import { checkRange, checkStreamName, paginate, requireStream, resolveGroup } from './common.ts'

export function streamOperations(state: LogsState) {
  const createLogStream: Operation<T.CreateLogStreamRequest, void> = (input, ctx) => {
    checkStreamName(input.logStreamName)
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    if (group.streams.has(input.logStreamName)) throw logsErrors.streamExists()
    group.createStream(input.logStreamName, ctx.clock.now())
  }

  const deleteLogStream: Operation<T.DeleteLogStreamRequest, void> = (input, ctx) => {
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    group.deleteStream(requireStream(group, input.logStreamName))
  }

  const describeLogStreams: Operation<T.DescribeLogStreamsRequest, T.DescribeLogStreamsResponse> = (input, ctx) => {
    checkRange('limit', input.limit, 1, limits.maxDescribeLimit)
    const orderBy = input.orderBy ?? 'LogStreamName'
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw logsErrors.validation(orderBy, 'orderBy', 'Member must satisfy enum value set: [LogStreamName, LastEventTime]')
    }
    const prefix = input.logStreamNamePrefix
    if (prefix !== undefined && orderBy === 'LastEventTime') {
      throw logsErrors.invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.')
    }
    const group = resolveGroup(state, ctx, input)
    const streams = [...group.streams.values()].filter((s) => prefix === undefined || s.name.startsWith(prefix))
    const { page, nextToken } = paginate(streams,
      orderBy === 'LogStreamName' ? (s) => [s.name] : (s) => [s.lastEventTimestamp ?? 0, s.name],
      { limit: input.limit ?? limits.maxDescribeLimit, token: input.nextToken, descending: input.descending === true })
    return { logStreams: page.map(describeStream), nextToken }
  }

  return { CreateLogStream: createLogStream, DeleteLogStream: deleteLogStream, DescribeLogStreams: describeLogStreams }
}

function describeStream(stream: LogStream): T.LogStream {
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: stream.uploadSequenceToken,
    arn: stream.arn,
    storedBytes: 0, // AWS has reported 0 for streams since June 2019
  }
}
