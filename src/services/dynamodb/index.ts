// DynamoDB: tables with secondary indexes on the clock, items with the expression language, Query,
// Scan, batches and transactions — durable with a data dir (dynamodb-rows.ts); AWS/DynamoDB metrics (metrics.ts).
import type { Clock } from '../../core/clock.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import { ServiceModel } from '../../protocol/model.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { dynamodbConsole } from './console.ts'
import { dynamodbDescriptor } from './descriptor.ts'
import type { KinesisPort } from '../kinesis/port.ts'
import type { S3Port } from '../s3/port.ts'
import { DynamoRows } from './dynamodb-rows.ts'
import { dynamoErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { DynamoDbOperations } from './generated/types.ts'
import { backupOperations } from './operations/backups.ts'
import { batchOperations } from './operations/batch.ts'
import { exportOperations } from './operations/exports.ts'
import { importOperations } from './operations/imports.ts'
import { itemOperations } from './operations/items.ts'
import { kinesisDestinationOperations } from './operations/kinesis-destinations.ts'
import { partiqlOperations } from './operations/partiql.ts'
import { queryOperations } from './operations/query.ts'
import { tableOperations } from './operations/tables.ts'
import { tagOperations } from './operations/tags.ts'
import { transactionOperations } from './operations/transactions.ts'
import { ttlBackupOperations } from './operations/ttl-backups.ts'
import type { DynamoDbPort } from './port.ts'
import { streamPort } from './stream-port.ts'
import { withRequestMetrics } from './request-metrics.ts'
import { DynamoState } from './store.ts'

export interface DynamoDbDeps {
  clock: Clock
  /** With a data dir, tables, items and transaction tokens are durable (read back here at start). */
  persistence?: Persistence
  /** Exports write their objects to S3 through its port. */
  s3?: S3Port
  /** Kinesis streaming destinations put their records through Kinesis's port. */
  kinesis?: KinesisPort
  /** A table's AWS/DynamoDB metrics gained a minute (CloudWatch's alarms re-plan). */
  metricsChanged?: (account: string, region: string) => void
}

export function createDynamoDb(deps: DynamoDbDeps): { definition: ServiceDefinition; port: DynamoDbPort; state: DynamoState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new DynamoState(deps.clock, durable === undefined ? undefined : new DynamoRows(durable), deps.metricsChanged)
  state.kinesis = deps.kinesis
  const operations = withRequestMetrics(state, {
    ...tableOperations(state),
    ...itemOperations(state),
    ...queryOperations(state),
    ...batchOperations(state),
    ...transactionOperations(state),
    ...partiqlOperations(state),
    ...tagOperations(state),
    ...ttlBackupOperations(state),
    ...backupOperations(state),
    ...exportOperations(state, deps.s3),
    ...kinesisDestinationOperations(state),
    ...importOperations(state, deps.s3),
  } satisfies OperationTable<DynamoDbOperations>)

  const definition = defineService({
    name: dynamodbDescriptor.name,
    signingName: dynamodbDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: dynamodbDescriptor.protocols,
    operations,
    errors: { missingParameter: dynamoErrors.missingParameter },
    reset: () => state.reset(),
    // With a data dir the rows stay for the next start.
    stop: () => {
      state.ttl.reset()
      if (durable === undefined) state.reset()
    },
    health: () => ({ status: 'running', tables: state.allTables().length }),
    console: dynamodbConsole(state),
  })
  const port: DynamoDbPort = { tableExists: (account, region, name) => state.find(account, region, name) !== undefined, ...streamPort(state),
    metrics: state.metrics.source() }
  return { definition, port, state }
}
