// The AWS/DynamoDB metrics a request gives as a whole, around each operation: a data-plane call's
// SuccessfulRequestLatency (wall time of the operation, ms) and ReturnedItemCount (Query, Scan) on
// the table it named, and account-level UserErrors for a 400 other than a failed condition. Two
// performance.now() reads and a few number updates per request; nothing allocated.
import { isAwsError } from '../../protocol/errors.ts'
import type { Operation, OperationContext } from '../service.ts'
import type { DynamoState } from './store.ts'

/** The operations AWS reports SuccessfulRequestLatency for (by TableName and Operation). */
const timed = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
  'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'])

export function withRequestMetrics<T extends Record<string, Operation<never, unknown> | undefined>>(state: DynamoState, operations: T): T {
  const out: Record<string, Operation<never, unknown>> = {}
  for (const [name, op] of Object.entries(operations)) {
    if (op === undefined) continue
    out[name] = wrap(state, name, op)
  }
  return out as T
}

function wrap(state: DynamoState, name: string, op: Operation<never, unknown>): Operation<never, unknown> {
  const isTimed = timed.has(name)
  const counts = name === 'Query' || name === 'Scan'
  const failed = (error: unknown, ctx: OperationContext) => {
    // [R] A failed condition is ConditionalCheckFailedRequests, not UserErrors.
    if (isAwsError(error) && error.status === 400 && error.code !== 'ConditionalCheckFailedException') {
      state.metrics.userError(ctx.caller.account, ctx.caller.region)
    }
  }
  return (input, ctx) => {
    state.requestTable = undefined
    state.requestTables = 0
    const start = isTimed ? performance.now() : 0
    let result: unknown
    try {
      result = op(input, ctx)
    } catch (error) {
      failed(error, ctx)
      throw error
    }
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        failed(error, ctx)
        throw error
      })
    }
    // Only a request that named one table has a latency on it.
    if (isTimed && state.requestTables === 1) {
      state.requestTable!.metrics?.succeeded(name, performance.now() - start, counts ? (result as { Count: number }).Count : undefined)
    }
    return result
  }
}
