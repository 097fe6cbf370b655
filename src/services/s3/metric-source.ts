// The AWS/S3 metrics CloudWatch reads through its port: request metrics (BucketName + FilterId) from
// the per-minute log, and the daily storage metrics (BucketName + StorageType) computed when read
// from the bucket's current contents — one datapoint per ended UTC day since the bucket was created,
// each valued at today's contents (AWS takes a snapshot each day; Nimbus keeps no history: README).
import type { Clock } from '../../core/clock.ts'
import type { MinuteBucket, MinuteLog } from '../../core/minute-log.ts'
import type { MetricSource, SourcedPoint, SourcedSeries } from '../cloudwatch/port.ts'
import { type MinuteMetric, minuteSeries } from '../minute-metrics.ts'
import type { Bucket } from './bucket.ts'
import type { S3State } from './store.ts'

const requestMetrics: Record<string, MinuteMetric> = {
  AllRequests: { unit: 'Count', counter: 'AllRequests' },
  GetRequests: { unit: 'Count', counter: 'GetRequests' },
  PutRequests: { unit: 'Count', counter: 'PutRequests' },
  DeleteRequests: { unit: 'Count', counter: 'DeleteRequests' },
  HeadRequests: { unit: 'Count', counter: 'HeadRequests' },
  PostRequests: { unit: 'Count', counter: 'PostRequests' },
  ListRequests: { unit: 'Count', counter: 'ListRequests' },
  BytesDownloaded: { unit: 'Bytes', counter: 'BytesDownloaded' },
  BytesUploaded: { unit: 'Bytes', counter: 'BytesUploaded' },
  '4xxErrors': { unit: 'Count', measure: '4xxErrors' },
  '5xxErrors': { unit: 'Count', measure: '5xxErrors' },
  FirstByteLatency: { unit: 'Milliseconds', measure: 'FirstByteLatency' },
  TotalRequestLatency: { unit: 'Milliseconds', measure: 'TotalRequestLatency' },
}

/** Storage classes → the StorageType dimension AWS reports BucketSizeBytes under. */
const storageTypes: Record<string, string> = {
  STANDARD: 'StandardStorage', STANDARD_IA: 'StandardIAStorage', ONEZONE_IA: 'OneZoneIAStorage',
  REDUCED_REDUNDANCY: 'ReducedRedundancyStorage', INTELLIGENT_TIERING: 'IntelligentTieringFAStorage',
  GLACIER_IR: 'GlacierInstantRetrievalStorage', GLACIER: 'GlacierStorage', DEEP_ARCHIVE: 'DeepArchiveStorage',
}

const day = 86_400_000
/** CloudWatch keeps daily datapoints 455 days (hourly-or-longer retention). */
const maxDays = 455

export function s3MetricSource(state: S3State, log: MinuteLog, clock: Clock): MetricSource {
  return {
    namespace: 'AWS/S3',
    find: (account, region, metricName, dimensions) => {
      if (dimensions.length !== 2) return undefined
      const bucketName = dimensions.find((d) => d.Name === 'BucketName')?.Value
      if (bucketName === undefined) return undefined
      const filterId = dimensions.find((d) => d.Name === 'FilterId')?.Value
      if (filterId !== undefined) {
        if (requestMetrics[metricName] === undefined) return undefined
        const buckets = log.buckets(account, region, `${bucketName}\u0000${filterId}`)
        return buckets === undefined ? undefined : requestSeries(bucketName, filterId, buckets, metricName)
      }
      const storageType = dimensions.find((d) => d.Name === 'StorageType')?.Value
      const bucket = state.bucket(bucketName)
      if (storageType === undefined || bucket === undefined || bucket.owner !== account || bucket.region !== region) return undefined
      return storageSeries(bucket, clock.now()).find((s) => s.metricName === metricName && s.dimensions[1]!.Value === storageType)
    },
    list: (account, region) => {
      const out: SourcedSeries[] = []
      for (const [series, buckets] of log.all(account, region)) {
        const [bucketName, filterId] = series.split('\u0000') as [string, string]
        for (const m of Object.keys(requestMetrics)) {
          const s = requestSeries(bucketName, filterId, buckets, m)
          if (s !== undefined) out.push(s)
        }
      }
      const now = clock.now()
      for (const bucket of state.allBuckets()) {
        if (bucket.owner === account && bucket.region === region) out.push(...storageSeries(bucket, now))
      }
      return out
    },
  }
}

const requestSeries = (bucketName: string, filterId: string, buckets: readonly MinuteBucket[], metricName: string) =>
  minuteSeries(metricName, requestMetrics[metricName]!, [{ Name: 'BucketName', Value: bucketName }, { Name: 'FilterId', Value: filterId }], buckets)

/**
 * BucketSizeBytes per storage type present and NumberOfObjects (AllStorageTypes): every version
 * but delete markers counts, as AWS bills them. None until the bucket's first UTC day has ended.
 */
function storageSeries(bucket: Bucket, now: number): SourcedSeries[] {
  const today = now - (now % day)
  const created = bucket.created.getTime()
  const first = Math.max(created - (created % day), today - maxDays * day)
  if (first >= today) return []
  const sizes = new Map<string, number>()
  let objects = 0
  for (const v of bucket.allVersions()) {
    if (v.deleteMarker) continue
    objects++
    const type = storageTypes[v.storageClass] ?? 'StandardStorage'
    sizes.set(type, (sizes.get(type) ?? 0) + v.size)
  }
  const daily = (value: number): SourcedPoint[] => {
    const points: SourcedPoint[] = []
    for (let t = first; t < today; t += day) points.push({ t, n: 1, sum: value, min: value, max: value })
    return points
  }
  const out: SourcedSeries[] = []
  for (const [type, size] of sizes) {
    out.push({ metricName: 'BucketSizeBytes', dimensions: [{ Name: 'BucketName', Value: bucket.name }, { Name: 'StorageType', Value: type }],
      unit: 'Bytes', combine: 'average', steps: [], points: daily(size) })
  }
  if (objects > 0) {
    out.push({ metricName: 'NumberOfObjects', dimensions: [{ Name: 'BucketName', Value: bucket.name }, { Name: 'StorageType', Value: 'AllStorageTypes' }],
      unit: 'Count', combine: 'average', steps: [], points: daily(objects) })
  }
  return out
}
