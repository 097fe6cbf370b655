// A validated write (Put, Update, Delete or ConditionCheck) ready to run: PutItem, UpdateItem and
// DeleteItem run one, TransactWriteItems checks every condition first and then runs them all.
import type { OperationContext } from '../../service.ts'
import { type Item, itemSize, toJsonItem } from '../attribute-value.ts'
import { writeUnits } from '../capacity.ts'
import { dynamoErrors } from '../errors.ts'
import type { Condition, UpdateActions } from '../expressions/ast.ts'
import { evaluate } from '../expressions/evaluate.ts'
import { applyUpdate } from '../expressions/update-apply.ts'
import { attributeUpdates, expectedCondition } from '../expressions/legacy.ts'
import { parseUpdate } from '../expressions/update-parser.ts'
import { checkItemKey, checkKey, keyOf, primaryKey } from '../keys.ts'
import { limits } from '../limits.ts'
import type { DynamoState } from '../store.ts'
import type { Table } from '../table.ts'
import { activeTable, checkItemValues, checkLegacy, checkSize, condition, expressionContext, type ExpressionInput } from './item-common.ts'

export interface WritePlan {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck'
  table: Table
  key: Item
  /** The primary key string (transactions refuse two writes of one item). */
  id: string
  condition: Condition | undefined
  /** The item after the write (undefined: deleted); ConditionCheck writes nothing. */
  next(current: Item | undefined): Item | undefined
  update?: UpdateActions
  /** A failed condition's code in transactions and batches (PartiQL INSERT: DuplicateItem), else ConditionalCheckFailed. */
  failure?: 'DuplicateItem'
}

interface PutInput extends ExpressionInput {
  TableName?: string
  Item?: Item
  UpdateExpression?: string
  Key?: Item
  [legacy: string]: unknown
}

export function planPut(state: DynamoState, input: PutInput, ctx: OperationContext): WritePlan {
  checkLegacy(input, ['ConditionExpression'])
  const item = checkItemValues(input.Item, 'Item')
  const exprs = expressionContext(input, input.ConditionExpression !== undefined, 'ConditionExpression is null')
  const cond = condition(input.ConditionExpression, 'ConditionExpression', exprs) ?? legacyExpected(input)
  exprs.checkAllUsed()
  const table = activeTable(state, ctx.caller.account, ctx.caller.region, input.TableName)
  return putPlan(table, item, cond)
}

/** A put of a validated item's values: key, size and index keys checked (PutItem, BatchWriteItem, PartiQL INSERT). */
export function putPlan(table: Table, item: Item, cond: Condition | undefined): WritePlan {
  checkItemKey(table.def.key, item)
  checkSize(item)
  table.indexMembership(item)
  return { kind: 'Put', table, key: keyOf(table.def.key, item), id: primaryKey(table.def.key, item), condition: cond, next: () => item }
}

export function deletePlan(table: Table, key: Item, cond: Condition | undefined): WritePlan {
  return { kind: 'Delete', table, key, id: primaryKey(table.def.key, key), condition: cond, next: () => undefined }
}

export function planDelete(state: DynamoState, input: PutInput, ctx: OperationContext): WritePlan {
  checkLegacy(input, ['ConditionExpression'])
  const exprs = expressionContext(input, input.ConditionExpression !== undefined, 'ConditionExpression is null')
  const cond = condition(input.ConditionExpression, 'ConditionExpression', exprs) ?? legacyExpected(input)
  exprs.checkAllUsed()
  const table = activeTable(state, ctx.caller.account, ctx.caller.region, input.TableName)
  return deletePlan(table, checkKey(table.def.key, input.Key), cond)
}

export function planConditionCheck(state: DynamoState, input: PutInput, ctx: OperationContext): WritePlan {
  const exprs = expressionContext(input, true, '')
  if (input.ConditionExpression === undefined) throw dynamoErrors.missingParameter('ConditionExpression')
  const cond = condition(input.ConditionExpression, 'ConditionExpression', exprs)
  exprs.checkAllUsed()
  const table = activeTable(state, ctx.caller.account, ctx.caller.region, input.TableName)
  return checkPlan(table, checkKey(table.def.key, input.Key), cond)
}

