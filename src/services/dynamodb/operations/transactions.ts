// TransactWriteItems (all or nothing, CancellationReasons in request order, ClientRequestToken
// idempotency for 10 minutes on the clock) and TransactGetItems.
import { createHash } from 'node:crypto'
import { isAwsError } from '../../../protocol/errors.ts'
import type { Operation } from '../../service.ts'
import { type Item, itemSize, toJsonItem } from '../attribute-value.ts'
import { Consumption, readUnits } from '../capacity.ts'
import { dynamoErrors } from '../errors.ts'
import { project } from '../expressions/evaluate.ts'
import type * as T from '../generated/types.ts'
import { checkKey, primaryKey } from '../keys.ts'
import { limits } from '../limits.ts'
import type { DynamoState } from '../store.ts'
import type { Table } from '../table.ts'
import { activeTable, checkOnFailure, countConsumption, expressionContext, projection, writeConsumption } from './item-common.ts'
import { commit, conditionHolds, planConditionCheck, planDelete, planPut, planUpdate, type WritePlan } from './write-plan.ts'

function checkCount(items: unknown[], member: string): void {
  if (items.length < 1) throw dynamoErrors.constraint('[]', member, 'Member must have length greater than or equal to 1')
  if (items.length > limits.maxTransactItems) {
    throw dynamoErrors.constraint('[…]', member, `Member must have length less than or equal to ${limits.maxTransactItems}`)
  }
}

/** The request's identity for its token: the items as sent (key order as JSON gives it). */
function fingerprint(items: unknown): string {
  return createHash('sha256').update(JSON.stringify(items, (_k, v) => v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)).digest('hex')
}

/**
 * Every condition first, then every write: one failure cancels all, with TransactionCanceledException's
 * reasons in request order (TransactWriteItems and PartiQL's ExecuteTransaction). Returns the capacity
 * consumed per table (transactional: twice a write's units).
 */
export function runTransaction(state: DynamoState, plans: { plan: WritePlan; returnOld: boolean }[], capacityMode: string | undefined): T.ConsumedCapacity[] {
  const currents = plans.map(({ plan }) => plan.table.get(plan.key))
  const nexts: (Item | undefined)[] = []
  const reasons: { Code: string; Message?: string; Item?: Record<string, unknown> }[] = []
  let failed = false
  plans.forEach(({ plan, returnOld }, i) => {
    const current = currents[i]
    if (!conditionHolds(plan, current)) {
      failed = true
      // [R] an INSERT of an existing key reports DuplicateItem.
      reasons.push(plan.failure === 'DuplicateItem' ? { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' }
        : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(returnOld && current !== undefined && { Item: toJsonItem(current) }) })
      return
    }
    try {
      nexts.push(plan.next(current))
      reasons.push({ Code: 'None' })
    } catch (error) {
      if (!isAwsError(error) || error.code !== 'ValidationException') throw error
      failed = true
      reasons.push({ Code: 'ValidationError', Message: error.message })
    }
  })
  if (failed) throw dynamoErrors.transactionCanceled(reasons)
  const consumption = new Map<string, Consumption>()
  const tables = new Map<string, Table>()
  plans.forEach(({ plan }, i) => {
    commit(state, plan, currents[i], nexts[i])
    const c = writeConsumption(plan.table, currents[i], plan.kind === 'ConditionCheck' ? undefined : nexts[i], true)
    tables.set(plan.table.name, plan.table)
    const sum = consumption.get(plan.table.name) ?? new Consumption(plan.table.name)
    sum.addTable(c.table, 'write')
    for (const [k, v] of c.gsis) sum.addIndex(k, false, v, 'write')
    for (const [k, v] of c.lsis) sum.addIndex(k, true, v, 'write')
    consumption.set(plan.table.name, sum)
  })
  // AWS/DynamoDB: one sample per table the transaction wrote.
  for (const [name, c] of consumption) countConsumption(tables.get(name)!, c)
  return [...consumption.values()].map((c) => c.render(capacityMode)).filter((c) => c !== undefined)
}

