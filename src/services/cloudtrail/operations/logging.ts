// Logging on and off, and what GetTrailStatus reports: StartLogging, StopLogging, GetTrailStatus.
import type { OperationTable } from '../../service.ts'
import { cloudTrailErrors } from '../errors.ts'
import type { CloudTrailOperations } from '../generated/types.ts'
import type { CloudTrailState } from '../store.ts'
import { trailArn } from '../trail.ts'
import { checkTrailName } from './trails.ts'

/** AWS's attempt times are strings: ISO 8601 without milliseconds, "" before the first. */
const attemptTime = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'))
const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms))

export function loggingOperations(state: CloudTrailState) {
  return {
    StartLogging: (input, ctx) => {
      if (!input.Name.startsWith('arn:')) checkTrailName(input.Name)
      const trail = state.requireHome(ctx.caller.account, ctx.caller.region, input.Name)
      if (!trail.logging) {
        trail.logging = true
        trail.startLoggingTime = ctx.clock.now()
        state.save(trail)
      }
      return {}
    },
    StopLogging: (input, ctx) => {
      if (!input.Name.startsWith('arn:')) checkTrailName(input.Name)
      const trail = state.requireHome(ctx.caller.account, ctx.caller.region, input.Name)
      if (trail.logging) {
        trail.logging = false
        trail.stopLoggingTime = ctx.clock.now()
        state.save(trail)
      }
      return {}
    },
    GetTrailStatus: (input, ctx) => {
      const { account, region } = ctx.caller
      if (!input.Name.startsWith('arn:')) checkTrailName(input.Name)
      const trail = state.find(account, region, input.Name)
      // This one names the trail by ARN in its message, even when given a name [R].
      if (trail === undefined) {
        const arn = input.Name.startsWith('arn:') ? input.Name : trailArn({ account, homeRegion: region, name: input.Name })
        throw cloudTrailErrors.trailNotFound(arn, account)
      }
      return {
        IsLogging: trail.logging,
        ...(trail.latestDeliveryError !== undefined && { LatestDeliveryError: trail.latestDeliveryError }),
        LatestDeliveryTime: date(trail.latestDeliveryTime),
        StartLoggingTime: date(trail.startLoggingTime),
        StopLoggingTime: date(trail.stopLoggingTime),
        LatestDeliveryAttemptTime: attemptTime(trail.latestDeliveryAttemptTime),
        LatestNotificationAttemptTime: '',
        LatestNotificationAttemptSucceeded: '',
        LatestDeliveryAttemptSucceeded: trail.latestDeliveryError === undefined ? attemptTime(trail.latestDeliveryTime) : '',
        TimeLoggingStarted: attemptTime(trail.startLoggingTime),
        TimeLoggingStopped: attemptTime(trail.stopLoggingTime),
      }
    },
  } satisfies OperationTable<CloudTrailOperations>
}
