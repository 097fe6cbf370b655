// S3: buckets and objects over restXml, path and virtual-host addressing, streaming bodies,
// multipart uploads, versioning, flexible checksums and presigned URLs.
import type { AccessKeyLookup } from '../../core/access-keys.ts'
import type { Clock } from '../../core/clock.ts'
import { ServiceModel } from '../../protocol/model.ts'
import { createBlobStore, FileBlobStore } from '../../storage/blob-store.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { toPathStyle } from './addressing.ts'
import { s3Console } from './console.ts'
import { s3Cors } from './cors.ts'
import { s3Descriptor } from './descriptor.ts'
import { s3Errors } from './errors.ts'
import { model } from './generated/model.ts'
import type { S3Operations } from './generated/types.ts'
import { createS3Port } from './internal.ts'
import type { S3Port } from './port.ts'
import { bucketConfigOperations } from './operations/bucket-configs.ts'
import { bucketOperations } from './operations/buckets.ts'
import { copyOperations } from './operations/copy.ts'
import { deleteOperations } from './operations/deletes.ts'
import { Lifecycle } from './lifecycle.ts'
import { listingOperations } from './operations/listing.ts'
import { multipartOperations } from './operations/multipart.ts'
import { notificationOperations } from './operations/notifications.ts'
import { type NotificationPorts, Notifier } from './notifier.ts'
import { objectTaggingOperations } from './operations/object-tagging.ts'
import { objectOperations } from './operations/objects.ts'
import { postObject, postRequest, withPostObject } from './operations/post-object.ts'
import { restoreOperations } from './operations/restore.ts'
import { authorize } from './access/authorize.ts'
import { servedThroughAccessPointOperation, throughAccessPoint } from './access/through-access-point.ts'
import { Restorer } from './restore.ts'
import { attributeOperations } from './operations/attributes.ts'
import { objectLockOperations } from './operations/object-lock.ts'
import { attachExtras, checkExpectedOwner, checkPresignedExpiry } from './request-extras.ts'
import { S3Rows } from './s3-rows.ts'
import { S3State } from './store.ts'
import { MinuteLog } from '../../core/minute-log.ts'
import { metricsConfigOperations } from './operations/metrics-configs.ts'
import { s3MetricSource } from './metric-source.ts'
import { RequestMetrics } from './request-metrics.ts'

