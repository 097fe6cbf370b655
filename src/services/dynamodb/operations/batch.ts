// BatchGetItem (100 keys, 16 MB per answer, the rest as UnprocessedKeys) and BatchWriteItem (25
// puts or deletes, every request validated before any is written).
import type { Operation } from '../../service.ts'
import { type Item, itemSize } from '../attribute-value.ts'
import { Consumption, readUnits } from '../capacity.ts'
import { dynamoErrors } from '../errors.ts'
import { project } from '../expressions/evaluate.ts'
import { attributesToGet } from '../expressions/legacy.ts'
import type * as T from '../generated/types.ts'
import { checkKey, primaryKey } from '../keys.ts'
import { limits } from '../limits.ts'
import type { DynamoState } from '../store.ts'
import type { Table } from '../table.ts'
import { activeTable, checkLegacy, countConsumption, expressionContext, projection, writeConsumption } from './item-common.ts'
import { commit, planDelete, planPut, type WritePlan } from './write-plan.ts'

export function batchOperations(state: DynamoState) {
  const batchGet: Operation<T.BatchGetItemInput, T.BatchGetItemOutput> = (input, ctx) => {
    const tables = Object.entries(input.RequestItems)
    if (tables.length === 0) throw dynamoErrors.constraint('{}', 'requestItems', 'Member must have length greater than or equal to 1')
    const total = tables.reduce((n, [, r]) => n + r.Keys.length, 0)
    if (total > limits.maxBatchGetKeys) throw dynamoErrors.validation('Too many items requested for the BatchGetItem call')
    const plans = tables.map(([name, request]) => {
      checkLegacy(request as never, ['ProjectionExpression'])
      const exprs = expressionContext(request as never, request.ProjectionExpression !== undefined, 'ProjectionExpression is null')
      const paths = projection(request.ProjectionExpression, exprs) ?? (request.AttributesToGet === undefined ? undefined : attributesToGet(request.AttributesToGet))
      exprs.checkAllUsed()
      const table = activeTable(state, ctx.caller.account, ctx.caller.region, name)
      const seen = new Set<string>()
      const keys = request.Keys.map((k) => {
        const key = checkKey(table.def.key, k as Item)
        const id = primaryKey(table.def.key, key)
        if (seen.has(id)) throw dynamoErrors.validation('Provided list of item keys contains duplicates')
        seen.add(id)
        return key
      })
      return { name, table, keys, paths, request }
    })
    const responses: Record<string, Item[]> = {}
    const unprocessed: Record<string, T.KeysAndAttributes> = {}
    const consumed: T.ConsumedCapacity[] = []
    let bytes = 0
    for (const { name, table, keys, paths, request } of plans) {
      const found: Item[] = []
      const consumption = new Consumption(table.name)
      const left: Item[] = []
      for (const key of keys) {
        // Past 16 MB of answer, the rest is left for the client to ask again.
        if (bytes >= limits.maxBatchGetBytes) {
          left.push(key)
          continue
        }
        const item = table.get(key)
        const size = item === undefined ? 0 : itemSize(item)
        bytes += size
        consumption.addTable(readUnits(size, request.ConsistentRead === true), 'read')
        if (item !== undefined) found.push(paths === undefined ? item : project(item, paths))
      }
      responses[name] = found
      countConsumption(table, consumption)
      if (left.length > 0) unprocessed[name] = { ...request, Keys: left }
      const rendered = consumption.render(input.ReturnConsumedCapacity)
      if (rendered !== undefined) consumed.push(rendered)
    }
    return { Responses: responses, UnprocessedKeys: unprocessed, ...(consumed.length > 0 && { ConsumedCapacity: consumed }) }
  }

  const batchWrite: Operation<T.BatchWriteItemInput, T.BatchWriteItemOutput> = (input, ctx) => {
    const tables = Object.entries(input.RequestItems)
    if (tables.length === 0) throw dynamoErrors.constraint('{}', 'requestItems', 'Member must have length greater than or equal to 1')
    const total = tables.reduce((n, [, r]) => n + r.length, 0)
    if (total > limits.maxBatchWriteRequests) throw dynamoErrors.validation('Too many items requested for the BatchWriteItem call')
    const plans: WritePlan[] = []
    for (const [name, requests] of tables) {
      if (requests.length === 0) {
        throw dynamoErrors.constraint('[]', `requestItems.${name}.member`, 'Member must have length greater than or equal to 1')
      }
      const seen = new Set<string>()
      for (const request of requests) {
        const { PutRequest: put, DeleteRequest: del } = request
        if ((put === undefined) === (del === undefined)) {
          throw dynamoErrors.invalid('A WriteRequest must contain exactly one of PutRequest or DeleteRequest')
        }
        const plan = put !== undefined
          ? planPut(state, { TableName: name, Item: put.Item as Item }, ctx)
          : planDelete(state, { TableName: name, Key: del!.Key as Item }, ctx)
        if (seen.has(plan.id)) throw dynamoErrors.validation('Provided list of item keys contains duplicates')
        seen.add(plan.id)
        plans.push(plan)
      }
    }
    const consumption = new Map<string, Consumption>()
    const written = new Map<string, Table>()
    for (const plan of plans) {
      written.set(plan.table.name, plan.table)
      const current = plan.table.get(plan.key)
      const next = plan.next(current)
      commit(state, plan, current, next)
      const c = writeConsumption(plan.table, current, next)
      const sum = consumption.get(plan.table.name) ?? new Consumption(plan.table.name)
      sum.addTable(c.table, 'write')
      for (const [k, v] of c.gsis) sum.addIndex(k, false, v, 'write')
      for (const [k, v] of c.lsis) sum.addIndex(k, true, v, 'write')
      consumption.set(plan.table.name, sum)
    }
    for (const [name, c] of consumption) countConsumption(written.get(name)!, c)
    const consumed = [...consumption.values()].map((c) => c.render(input.ReturnConsumedCapacity)).filter((c) => c !== undefined)
    return { UnprocessedItems: {}, ...(consumed.length > 0 && { ConsumedCapacity: consumed }) }
  }

  return { BatchGetItem: batchGet, BatchWriteItem: batchWrite }
}