/** A condition on one item that writes nothing (TransactWriteItems' ConditionCheck, PartiQL's EXISTS). */
export function checkPlan(table: Table, key: Item, cond: Condition | undefined): WritePlan {
  return { kind: 'ConditionCheck', table, key, id: primaryKey(table.def.key, key), condition: cond, next: (current) => current }
}

export function planUpdate(state: DynamoState, input: PutInput, ctx: OperationContext): WritePlan {
  checkLegacy(input, ['UpdateExpression', 'ConditionExpression'])
  const present = input.UpdateExpression !== undefined || input.ConditionExpression !== undefined
  const exprs = expressionContext(input, present, 'UpdateExpression and ConditionExpression are null')
  const legacyUpdates = input.AttributeUpdates as Parameters<typeof attributeUpdates>[0] | undefined
  const actions = input.UpdateExpression !== undefined ? parseUpdate(input.UpdateExpression, exprs)
    : legacyUpdates === undefined ? undefined : attributeUpdates(legacyUpdates)
  const cond = condition(input.ConditionExpression, 'ConditionExpression', exprs) ?? legacyExpected(input)
  exprs.checkAllUsed()
  const table = activeTable(state, ctx.caller.account, ctx.caller.region, input.TableName)
  return updatePlan(table, checkKey(table.def.key, input.Key), actions, cond)
}

/** An update of the item with `key` (created from the key when missing): UpdateItem and PartiQL UPDATE. */
export function updatePlan(table: Table, key: Item, actions: UpdateActions | undefined, cond: Condition | undefined): WritePlan {
  const keyNames = [table.def.key.hash, table.def.key.range]
  if (actions !== undefined) {
    for (const path of [...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)]) {
      if (keyNames.includes(path.elements[0] as string)) {
        throw dynamoErrors.invalid(`Cannot update attribute ${path.elements[0]}. This attribute is part of the key`)
      }
    }
  }
  return {
    kind: 'Update', table, key, id: primaryKey(table.def.key, key), condition: cond, update: actions,
    next: (current) => {
      const base = current ?? { ...key }
      const next = actions === undefined ? base : applyUpdate(base, actions)
      // [R] UpdateItem words the limit its own way.
      if (itemSize(next) > limits.maxItemBytes) throw dynamoErrors.validation('Item size to update has exceeded the maximum allowed size')
      table.indexMembership(next)
      return next
    },
  }
}

/** Expected (with ConditionalOperator), the legacy form of ConditionExpression. */
function legacyExpected(input: PutInput) {
  const expected = input.Expected as Parameters<typeof expectedCondition>[0] | undefined
  if (expected === undefined) {
    if (input.ConditionalOperator !== undefined) throw dynamoErrors.validation('ConditionalOperator can only be used when Filter or Expected has two or more elements')
    return undefined
  }
  return expectedCondition(expected, input.ConditionalOperator as string | undefined)
}

/** Whether the plan's condition holds on the current item. */
export function conditionHolds(plan: WritePlan, current: Item | undefined): boolean {
  return plan.condition === undefined || evaluate(current ?? {}, plan.condition)
}

/**
 * Runs one write: the condition against the current item, then the write; returns [old, new]. A failed
 * condition is ConditionalCheckFailedException (with the item when asked), or `onFailure`'s error.
 */
export function runPlan(state: DynamoState, plan: WritePlan, returnOnFailure: boolean, onFailure?: () => Error): [Item | undefined, Item | undefined] {
  const current = plan.table.get(plan.key)
  if (!conditionHolds(plan, current)) {
    // AWS counts the failed condition and charges the write (on the current item's size).
    const metrics = plan.table.metrics
    if (metrics !== undefined) {
      metrics.conditionalCheckFailed()
      metrics.write(writeUnits(current === undefined ? 0 : itemSize(current)))
    }
    if (onFailure !== undefined) throw onFailure()
    throw dynamoErrors.conditionalCheckFailed(returnOnFailure && current !== undefined ? toJsonItem(current) : undefined)
  }
  const next = plan.next(current)
  commit(state, plan, current, next)
  return [current, next]
}

/** Stores the plan's result. */
export function commit(state: DynamoState, plan: WritePlan, current: Item | undefined, next: Item | undefined): void {
  if (plan.kind === 'ConditionCheck') return
  plan.table.lastWriteBytes = 0
  if (next === undefined) {
    if (current !== undefined) state.deleteItem(plan.table, plan.key)
  } else {
    state.putItem(plan.table, next)
  }
}
