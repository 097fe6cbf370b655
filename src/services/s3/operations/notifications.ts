// Put/GetBucketNotificationConfiguration: the whole configuration is replaced atomically after
// AWS's checks; an empty document turns notifications off (§4.2, §4.3).
import type { OperationTable } from '../../service.ts'
import { s3Errors } from '../errors.ts'
import type { S3Operations } from '../generated/types.ts'
import { type BucketNotifications, noNotifications, notificationsOutput, parseNotifications } from '../notification-config.ts'
import type { Notifier } from '../notifier.ts'
import type { S3State } from '../store.ts'

export function notificationOperations(state: S3State, notifier: Notifier | undefined): OperationTable<S3Operations> {
  return {
    PutBucketNotificationConfiguration: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const next = parseNotifications(input.NotificationConfiguration)
      const previous = bucket.configs.get('notification') as BucketNotifications | undefined
      if (notifier !== undefined) {
        // `x-amz-skip-destination-validation: true` skips existence checks and test events, not the ARN syntax.
        if (input.SkipDestinationValidation !== true) {
          const failures = notifier.invalidDestinations(bucket, next.targets)
          if (failures.length > 0) throw s3Errors.unableToValidateDestinations(failures)
          notifier.sendTestEvents(bucket, previous, next, ctx.requestId)
        }
      }
      if (next.targets.length === 0 && !next.eventBridge) bucket.configs.delete('notification')
      else bucket.configs.set('notification', next)
      bucket.saved()
    },
    // A bucket without a configuration answers an empty document, not an error.
    GetBucketNotificationConfiguration: (input) => {
      const bucket = state.requireBucket(input.Bucket)
      return notificationsOutput((bucket.configs.get('notification') as BucketNotifications | undefined) ?? noNotifications)
    },
  }
}