export interface S3Deps {
  clock: Clock
  /** Object bodies go to files here; in memory when absent. */
  dataDir?: string
  /** Where event notifications go; without it PUT ?notification checks no destinations and nothing is sent. */
  notify?: NotificationPorts
  /** With a data dir, buckets, objects and uploads are durable (read back here at start); else in memory. */
  persistence?: Persistence
  /** Which account and principal a key Nimbus issued (IAM users', STS sessions') acts as: bucket policies name them. */
  accessKeys?: AccessKeyLookup
  /** A bucket's AWS/S3 request metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
}

const wireQuirks = {
  // Where two operations share method, path and query flag, the current one wins over the deprecated one.
  preferredOperations: ['GetBucketLifecycleConfiguration', 'PutBucketLifecycleConfiguration', 'GetBucketNotificationConfiguration',
    'PutBucketNotificationConfiguration'],
  // The root elements S3 sends, which the trimmed model doesn't name.
  xmlRootNames: {
    ListObjectsOutput: 'ListBucketResult', ListObjectsV2Output: 'ListBucketResult', ListBucketsOutput: 'ListAllMyBucketsResult',
    ListObjectVersionsOutput: 'ListVersionsResult', GetBucketVersioningOutput: 'VersioningConfiguration',
    GetBucketTaggingOutput: 'Tagging', GetObjectTaggingOutput: 'Tagging', CreateMultipartUploadOutput: 'InitiateMultipartUploadResult',
    CompleteMultipartUploadOutput: 'CompleteMultipartUploadResult', ListPartsOutput: 'ListPartsResult',
    ListMultipartUploadsOutput: 'ListMultipartUploadsResult', DeleteObjectsOutput: 'DeleteResult', GetBucketAclOutput: 'AccessControlPolicy',
    GetObjectAclOutput: 'AccessControlPolicy', GetBucketCorsOutput: 'CORSConfiguration',
    GetBucketLifecycleConfigurationOutput: 'LifecycleConfiguration', GetBucketWebsiteOutput: 'WebsiteConfiguration',
    GetBucketLocationOutput: 'LocationConstraint',
  },
  xmlTextRoots: ['GetBucketLocationOutput'],
  xmlNamespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
}

/** Operations whose body streams to the handler instead of being buffered by the gateway. */
const streamingOperations = ['PutObject', 'UploadPart']

export function createS3(deps: S3Deps): { definition: ServiceDefinition; port: S3Port; state: S3State } {
  const durable = deps.persistence?.durable === true && deps.dataDir !== undefined ? deps.persistence : undefined
  const blobs = createBlobStore(deps.dataDir, durable === undefined ? undefined : () => durable.flushed())
  const state = new S3State(deps.clock, blobs, durable === undefined ? undefined : new S3Rows(durable), durable)
  const notifier = deps.notify === undefined ? undefined : new Notifier(state, deps.notify)
  const lifecycle = new Lifecycle(state)
  const restorer = new Restorer(state)
  if (durable !== undefined && blobs instanceof FileBlobStore) {
    const loaded = state.load((files) => blobs.restore(files))
    // Bodies written before a crash whose rows never committed (never acknowledged) go now.
    blobs.sweep()
    // Timers are data: restores complete or expire, and missed midnights sweep, in due order on the clock.
    for (const bucket of state.allBuckets()) {
      for (const version of bucket.allVersions()) if (version.restore !== undefined) restorer.rearm(bucket, version)
    }
    lifecycle.resume(loaded.lifecycleSweptThrough)
  }
  const metricLog = new MinuteLog(deps.clock, deps.metricsChanged ?? (() => {}))
  const requestMetrics = new RequestMetrics(metricLog, (name) => state.bucket(name))
  for (const bucket of state.allBuckets()) requestMetrics.configured(bucket)
  const port = createS3Port(state, s3MetricSource(state, metricLog, deps.clock))
  const operations = {
    ...bucketOperations(state),
    ...bucketConfigOperations(state, lifecycle),
    ...objectOperations(state),
    ...attributeOperations(state),
    ...objectLockOperations(state),
    ...deleteOperations(state),
    ...copyOperations(state),
    ...objectTaggingOperations(state),
    ...listingOperations(state),
    ...multipartOperations(state),
    ...notificationOperations(state, notifier),
    ...restoreOperations(state, restorer),
    ...metricsConfigOperations(state, requestMetrics),
  } satisfies OperationTable<S3Operations>

  const definition = defineService({
    name: s3Descriptor.name,
    signingName: s3Descriptor.signingName,
    model: new ServiceModel(withPostObject(model), wireQuirks),
    protocols: s3Descriptor.protocols,
    claimsHost: s3Descriptor.claimsHost,
    catchAll: s3Descriptor.catchAll,
    normalizeRequest: toPathStyle,
    streamingOperations,
    // PostObject is no SDK operation: it lives beside the typed table.
    operations: { ...operations, PostObject: postObject(state, deps.accessKeys) },
    cors: s3Cors(state),
    // Unsigned requests reach prepareInput, where bucket policies, ACLs and public access blocks decide (access/authorize.ts).
    allowsAnonymous: () => true,
    // S3 words its own: AccessDenied for no credentials, and its own errors for a header it can't read [R].
    authErrors: {
      missing: () => s3Errors.accessDenied('Access Denied'),
      malformed: (header) => header.startsWith('AWS4-')
        ? s3Errors.authorizationHeaderMalformed()
        : s3Errors.invalidArgument('Unsupported Authorization Type', 'Authorization', header),
    },
    errors: { missingParameter: s3Errors.missingParameter },
    prepareInput: (operation, input, request, ctx) => {
      checkPresignedExpiry(request.query, ctx.clock)
      // An access point alias, ARN or host label stands for its bucket; its policy is checked beside the bucket's.
      const accessPoint = throughAccessPoint(state, input, ctx.caller.region)
      if (accessPoint !== undefined && !servedThroughAccessPointOperation(operation)) throw s3Errors.accessPointOperationRefused(request.method)
      authorize(state, deps.accessKeys, operation, input, request, ctx, accessPoint)
      if (operation === 'PostObject') (input as Record<symbol, unknown>)[postRequest] = request
      checkExpectedOwner(request.headers, input, (name) => state.bucket(name)?.owner)
      // Reads take no x-amz-server-side-encryption: the object's state decides [R: wording].
      if ((operation === 'GetObject' || operation === 'HeadObject') && request.headers['x-amz-server-side-encryption'] !== undefined) {
        throw s3Errors.invalidArgument('x-amz-server-side-encryption header is not supported for this operation.',
          'x-amz-server-side-encryption', request.headers['x-amz-server-side-encryption'])
      }
      if (streamingOperations.includes(operation)) attachExtras(input, request)
    },
    // Request metrics: one map lookup for a bucket without a metrics configuration (request-metrics.ts).
    observe: (operation, input, request, response, ms) => requestMetrics.observe(operation, input, request, response, ms),
    reset: () => {
      requestMetrics.reset()
      lifecycle.stop()
      notifier?.reset()
      state.reset()
    },
    stop: () => {
      lifecycle.stop()
      // With a data dir the rows and bodies stay for the next start.
      if (durable === undefined) state.reset()
    },
    health: () => ({ status: 'running', storage: state.blobs.kind }),
    console: s3Console(state, port),
  })
  return { definition, port, state }
}
