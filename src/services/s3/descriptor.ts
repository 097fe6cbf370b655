// What identifies S3 to the gateway before its code loads (services/lazy.ts). Kept light: it imports
// only the addressing rules, never the service.
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'
import { bucketFromHost, looksLikeS3 } from './addressing.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const s3ConsoleCatalog: ConsoleCatalog = {
  label: 'S3',
  resourceTypes: [{ type: 'bucket', label: 'Buckets', columns: [{ key: 'objects', label: 'Objects' }, { key: 'versioning', label: 'Versioning' },
    { key: 'created', label: 'Created' }] }],
}

export const s3Descriptor: ServiceDescriptor = {
  name: 's3',
  signingName: 's3',
  protocols: ['rest-xml'],
  apiVersion: '2006-03-01',
  claimsHost: (host) => bucketFromHost(host) !== undefined,
  catchAll: looksLikeS3,
  // PutObject and UploadPart (index.ts's streamingOperations).
  streamingMethods: ['PUT'],
  consoleCatalog: s3ConsoleCatalog,
}
