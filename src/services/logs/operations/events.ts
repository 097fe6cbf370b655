// PutLogEvents, GetLogEvents, FilterLogEvents.
import type { Operation } from '../../service.ts'
import { logsErrors } from '../errors.ts'
import { compileFilterPattern } from '../filter-pattern.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { eventId, filterGroup, readStream } from '../read-events.ts'
import type { LogsState } from '../store.ts'
import { checkRange, decodeCursor, encodeCursor, requireStream, resolveGroup } from './common.ts'

export function eventOperations(state: LogsState) {
  const putLogEvents: Operation<T.PutLogEventsRequest, T.PutLogEventsResponse> = (input, ctx) => {
    const group = state.requireGroup(ctx.caller.account, ctx.caller.region, input.logGroupName)
    const stream = requireStream(group, input.logStreamName)
    const { nextSequenceToken, rejected } = state.put(group, stream, input.logEvents)
    return { nextSequenceToken, rejectedLogEventsInfo: rejected }
  }

  const getLogEvents: Operation<T.GetLogEventsRequest, T.GetLogEventsResponse> = (input, ctx) => {
    checkRange('limit', input.limit, 1, limits.maxEventsLimit)
    const stream = requireStream(resolveGroup(state, ctx, input), input.logStreamName)
    const page = readStream(stream, input)
    return {
      events: page.events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
      nextForwardToken: page.nextForwardToken,
      nextBackwardToken: page.nextBackwardToken,
    }
  }

  const filterLogEvents: Operation<T.FilterLogEventsRequest, T.FilterLogEventsResponse> = (input, ctx) => {
    checkRange('limit', input.limit, 1, limits.maxEventsLimit)
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw logsErrors.invalidParameter('Cannot specify both logStreamNames and logStreamNamePrefix.')
    }
    if (input.logStreamNames !== undefined && (input.logStreamNames.length < 1 || input.logStreamNames.length > limits.maxFilterStreamNames)) {
      throw logsErrors.validation(input.logStreamNames.length, 'logStreamNames', 'Member must have length between 1 and 100')
    }
    const matches = compileFilterPattern(input.filterPattern)
    const group = resolveGroup(state, ctx, input)
    const after = input.nextToken === undefined ? undefined : decodeCursor(input.nextToken)
    if (after !== undefined && (after.length !== 2 || typeof after[0] !== 'number' || typeof after[1] !== 'number')) throw logsErrors.invalidToken()
    const page = filterGroup(group, {
      streamNames: input.logStreamNames, streamPrefix: input.logStreamNamePrefix, startTime: input.startTime, endTime: input.endTime,
      matches, limit: input.limit, after: after === undefined ? undefined : { timestamp: after[0] as number, seq: after[1] as number },
    })
    return {
      events: page.found.map(({ stream, event }) => ({
        logStreamName: stream.name, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId: eventId(event),
      })),
      searchedLogStreams: page.searched.map((s) => ({ logStreamName: s.name, searchedCompletely: page.next === undefined })),
      nextToken: page.next === undefined ? undefined : encodeCursor([page.next.timestamp, page.next.seq]),
    }
  }

  return { PutLogEvents: putLogEvents, GetLogEvents: getLogEvents, FilterLogEvents: filterLogEvents }
}
