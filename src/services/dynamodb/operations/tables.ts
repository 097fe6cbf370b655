// CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables, DescribeEndpoints, DescribeLimits.
import { randomUUID } from 'node:crypto'
import type { Operation } from '../../service.ts'
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { DynamoState } from '../store.ts'
import { checkBilling, checkSchema, checkTableName, checkThroughput } from './table-validation.ts'
import { describeTable } from './describe.ts'
import { applyIndexUpdates } from './index-updates.ts'
import { checkTags } from './tags.ts'
import type { StreamViewType } from '../streams.ts'
import type { Table } from '../table.ts'

// In the order DynamoDB's enum message lists them.
const viewTypes = ['OLD_IMAGE', 'KEYS_ONLY', 'NEW_AND_OLD_IMAGES', 'NEW_IMAGE']

/**
 * A StreamSpecification's view type when it enables a stream, undefined when it disables one —
 * with DynamoDB's messages, which CreateTable and UpdateTable word differently.
 */
function checkStreamSpecification(spec: T.StreamSpecification | undefined, call: 'create' | 'update'): StreamViewType | undefined {
  if (spec === undefined) return undefined
  const view = spec.StreamViewType
  if (view !== undefined && !viewTypes.includes(view)) {
    throw dynamoErrors.constraint(view, 'streamSpecification.streamViewType', `Member must satisfy enum value set: [${viewTypes.join(', ')}]`)
  }
  if (typeof spec.StreamEnabled !== 'boolean') throw dynamoErrors.constraint(null, 'streamSpecification.streamEnabled', 'Member must not be null')
  if (spec.StreamEnabled && view === undefined) {
    throw dynamoErrors.invalid(call === 'create' ? 'Table is being created with a stream enabled, UpdateViewType is required'
      : 'If stream is being enabled then UpdateViewType is required')
  }
  if (!spec.StreamEnabled && view !== undefined) {
    throw dynamoErrors.invalid(call === 'create' ? 'Table is being created with a stream disabled, UpdateViewType should not be specified'
      : 'If stream is being disabled, then UpdateViewType must not be specified')
  }
  return spec.StreamEnabled ? view as StreamViewType : undefined
}

