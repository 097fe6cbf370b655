// CloudTrail: trails with event selectors (basic and advanced) delivering log files to S3 on the
// clock, event history searched by LookupEvents, and the data-event switch for EventBridge's
// "AWS API Call via CloudTrail" events (api-calls.ts).
import type { Clock } from '../../core/clock.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { S3Port } from '../s3/port.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { CloudTrailRows } from './cloudtrail-rows.ts'
import { cloudTrailDescriptor } from './descriptor.ts'
import { cloudTrailErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { CloudTrailOperations } from './generated/types.ts'
import type { EventHistory } from './history.ts'
import { createCloudTrailPort } from './internal.ts'
import { loggingOperations } from './operations/logging.ts'
import { lookupOperations } from './operations/lookup.ts'
import { selectorOperations } from './operations/selectors.ts'
import { tagOperations } from './operations/tags.ts'
import { trailOperations } from './operations/trails.ts'
import type { CloudTrailPort } from './port.ts'
import { CloudTrailState } from './store.ts'

export interface CloudTrailDeps {
  clock: Clock
  /** Log files are written through S3's port; CreateTrail checks the bucket and its policy there. */
  s3: S3Port
  /** Event history is Nimbus's from the start (every management call lands there, CloudTrail loaded or not). */
  history: EventHistory
  /** With a data dir, trails and their undelivered records are durable (read back here at start). */
  persistence?: Persistence
}

export function createCloudTrail(deps: CloudTrailDeps): { definition: ServiceDefinition; port: CloudTrailPort; state: CloudTrailState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new CloudTrailState(deps.clock, deps.s3, deps.history, durable === undefined ? undefined : new CloudTrailRows(durable))
  const operations = {
    ...trailOperations(state, deps.s3),
    ...loggingOperations(state),
    ...selectorOperations(state),
    ...tagOperations(state),
    ...lookupOperations(state),
  } satisfies OperationTable<CloudTrailOperations>

  const definition = defineService({
    name: cloudTrailDescriptor.name,
    signingName: cloudTrailDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: cloudTrailDescriptor.protocols,
    operations,
    errors: { missingParameter: cloudTrailErrors.missingParameter },
    reset: () => state.reset(),
    // With a data dir the rows stay for the next start.
    stop: () => state.stop(),
    health: () => ({ status: 'running', logFilesWritten: state.logFiles.filesWritten, delivering: state.logFiles.delivering }),
  })
  return { definition, port: createCloudTrailPort(state), state }
}
