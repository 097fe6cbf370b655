// UpdateTable's GlobalSecondaryIndexUpdates: Create (backfilled from every item, CREATING on the clock),
// Update (throughput) and Delete (DELETING on the clock, then gone). One create or delete per call.
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ScalarType } from '../keys.ts'
import { limits } from '../limits.ts'
import type { Table } from '../table.ts'
import { checkSchema, checkThroughput } from './table-validation.ts'

/** Applies the updates; returns whether the table goes UPDATING. */
export function applyIndexUpdates(table: Table, input: T.UpdateTableInput, now: number): boolean {
  const updates = input.GlobalSecondaryIndexUpdates ?? []
  if (updates.length === 0) return false
  const def = table.def
  const changes = updates.filter((u) => u.Create !== undefined || u.Delete !== undefined)
  // [R] AWS's words for a second online index change in one call.
  if (changes.length > 1) throw dynamoErrors.limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table')
  if (def.indexes.some((i) => i.activeAt !== undefined && now < i.activeAt) && changes.length > 0) {
    throw dynamoErrors.limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table')
  }
  for (const update of updates) {
    const parts = [update.Create, update.Update, update.Delete].filter((p) => p !== undefined)
    if (parts.length !== 1) throw dynamoErrors.invalid('One of GlobalSecondaryIndexUpdate.Create, Update or Delete must be specified')
    if (update.Create !== undefined) create(table, input, update.Create, now)
    else if (update.Delete !== undefined) {
      const index = table.index(update.Delete.IndexName)
      if (index === undefined || index.kind !== 'GSI') {
        throw dynamoErrors.resourceNotFoundWith(`Requested resource not found: Index: ${update.Delete.IndexName} not found`)
      }
      table.removeIndex(index.name, now + limits.transitionMs)
    } else {
      const u = update.Update!
      const index = table.index(u.IndexName)
      if (index === undefined || index.kind !== 'GSI') throw dynamoErrors.resourceNotFoundWith(`Requested resource not found: Index: ${u.IndexName} not found`)
      if (def.billingMode === 'PAY_PER_REQUEST' && u.ProvisionedThroughput !== undefined) {
        throw dynamoErrors.invalid(`ProvisionedThroughput should not be specified for index: ${u.IndexName} when BillingMode is PAY_PER_REQUEST`)
      }
      if (u.ProvisionedThroughput !== undefined) index.throughput = checkThroughput(u.ProvisionedThroughput, 'globalSecondaryIndexUpdates.member.update.provisionedThroughput')
    }
  }
  return true
}

function create(table: Table, input: T.UpdateTableInput, c: T.CreateGlobalSecondaryIndexAction, now: number): void {
  const def = table.def
  if (table.index(c.IndexName) !== undefined) throw dynamoErrors.invalid(`Duplicate index name: ${c.IndexName}`)
  if (def.indexes.filter((i) => i.kind === 'GSI').length >= limits.maxGsis) {
    throw dynamoErrors.limitExceeded(`Subscriber limit exceeded: Number of GlobalSecondaryIndexes exceeds per-table limit of ${limits.maxGsis}`)
  }
  // The new index's key attributes come with the call's AttributeDefinitions, merged with the table's.
  const definitions = new Map(def.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]))
  for (const d of input.AttributeDefinitions ?? []) {
    const known = definitions.get(d.AttributeName)
    if (known !== undefined && known !== d.AttributeType) {
      throw dynamoErrors.invalid(`Cannot change the type of attribute ${d.AttributeName} from ${known} to ${d.AttributeType}`)
    }
    definitions.set(d.AttributeName, d.AttributeType as ScalarType)
  }
  const keyNames = new Set(c.KeySchema.map((k) => k.AttributeName))
  const used = [...definitions].filter(([name]) => keyNames.has(name) || name === def.key.hash || name === def.key.range)
  const checked = checkSchema({
    TableName: def.name,
    KeySchema: [{ AttributeName: def.key.hash, KeyType: 'HASH' }, ...(def.key.range === undefined ? [] : [{ AttributeName: def.key.range, KeyType: 'RANGE' as const }])],
    AttributeDefinitions: used.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    GlobalSecondaryIndexes: [{ IndexName: c.IndexName, KeySchema: c.KeySchema, Projection: c.Projection,
      ...(c.ProvisionedThroughput !== undefined && { ProvisionedThroughput: c.ProvisionedThroughput }) }],
  }, def.billingMode)
  const index = checked.indexes[0]!
  for (const [name, type] of used) {
    if (!def.attributeDefinitions.some((d) => d.AttributeName === name)) def.attributeDefinitions.push({ AttributeName: name, AttributeType: type })
  }
  table.addIndex({ ...index, activeAt: now + limits.transitionMs })
}
