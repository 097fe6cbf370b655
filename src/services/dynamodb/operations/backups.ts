// On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup, RestoreTableFromBackup)
// and RestoreTableToPointInTime: a restore creates a new table (CREATING on the clock) holding the
// backup's items, or the source table's items as they were at the instant asked for.
import { randomUUID } from 'node:crypto'
import { AwsError } from '../../../protocol/errors.ts'
import type { Operation, OperationContext } from '../../service.ts'
import { fromJsonItem, type Item } from '../attribute-value.ts'
import { type BackupDefinition, backupStatus, settledIndexes } from '../backups.ts'
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import { latestLagMs } from '../pitr.ts'
import type { DynamoState } from '../store.ts'
import type { IndexDefinition, TableDefinition } from '../table.ts'
import { describeTable, keySchemaOut, projectionOut } from './describe.ts'
import { checkBilling, checkTableName } from './table-validation.ts'

// [R] the backup calls' messages.
const backupNotFound = (arn: string) => new AwsError('BackupNotFoundException', `Backup not found: ${arn}`)
const tableNotFound = (name: string) => new AwsError('TableNotFoundException', `Table not found: ${name}`)

function summary(b: BackupDefinition, now: number): T.BackupSummary {
  return {
    TableName: b.table.name, TableId: b.table.id, TableArn: b.tableArn, BackupArn: b.arn, BackupName: b.name,
    BackupCreationDateTime: new Date(b.createdAt), BackupStatus: backupStatus(b, now), BackupType: 'USER', BackupSizeBytes: b.bytes,
  }
}

function details(b: BackupDefinition, now: number, status?: T.BackupStatus): T.BackupDetails {
  return {
    BackupArn: b.arn, BackupName: b.name, BackupSizeBytes: b.bytes, BackupStatus: status ?? backupStatus(b, now), BackupType: 'USER',
    BackupCreationDateTime: new Date(b.createdAt),
  }
}

function description(b: BackupDefinition, now: number, status?: T.BackupStatus): T.BackupDescription {
  const t = b.table
  const lsis = t.indexes.filter((i) => i.kind === 'LSI').map((i) => ({ IndexName: i.name, KeySchema: keySchemaOut(i.key), Projection: projectionOut(i) }))
  const gsis = t.indexes.filter((i) => i.kind === 'GSI').map((i) => ({
    IndexName: i.name, KeySchema: keySchemaOut(i.key), Projection: projectionOut(i),
    ProvisionedThroughput: { ReadCapacityUnits: i.throughput?.read ?? 0, WriteCapacityUnits: i.throughput?.write ?? 0 },
  }))
  return {
    BackupDetails: details(b, now, status),
    SourceTableDetails: {
      TableName: t.name, TableId: t.id, TableArn: b.tableArn, TableSizeBytes: b.bytes, KeySchema: keySchemaOut(t.key),
      TableCreationDateTime: new Date(t.creationTime), ItemCount: b.items.length, BillingMode: t.billingMode,
      ProvisionedThroughput: { ReadCapacityUnits: t.throughput.read, WriteCapacityUnits: t.throughput.write },
    },
    SourceTableFeatureDetails: {
      ...(lsis.length > 0 && { LocalSecondaryIndexes: lsis }),
      ...(gsis.length > 0 && { GlobalSecondaryIndexes: gsis }),
      ...(b.streamViewType !== undefined && { StreamDescription: { StreamEnabled: true, StreamViewType: b.streamViewType as T.StreamViewType } }),
      ...(b.ttl !== undefined && { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: b.ttl.attributeName } }),
    },
  }
}

interface RestoreOverrides {
  BillingModeOverride?: string
  ProvisionedThroughputOverride?: T.ProvisionedThroughput
  GlobalSecondaryIndexOverride?: { IndexName: string; ProvisionedThroughput?: T.ProvisionedThroughput }[]
  LocalSecondaryIndexOverride?: { IndexName: string }[]
  SSESpecificationOverride?: unknown
}

/**
 * The indexes a restore keeps: an override lists the source's indexes to keep (AWS: "should match
 * existing secondary indexes"; some or all may be left out), a GSI's throughput taken from it.
 */
