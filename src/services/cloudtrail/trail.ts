// A trail: where it delivers (bucket, prefix), what it records (event selectors), whether it is
// logging and how its last delivery went. Plain data, so a trail is its own durable row.
import type { Tag, Trail as TrailShape } from './generated/types.ts'
import type { EventRecord } from './event-record.ts'
import { defaultSelectors, type Selectors } from './selectors.ts'

export interface TrailData {
  account: string
  homeRegion: string
  name: string
  bucket: string
  keyPrefix: string | undefined
  snsTopicName: string | undefined
  includeGlobalServiceEvents: boolean
  multiRegion: boolean
  logFileValidation: boolean
  organization: boolean
  cloudWatchLogsLogGroupArn: string | undefined
  cloudWatchLogsRoleArn: string | undefined
  kmsKeyId: string | undefined
  selectors: Selectors
  /** PutEventSelectors was called (HasCustomEventSelectors). */
  custom: boolean
  tags: Tag[]
  logging: boolean
  startLoggingTime: number | undefined
  stopLoggingTime: number | undefined
  latestDeliveryTime: number | undefined
  latestDeliveryAttemptTime: number | undefined
  latestDeliveryError: string | undefined
}

export interface Trail extends TrailData {
  /** Records captured and not yet in a log file (in first-captured order). */
  pending: EventRecord[]
}

export function trailArn(trail: Pick<TrailData, 'account' | 'homeRegion' | 'name'>): string {
  return `arn:aws:cloudtrail:${trail.homeRegion}:${trail.account}:trail/${trail.name}`
}

export function newTrail(fields: Omit<TrailData, 'selectors' | 'custom' | 'logging' | 'startLoggingTime' | 'stopLoggingTime' |
  'latestDeliveryTime' | 'latestDeliveryAttemptTime' | 'latestDeliveryError'>): Trail {
  return {
    ...fields, selectors: defaultSelectors, custom: false, logging: false, startLoggingTime: undefined, stopLoggingTime: undefined,
    latestDeliveryTime: undefined, latestDeliveryAttemptTime: undefined, latestDeliveryError: undefined, pending: [],
  }
}

/** The row: everything but the pending records (they have rows of their own). */
export function trailData(trail: Trail): TrailData {
  const { pending: _, ...data } = trail
  return data
}

/** The Trail shape GetTrail, DescribeTrails and CreateTrail/UpdateTrail answer with. */
export function describeTrail(trail: TrailData): TrailShape {
  return {
    Name: trail.name,
    S3BucketName: trail.bucket,
    ...(trail.keyPrefix !== undefined && { S3KeyPrefix: trail.keyPrefix }),
    ...(trail.snsTopicName !== undefined && {
      SnsTopicName: trail.snsTopicName, SnsTopicARN: `arn:aws:sns:${trail.homeRegion}:${trail.account}:${trail.snsTopicName}`,
    }),
    IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    IsMultiRegionTrail: trail.multiRegion,
    HomeRegion: trail.homeRegion,
    TrailARN: trailArn(trail),
    LogFileValidationEnabled: trail.logFileValidation,
    ...(trail.cloudWatchLogsLogGroupArn !== undefined && { CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn }),
    ...(trail.cloudWatchLogsRoleArn !== undefined && { CloudWatchLogsRoleArn: trail.cloudWatchLogsRoleArn }),
    ...(trail.kmsKeyId !== undefined && { KmsKeyId: trail.kmsKeyId }),
    HasCustomEventSelectors: trail.custom,
    HasInsightSelectors: false,
    IsOrganizationTrail: trail.organization,
  }
}
