// PutItem, GetItem, UpdateItem, DeleteItem.
import type { Operation } from '../../service.ts'
import { type Item, itemSize } from '../attribute-value.ts'
import { Consumption, readUnits } from '../capacity.ts'
import { project } from '../expressions/evaluate.ts'
import { attributesToGet } from '../expressions/legacy.ts'
import { updatedPaths } from '../expressions/update-apply.ts'
import type * as T from '../generated/types.ts'
import { checkKey, valueKey } from '../keys.ts'
import type { DynamoState } from '../store.ts'
import type { Table } from '../table.ts'
import { activeTable, checkLegacy, checkOnFailure, checkReturnValues, countWrite, expressionContext, projection, writeConsumption } from './item-common.ts'
import { planDelete, planPut, planUpdate, runPlan as run } from './write-plan.ts'

/**
 * ReturnItemCollectionMetrics SIZE on a table with local secondary indexes: the item collection's key
 * and its size as a range in GB (AWS's estimate brackets the size: [⌊GB⌋, ⌊GB⌋ + 1]).
 */
export function collectionMetrics(table: Table, key: Item, mode: string | undefined): T.ItemCollectionMetrics | undefined {
  if (mode !== 'SIZE' || !table.def.indexes.some((i) => i.kind === 'LSI')) return undefined
  const hash = table.def.key.hash
  let bytes = 0
  for (const entry of table.items.partitions.get(valueKey(key[hash]!))?.entries ?? []) bytes += itemSize(entry.item)
  const gb = Math.floor(bytes / 1024 ** 3)
  return { ItemCollectionKey: { [hash]: key[hash]! }, SizeEstimateRangeGB: [gb, gb + 1] }
}

/** Consumption is computed only when asked for (sizing items costs on the hot path). */
function capacity(mode: string | undefined, compute: () => Consumption): T.ConsumedCapacity | undefined {
  return mode === 'TOTAL' || mode === 'INDEXES' ? compute().render(mode) : undefined
}

export function itemOperations(state: DynamoState) {
  const putItem: Operation<T.PutItemInput, T.PutItemOutput> = (input, ctx) => {
    const returnValues = checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD'])
    const onFailure = checkOnFailure(input.ReturnValuesOnConditionCheckFailure)
    const plan = planPut(state, input as never, ctx)
    const [old, next] = run(state, plan, onFailure)
    countWrite(plan.table, old, next)
    return {
      ...(returnValues === 'ALL_OLD' && old !== undefined && { Attributes: old }),
      ConsumedCapacity: capacity(input.ReturnConsumedCapacity, () => writeConsumption(plan.table, old, next)),
      ItemCollectionMetrics: collectionMetrics(plan.table, plan.key, input.ReturnItemCollectionMetrics),
    }
  }

  const deleteItem: Operation<T.DeleteItemInput, T.DeleteItemOutput> = (input, ctx) => {
    const returnValues = checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD'])
    const onFailure = checkOnFailure(input.ReturnValuesOnConditionCheckFailure)
    const plan = planDelete(state, input as never, ctx)
    const [old] = run(state, plan, onFailure)
    countWrite(plan.table, old, undefined)
    return {
      ...(returnValues === 'ALL_OLD' && old !== undefined && { Attributes: old }),
      ConsumedCapacity: capacity(input.ReturnConsumedCapacity, () => writeConsumption(plan.table, old, undefined)),
      ItemCollectionMetrics: collectionMetrics(plan.table, plan.key, input.ReturnItemCollectionMetrics),
    }
  }

  const updateItem: Operation<T.UpdateItemInput, T.UpdateItemOutput> = (input, ctx) => {
    const returnValues = checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'])
    const onFailure = checkOnFailure(input.ReturnValuesOnConditionCheckFailure)
    const plan = planUpdate(state, input as never, ctx)
    const [old, next] = run(state, plan, onFailure)
    countWrite(plan.table, old, next)
    const paths = plan.update === undefined ? [] : updatedPaths(plan.update)
    let attributes: Item | undefined
    if (returnValues === 'ALL_OLD') attributes = old
    else if (returnValues === 'ALL_NEW') attributes = next
    else if (returnValues === 'UPDATED_OLD') attributes = old === undefined ? undefined : project(old, paths)
    else if (returnValues === 'UPDATED_NEW') attributes = next === undefined ? undefined : project(next, paths)
    return {
      ...(attributes !== undefined && Object.keys(attributes).length > 0 && { Attributes: attributes }),
      ConsumedCapacity: capacity(input.ReturnConsumedCapacity, () => writeConsumption(plan.table, old, next)),
      ItemCollectionMetrics: collectionMetrics(plan.table, plan.key, input.ReturnItemCollectionMetrics),
    }
  }

  const getItem: Operation<T.GetItemInput, T.GetItemOutput> = (input, ctx) => {
    checkLegacy(input as never, ['ProjectionExpression'])
    const exprs = expressionContext(input, input.ProjectionExpression !== undefined, 'ProjectionExpression is null')
    const paths = projection(input.ProjectionExpression, exprs) ?? (input.AttributesToGet === undefined ? undefined : attributesToGet(input.AttributesToGet))
    exprs.checkAllUsed()
    const table = activeTable(state, ctx.caller.account, ctx.caller.region, input.TableName)
    const key = checkKey(table.def.key, input.Key)
    const entry = table.getEntry(key)
    const item = entry?.item
    const units = readUnits(entry === undefined ? 0 : entry.size, input.ConsistentRead === true)
    table.metrics?.read(units)
    return {
      ...(item !== undefined && { Item: paths === undefined ? item : project(item, paths) }),
      ConsumedCapacity: capacity(input.ReturnConsumedCapacity, () => {
        const consumption = new Consumption(table.name)
        consumption.addTable(units, 'read')
        return consumption
      }),
    }
  }

  return { PutItem: putItem, GetItem: getItem, UpdateItem: updateItem, DeleteItem: deleteItem }
}
