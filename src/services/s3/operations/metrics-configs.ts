// Put/Get/Delete/ListBucketMetricsConfiguration: the request-metrics filters (Id, Prefix / Tag /
// AccessPointArn / And) stored with the bucket ('metrics' config, durable with it), at most 1,000 per
// bucket, listed 100 a page. Putting one turns on the bucket's AWS/S3 request metrics (request-metrics.ts).
import type { OperationTable } from '../../service.ts'
import { responseStatus } from '../../../protocol/http.ts'
import { s3Errors } from '../errors.ts'
import { AwsError } from '../../../protocol/errors.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import type { RequestMetrics } from '../request-metrics.ts'
import type { S3State } from '../store.ts'

/** AWS: "You can have a maximum of 1,000 metrics configurations per bucket." */
const maxConfigurations = 1000
const pageSize = 100

const noSuchConfiguration = () => new AwsError('NoSuchConfiguration', 'The specified configuration does not exist.', { status: 404 })
const tooMany = () => new AwsError('TooManyConfigurations', 'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.', { status: 400 })

export function metricsConfigOperations(state: S3State, metrics: RequestMetrics): OperationTable<S3Operations> {
  const list = (bucketName: string): T.MetricsConfiguration[] =>
    (state.requireBucket(bucketName).configs.get('metrics') as T.MetricsConfiguration[] | undefined) ?? []
  const save = (bucketName: string, configs: T.MetricsConfiguration[]): void => {
    const bucket = state.requireBucket(bucketName)
    if (configs.length === 0) bucket.configs.delete('metrics')
    else bucket.configs.set('metrics', configs)
    bucket.saved()
    metrics.configured(bucket)
  }
  return {
    PutBucketMetricsConfiguration: (input) => {
      const config = input.MetricsConfiguration
      if (config === undefined || config.Id === undefined) throw s3Errors.malformedXml()
      checkId(input.Id)
      // The Id in the query names the configuration; the document's must be the same [R: wording].
      if (config.Id !== input.Id) throw s3Errors.invalidArgument('Configuration ID mismatch', 'id', input.Id)
      checkFilter(config.Filter)
      const configs = list(input.Bucket).filter((c) => c.Id !== input.Id)
      if (configs.length >= maxConfigurations) throw tooMany()
      save(input.Bucket, [...configs, { Id: config.Id, ...(config.Filter !== undefined && { Filter: config.Filter }) }])
      return undefined as unknown as void
    },
    GetBucketMetricsConfiguration: (input) => {
      const config = list(input.Bucket).find((c) => c.Id === input.Id)
      if (config === undefined) throw noSuchConfiguration()
      return { MetricsConfiguration: config }
    },
    DeleteBucketMetricsConfiguration: (input) => {
      const configs = list(input.Bucket)
      if (!configs.some((c) => c.Id === input.Id)) throw noSuchConfiguration()
      save(input.Bucket, configs.filter((c) => c.Id !== input.Id))
      return { [responseStatus]: 204 } as unknown as void
    },
    ListBucketMetricsConfigurations: (input) => {
      const configs = list(input.Bucket)
      // The token is the index of the page's first configuration, opaque to clients.
      const start = input.ContinuationToken === undefined ? 0 : Number.parseInt(Buffer.from(input.ContinuationToken, 'base64url').toString(), 10)
      if (!Number.isInteger(start) || start < 0) throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken)
      const page = configs.slice(start, start + pageSize)
      const truncated = start + pageSize < configs.length
      return {
        IsTruncated: truncated,
        ...(input.ContinuationToken !== undefined && { ContinuationToken: input.ContinuationToken }),
        ...(truncated && { NextContinuationToken: Buffer.from(String(start + pageSize)).toString('base64url') }),
        ...(page.length > 0 && { MetricsConfigurationList: page }),
      }
    },
  }
}

/** AWS limits configuration ids to 64 characters of letters, digits, `.`, `-` and `_` [R: wording]. */
function checkId(id: string): void {
  if (id.length === 0 || id.length > 64 || !/^[A-Za-z0-9._-]+$/.test(id)) throw s3Errors.invalidArgument('Invalid id', 'id', id)
}

/** A filter names exactly one of Prefix, Tag, AccessPointArn or And (AWS's schema: MalformedXML otherwise). */
function checkFilter(filter: T.MetricsFilter | undefined): void {
  if (filter === undefined) return
  const given = [filter.Prefix, filter.Tag, filter.AccessPointArn, filter.And].filter((v) => v !== undefined).length
  if (given > 1) throw s3Errors.malformedXml()
  if (filter.Tag !== undefined && (filter.Tag.Key === undefined || filter.Tag.Value === undefined)) throw s3Errors.malformedXml()
  if (filter.And !== undefined) {
    const parts = (filter.And.Prefix !== undefined ? 1 : 0) + (filter.And.Tags?.length ?? 0) + (filter.And.AccessPointArn !== undefined ? 1 : 0)
    if (parts < 2) throw s3Errors.malformedXml()
  }
}