export function transactionOperations(state: DynamoState) {
  const transactWrite: Operation<T.TransactWriteItemsInput, T.TransactWriteItemsOutput> = (input, ctx) => {
    checkCount(input.TransactItems, 'transactItems')
    const token = input.ClientRequestToken
    const scope = token === undefined ? undefined : `${ctx.caller.account}/${ctx.caller.region}/${token}`
    const print = fingerprint(input.TransactItems)
    if (scope !== undefined) {
      const seen = state.token(scope)
      if (seen !== undefined) {
        if (seen.fingerprint !== print) throw dynamoErrors.idempotentMismatch()
        return seen.output as T.TransactWriteItemsOutput
      }
    }
    const plans: { plan: WritePlan; returnOld: boolean }[] = []
    const ids = new Set<string>()
    for (const entry of input.TransactItems) {
      const parts = [entry.ConditionCheck, entry.Put, entry.Delete, entry.Update].filter((p) => p !== undefined)
      if (parts.length !== 1) {
        throw dynamoErrors.validation('TransactItems can only contain one of Check, Put, Update or Delete')
      }
      const part = parts[0] as { ReturnValuesOnConditionCheckFailure?: string }
      const returnOld = checkOnFailure(part.ReturnValuesOnConditionCheckFailure)
      const plan = entry.Put !== undefined ? planPut(state, entry.Put as never, ctx)
        : entry.Delete !== undefined ? planDelete(state, entry.Delete as never, ctx)
          : entry.Update !== undefined ? planUpdate(state, entry.Update as never, ctx)
            : planConditionCheck(state, entry.ConditionCheck as never, ctx)
      const id = `${plan.table.def.id}/${plan.id}`
      if (ids.has(id)) throw dynamoErrors.validation('Transaction request cannot include multiple operations on one item')
      ids.add(id)
      plans.push({ plan, returnOld })
    }
    const consumed = runTransaction(state, plans, input.ReturnConsumedCapacity)
    const output: T.TransactWriteItemsOutput = consumed.length > 0 ? { ConsumedCapacity: consumed } : {}
    if (scope !== undefined) state.remember(scope, { fingerprint: print, at: ctx.clock.now(), output: {} })
    return output
  }

  const transactGet: Operation<T.TransactGetItemsInput, T.TransactGetItemsOutput> = (input, ctx) => {
    checkCount(input.TransactItems, 'transactItems')
    const gets = input.TransactItems.map((entry) => {
      const get = entry.Get
      const exprs = expressionContext(get as never, get.ProjectionExpression !== undefined, 'ProjectionExpression is null')
      const paths = projection(get.ProjectionExpression, exprs)
      exprs.checkAllUsed()
      const table = activeTable(state, ctx.caller.account, ctx.caller.region, get.TableName)
      const key = checkKey(table.def.key, get.Key as Item)
      return { table, key, paths }
    })
    const ids = new Set<string>()
    for (const g of gets) {
      const id = `${g.table.def.id}/${primaryKey(g.table.def.key, g.key)}`
      if (ids.has(id)) throw dynamoErrors.validation('Transaction request cannot include multiple operations on one item')
      ids.add(id)
    }
    const consumption = new Map<string, Consumption>()
    const tables = new Map<string, Table>()
    const responses = gets.map(({ table, key, paths }) => {
      tables.set(table.name, table)
      const item = table.get(key)
      const c = consumption.get(table.name) ?? new Consumption(table.name)
      c.addTable(readUnits(item === undefined ? 0 : itemSize(item), true, true), 'read')
      consumption.set(table.name, c)
      return item === undefined ? {} : { Item: paths === undefined ? item : project(item, paths) }
    })
    for (const [name, c] of consumption) countConsumption(tables.get(name)!, c)
    const consumed = [...consumption.values()].map((c) => c.render(input.ReturnConsumedCapacity)).filter((c) => c !== undefined)
    return { Responses: responses, ...(consumed.length > 0 && { ConsumedCapacity: consumed }) }
  }

  return { TransactWriteItems: transactWrite, TransactGetItems: transactGet }
}
