// RestoreObject: 202 when a restore starts, 200 when a restored copy exists (its expiry moves),
// 409 RestoreAlreadyInProgress while one runs [D].
import { responseStatus } from '../../../protocol/http.ts'
import type { OperationTable } from '../../service.ts'
import type * as T from '../generated/types.ts'
import type { S3Operations } from '../generated/types.ts'
import { readableVersion } from '../object-lookup.ts'
import type { Restorer, Tier } from '../restore.ts'
import type { S3State } from '../store.ts'
import { source } from './objects.ts'

export function restoreOperations(state: S3State, restorer: Restorer): OperationTable<S3Operations> {
  return {
    RestoreObject: (input, ctx) => {
      const bucket = state.requireBucket(input.Bucket)
      const version = readableVersion(bucket, input.Key, input.VersionId, 'POST')
      const request = input.RestoreRequest
      const tier: Tier = request?.GlacierJobParameters?.Tier ?? request?.Tier ?? 'Standard'
      const outcome = restorer.request(bucket, version, request?.Days, tier, source(ctx))
      return { [responseStatus]: outcome === 'accepted' ? 202 : 200 } as T.RestoreObjectOutput
    },
  }
}