function keptIndexes(indexes: IndexDefinition[], o: RestoreOverrides): IndexDefinition[] {
  const keep = (kind: 'GSI' | 'LSI', list: { IndexName: string; ProvisionedThroughput?: T.ProvisionedThroughput }[] | undefined) => {
    const own = indexes.filter((i) => i.kind === kind)
    if (list === undefined) return own
    return list.map((entry) => {
      const index = own.find((i) => i.name === entry.IndexName)
      // [R] the wording for an index the source never had.
      if (index === undefined) throw dynamoErrors.invalid(`${kind === 'GSI' ? 'Global' : 'Local'} secondary index ${entry.IndexName} does not exist in the source table`)
      const t = entry.ProvisionedThroughput
      return t === undefined ? index : { ...index, throughput: { read: t.ReadCapacityUnits, write: t.WriteCapacityUnits } }
    })
  }
  return [...keep('LSI', o.LocalSecondaryIndexOverride), ...keep('GSI', o.GlobalSecondaryIndexOverride)]
}

/** A new table from a source definition and items, CREATING for the transition time. */
function restore(state: DynamoState, ctx: OperationContext, source: BackupDefinition['table'], items: Item[], target: string,
  overrides: RestoreOverrides, summary: NonNullable<TableDefinition['restore']>, operation: string): T.TableDescription {
  checkTableName(target, 'targetTableName')
  if (overrides.SSESpecificationOverride !== undefined) throw dynamoErrors.validation(`Nimbus does not serve SSESpecificationOverride in ${operation} yet`)
  const indexes = keptIndexes(source.indexes, overrides)
  if (state.find(ctx.caller.account, ctx.caller.region, target) !== undefined) {
    throw new AwsError('TableAlreadyExistsException', `Table already exists: ${target}`)
  }
  const mode = overrides.BillingModeOverride ?? source.billingMode
  const { billingMode, throughput } = checkBilling(mode, overrides.ProvisionedThroughputOverride ??
    (mode === 'PROVISIONED' ? (source.billingMode === 'PROVISIONED' ? { ReadCapacityUnits: source.throughput.read, WriteCapacityUnits: source.throughput.write }
      : { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }) : undefined))
  const now = ctx.clock.now()
  const table = state.create({
    name: target, account: ctx.caller.account, region: ctx.caller.region, id: randomUUID(), creationTime: now, key: source.key,
    attributeDefinitions: source.attributeDefinitions.filter((d) => [source.key, ...indexes.map((i) => i.key)]
      .some((k) => k.hash === d.AttributeName || k.range === d.AttributeName)),
    billingMode, throughput,
    indexes: indexes.map((i) => ({ ...i, ...(i.kind === 'GSI' && billingMode === 'PROVISIONED' && i.throughput === undefined && { throughput }) })),
    deletionProtection: false, tableClass: source.tableClass, tags: {}, activeAt: now + limits.transitionMs, transition: 'CREATING',
    ...(billingMode === 'PAY_PER_REQUEST' && { billingModeChanged: now }), restore: summary,
  })
  for (const item of items) state.putItem(table, item)
  return describeTable(table, now, undefined)
}