export function tableOperations(state: DynamoState) {
  const createTable: Operation<T.CreateTableInput, T.CreateTableOutput> = (input, ctx) => {
    const name = checkTableName(input.TableName)
    const { billingMode, throughput } = checkBilling(input.BillingMode, input.ProvisionedThroughput)
    const { key, indexes } = checkSchema(input, billingMode)
    if (input.Tags !== undefined) checkTags(input.Tags)
    const tableClass = input.TableClass ?? 'STANDARD'
    if (tableClass !== 'STANDARD' && tableClass !== 'STANDARD_INFREQUENT_ACCESS') {
      throw dynamoErrors.constraint(tableClass, 'tableClass', 'Member must satisfy enum value set: [STANDARD_INFREQUENT_ACCESS, STANDARD]')
    }
    const streamView = checkStreamSpecification(input.StreamSpecification, 'create')
    const now = ctx.clock.now()
    const table = state.create({
      name, account: ctx.caller.account, region: ctx.caller.region, id: randomUUID(), creationTime: now, key,
      attributeDefinitions: input.AttributeDefinitions!.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType as 'S' })),
      billingMode, throughput, indexes, deletionProtection: input.DeletionProtectionEnabled === true, tableClass,
      tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value])),
      activeAt: now + limits.transitionMs, transition: 'CREATING',
      ...(billingMode === 'PAY_PER_REQUEST' && { billingModeChanged: now }),
    })
    if (streamView !== undefined) state.enableStream(table, streamView)
    return { TableDescription: describeTable(table, now, state.latestStream(table)) }
  }

  const describe: Operation<T.DescribeTableInput, T.DescribeTableOutput> = (input, ctx) => {
    const table = state.require(ctx.caller.account, ctx.caller.region, input.TableName)
    return { Table: describeTable(table, ctx.clock.now(), state.latestStream(table)) }
  }

  const deleteTable: Operation<T.DeleteTableInput, T.DeleteTableOutput> = (input, ctx) => {
    const table = state.require(ctx.caller.account, ctx.caller.region, input.TableName)
    const now = ctx.clock.now()
    const status = table.status(now)
    if (status === 'CREATING') throw dynamoErrors.inUse(`Table is being created: ${table.name}`)
    if (status === 'DELETING') throw dynamoErrors.inUse(`Table is being deleted: ${table.name}`)
    if (table.def.deletionProtection) {
      throw dynamoErrors.validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.')
    }
    // The description shows the table as it was, now DELETING.
    const description = describeTable(table, now, state.latestStream(table))
    state.delete(table)
    return { TableDescription: { ...description, TableStatus: 'DELETING' } }
  }

  const updateTable: Operation<T.UpdateTableInput, T.UpdateTableOutput> = (input, ctx) => {
    const table = state.require(ctx.caller.account, ctx.caller.region, input.TableName)
    const now = ctx.clock.now()
    const status = table.status(now)
    if (status !== 'ACTIVE') throw dynamoErrors.inUse(`Table is being ${status === 'CREATING' ? 'created' : status === 'DELETING' ? 'deleted' : 'updated'}: ${table.name}`)
    if (input.ReplicaUpdates !== undefined || input.SSESpecification !== undefined) {
      throw dynamoErrors.validation('Nimbus does not serve this UpdateTable change (replica or SSE updates) yet; see the Gaps in Nimbus\'s dynamodb README.')
    }
    const def = table.def
    // DynamoDB refuses a stream change beside a throughput change.
    if (input.StreamSpecification !== undefined && (input.ProvisionedThroughput !== undefined || input.BillingMode === 'PROVISIONED')) {
      throw dynamoErrors.validation('You cannot modify stream status while updating table IOPS')
    }
    const streamChange = updateStream(table, input.StreamSpecification)
    let changed = applyIndexUpdates(table, input, now)
    if (input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined) {
      const mode = input.BillingMode ?? def.billingMode
      if (mode === 'PAY_PER_REQUEST' && input.ProvisionedThroughput !== undefined) {
        throw dynamoErrors.invalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
      }
      if (mode === 'PROVISIONED') {
        const t = input.ProvisionedThroughput
        if (t === undefined && def.billingMode === 'PAY_PER_REQUEST') {
          throw dynamoErrors.invalid('ProvisionedThroughput must be specified when BillingMode is PROVISIONED')
        }
        if (t !== undefined) {
          const next = checkThroughput(t, 'provisionedThroughput')
          if (def.billingMode === 'PROVISIONED' && next.read === def.throughput.read && next.write === def.throughput.write && input.BillingMode === undefined) {
            throw dynamoErrors.validation(`The provisioned throughput for the table will not change. The requested value equals the current value. ` +
              `Current ReadCapacityUnits provisioned for the table: ${def.throughput.read}. Requested ReadCapacityUnits: ${next.read}. ` +
              `Current WriteCapacityUnits provisioned for the table: ${def.throughput.write}. Requested WriteCapacityUnits: ${next.write}. ` +
              'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.')
          }
          def.throughput = next
        }
      } else {
        def.throughput = { read: 0, write: 0 }
        if (def.billingMode !== 'PAY_PER_REQUEST') def.billingModeChanged = now
      }
      def.billingMode = mode as 'PROVISIONED'
      changed = true
    }
    if (input.DeletionProtectionEnabled !== undefined) def.deletionProtection = input.DeletionProtectionEnabled
    if (input.TableClass !== undefined) {
      def.tableClass = input.TableClass
      changed = true
    }
    streamChange?.()
    if (changed || streamChange !== undefined) {
      def.transition = 'UPDATING'
      def.activeAt = now + limits.transitionMs
    }
    state.saved(table)
    state.watch(table)
    return { TableDescription: describeTable(table, now, state.latestStream(table)) }
  }

  /** UpdateTable's StreamSpecification checked; the change to apply once every other check passed. */
  function updateStream(table: Table, spec: T.StreamSpecification | undefined): (() => void) | undefined {
    if (spec === undefined) return undefined
    const view = checkStreamSpecification(spec, 'update')
    const current = state.enabledStream(table)
    if (view !== undefined) {
      if (current !== undefined) throw dynamoErrors.validation(`Table already has an enabled stream: TableName: ${table.name}`)
      return () => state.enableStream(table, view)
    }
    if (current === undefined) throw dynamoErrors.validation(`Table has no stream to disable: TableName: ${table.name}`)
    return () => state.disableStream(table)
  }

  const listTables: Operation<T.ListTablesInput, T.ListTablesOutput> = (input, ctx) => {
    const limit = input.Limit ?? limits.maxListTablesLimit
    if (limit < 1) throw dynamoErrors.constraint(limit, 'limit', 'Member must have value greater than or equal to 1')
    if (limit > limits.maxListTablesLimit) throw dynamoErrors.constraint(limit, 'limit', 'Member must have value less than or equal to 100')
    const names = [...state.tables(ctx.caller.account, ctx.caller.region).keys()]
      .filter((n) => state.find(ctx.caller.account, ctx.caller.region, n) !== undefined)
      .sort()
    const start = input.ExclusiveStartTableName
    const rest = start === undefined ? names : names.filter((n) => n > start)
    const page = rest.slice(0, limit)
    return { TableNames: page, ...(rest.length > page.length && { LastEvaluatedTableName: page[page.length - 1] }) }
  }

  const describeEndpoints: Operation<T.DescribeEndpointsRequest, T.DescribeEndpointsResponse> = (_input, ctx) => ({
    Endpoints: [{ Address: ctx.host, CachePeriodInMinutes: 1440 }],
  })

  const describeLimits: Operation<T.DescribeLimitsInput, T.DescribeLimitsOutput> = () => ({
    AccountMaxReadCapacityUnits: limits.accountMaxReadCapacityUnits,
    AccountMaxWriteCapacityUnits: limits.accountMaxWriteCapacityUnits,
    TableMaxReadCapacityUnits: limits.tableMaxReadCapacityUnits,
    TableMaxWriteCapacityUnits: limits.tableMaxWriteCapacityUnits,
  })

  return {
    CreateTable: createTable, DescribeTable: describe, DeleteTable: deleteTable, UpdateTable: updateTable, ListTables: listTables,
    DescribeEndpoints: describeEndpoints, DescribeLimits: describeLimits,
  }
}