export function backupOperations(state: DynamoState) {
  const findBackup = (arn: string, ctx: OperationContext) => {
    const b = state.backups.get(arn)
    if (b === undefined || b.account !== ctx.caller.account || b.region !== ctx.caller.region) throw backupNotFound(arn)
    return b
  }

  const createBackup: Operation<T.CreateBackupInput, T.CreateBackupOutput> = (input, ctx) => {
    checkTableName(input.BackupName, 'backupName')
    const table = state.find(ctx.caller.account, ctx.caller.region, input.TableName)
    if (table === undefined) throw tableNotFound(input.TableName)
    const status = table.status(ctx.clock.now())
    // [R] a table that is not ACTIVE cannot be backed up.
    if (status === 'CREATING' || status === 'DELETING') throw new AwsError('TableInUseException', `Table is being ${status === 'CREATING' ? 'created' : 'deleted'}: ${table.name}`)
    const b = state.backups.create(table, input.BackupName, ctx.clock.now(), state.enabledStream(table)?.def.viewType)
    return { BackupDetails: details(b, ctx.clock.now()) }
  }

  const describeBackup: Operation<T.DescribeBackupInput, T.DescribeBackupOutput> = (input, ctx) =>
    ({ BackupDescription: description(findBackup(input.BackupArn, ctx), ctx.clock.now()) })

  const deleteBackup: Operation<T.DeleteBackupInput, T.DeleteBackupOutput> = (input, ctx) => {
    const b = findBackup(input.BackupArn, ctx)
    const now = ctx.clock.now()
    // [R] a backup still being created cannot be deleted.
    if (backupStatus(b, now) === 'CREATING') throw new AwsError('BackupInUseException', `Backup is being created: ${b.arn}`)
    state.backups.delete(b.arn)
    return { BackupDescription: description(b, now, 'DELETED') }
  }

  const listBackups: Operation<T.ListBackupsInput, T.ListBackupsOutput> = (input, ctx) => {
    if (input.Limit !== undefined && (input.Limit < 1 || input.Limit > 100)) {
      throw dynamoErrors.constraint(input.Limit, 'limit', `Member must have value ${input.Limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`)
    }
    const now = ctx.clock.now()
    const lower = input.TimeRangeLowerBound?.getTime()
    const upper = input.TimeRangeUpperBound?.getTime()
    let list = state.backups.list(ctx.caller.account, ctx.caller.region)
      .filter((b) => input.TableName === undefined || b.table.name === input.TableName)
      .filter((b) => (lower === undefined || b.createdAt >= lower) && (upper === undefined || b.createdAt < upper))
      .filter(() => input.BackupType === undefined || input.BackupType === 'USER' || input.BackupType === 'ALL')
    if (input.ExclusiveStartBackupArn !== undefined) {
      const at = list.findIndex((b) => b.arn === input.ExclusiveStartBackupArn)
      list = at < 0 ? [] : list.slice(at + 1)
    }
    const page = input.Limit === undefined ? list : list.slice(0, input.Limit)
    return {
      BackupSummaries: page.map((b) => summary(b, now)),
      ...(page.length < list.length && { LastEvaluatedBackupArn: page[page.length - 1]!.arn }),
    }
  }

  const restoreFromBackup: Operation<T.RestoreTableFromBackupInput, T.RestoreTableFromBackupOutput> = (input, ctx) => {
    const b = findBackup(input.BackupArn, ctx)
    const now = ctx.clock.now()
    // [R] a backup still being created cannot be restored.
    if (backupStatus(b, now) === 'CREATING') throw new AwsError('BackupInUseException', `Backup is being created: ${b.arn}`)
    const items = b.items.map((i) => fromJsonItem(i as Record<string, Record<string, unknown>>))
    return { TableDescription: restore(state, ctx, b.table, items, input.TargetTableName, input,
      { sourceBackupArn: b.arn, sourceTableArn: b.tableArn, restoreDateTime: b.createdAt }, 'RestoreTableFromBackup') }
  }

  const restoreToPointInTime: Operation<T.RestoreTableToPointInTimeInput, T.RestoreTableToPointInTimeOutput> = (input, ctx) => {
    const name = input.SourceTableName ?? input.SourceTableArn
    if (name === undefined) throw dynamoErrors.validation('Either SourceTableName or SourceTableArn must be specified')
    const source = state.find(ctx.caller.account, ctx.caller.region, name)
    if (source === undefined || source.def.goneAt !== undefined) throw tableNotFound(name)
    const now = ctx.clock.now()
    const earliest = state.pitr.earliest(source.def.id, now)
    // [R] the message when point-in-time recovery is off.
    if (earliest === undefined) throw new AwsError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${source.name}'`)
    const latest = Math.max(earliest, now - latestLagMs)
    if (input.UseLatestRestorableTime === true && input.RestoreDateTime !== undefined) {
      throw dynamoErrors.validation('Only one of RestoreDateTime or UseLatestRestorableTime can be specified')
    }
    const at = input.UseLatestRestorableTime === true ? latest : input.RestoreDateTime?.getTime()
    if (at === undefined) throw dynamoErrors.validation('Either RestoreDateTime or UseLatestRestorableTime must be specified')
    if (at < earliest || at > latest) {
      throw new AwsError('InvalidRestoreTimeException', 'RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime.')
    }
    const d = source.def
    const def = { name: d.name, id: d.id, creationTime: d.creationTime, key: d.key, attributeDefinitions: d.attributeDefinitions,
      billingMode: d.billingMode, throughput: d.throughput, indexes: settledIndexes(d.indexes), tableClass: d.tableClass }
    return { TableDescription: restore(state, ctx, def, state.pitr.itemsAt(d.id, at), input.TargetTableName, input,
      { sourceTableArn: source.arn, restoreDateTime: at }, 'RestoreTableToPointInTime') }
  }

  return {
    CreateBackup: createBackup, DescribeBackup: describeBackup, DeleteBackup: deleteBackup, ListBackups: listBackups,
    RestoreTableFromBackup: restoreFromBackup, RestoreTableToPointInTime: restoreToPointInTime,
  }
}
