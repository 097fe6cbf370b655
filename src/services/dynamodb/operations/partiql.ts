// PartiQL: ExecuteStatement (SELECT as a Query or Scan page with NextToken; INSERT, UPDATE, DELETE as
// single-item writes), BatchExecuteStatement (25 reads or 25 writes, an Error per failed statement)
// and ExecuteTransaction (100 reads or writes, all or nothing, ClientRequestToken for 10 minutes).
import { createHash } from 'node:crypto'
import { isAwsError } from '../../../protocol/errors.ts'
import type { Operation } from '../../service.ts'
import { fromJsonItem, type Item, toJsonItem, toJsonValue } from '../attribute-value.ts'
import { Consumption } from '../capacity.ts'
import { dynamoErrors } from '../errors.ts'
import { project } from '../expressions/evaluate.ts'
import { updatedPaths } from '../expressions/update-apply.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { Statement } from '../partiql/ast.ts'
import { partiqlErrors } from '../partiql/errors.ts'
import { parse, prepareItemRead, prepareRead, prepareWrite, type Where, type Write } from '../partiql/prepare.ts'
import { readItem, runRead } from '../partiql/select.ts'
import type { DynamoState } from '../store.ts'
import { checkOnFailure, countConsumption, writeConsumption } from './item-common.ts'
import { runTransaction } from './transactions.ts'
import { runPlan, type WritePlan } from './write-plan.ts'

const maxStatementLength = 8192
const maxBatchStatements = 25

/** The model's constraints on Statement (1 to 8192 characters), in the front end's words. */
function checkStatement(statement: string | undefined, member: string): string {
  if (statement === undefined) throw dynamoErrors.missingParameter('Statement')
  if (statement.length < 1) throw dynamoErrors.constraint(statement, member, 'Member must have length greater than or equal to 1')
  if (statement.length > maxStatementLength) throw dynamoErrors.constraint(statement, member, `Member must have length less than or equal to ${maxStatementLength}`)
  return statement
}

/** What RETURNING asks for: the item before or after, whole or only the updated paths. */
function returned(w: Write, old: Item | undefined, next: Item | undefined): Item[] {
  if (w.returning === undefined) return []
  const item = w.returning.endsWith('OLD') ? old : next
  if (item === undefined) return []
  const modified = w.returning.startsWith('MODIFIED') && w.plan.update !== undefined
  return [modified ? project(item, updatedPaths(w.plan.update!)) : item]
}

/** A failed batch statement's Error: the exception's code in the batch's short form. */
function batchError(error: unknown): T.BatchStatementError {
  if (!isAwsError(error)) throw error
  const codes: Record<string, T.BatchStatementErrorCodeEnum> = {
    ConditionalCheckFailedException: 'ConditionalCheckFailed', DuplicateItemException: 'DuplicateItem',
    ValidationException: 'ValidationError', ResourceNotFoundException: 'ResourceNotFound',
  }
  const code = codes[error.code]
  if (code === undefined) throw error
  // The item rides on ConditionalCheckFailedException as DynamoDB JSON; in a batch it is output again.
  const item = (error.fields as { Item?: Record<string, Record<string, unknown>> } | undefined)?.Item
  return { Code: code, Message: error.message, ...(item !== undefined && { Item: fromJsonItem(item) }) }
}

function add(sums: Map<string, Consumption>, c: Consumption): void {
  const sum = sums.get(c.tableName) ?? new Consumption(c.tableName)
  sum.addTable(c.table, c.write > 0 ? 'write' : 'read')
  for (const [k, v] of c.gsis) sum.addIndex(k, false, v, c.write > 0 ? 'write' : 'read')
  for (const [k, v] of c.lsis) sum.addIndex(k, true, v, c.write > 0 ? 'write' : 'read')
  sums.set(c.tableName, sum)
}

function rendered(sums: Map<string, Consumption>, mode: string | undefined): { ConsumedCapacity?: T.ConsumedCapacity[] } {
  const out = [...sums.values()].map((c) => c.render(mode)).filter((c) => c !== undefined)
  return out.length > 0 ? { ConsumedCapacity: out } : {}
}

export function partiqlOperations(state: DynamoState) {
  const executeStatement: Operation<T.ExecuteStatementInput, T.ExecuteStatementOutput> = (input, ctx) => {
    const source = checkStatement(input.Statement, 'statement')
    if (input.Limit !== undefined && input.Limit < 1) throw dynamoErrors.constraint(input.Limit, 'limit', 'Member must have value greater than or equal to 1')
    const onFailure = checkOnFailure(input.ReturnValuesOnConditionCheckFailure)
    const statement = parse(source, input.Parameters)
    const where: Where = ctx.caller
    if (statement.kind === 'select') {
      const read = prepareRead(state, where, statement, input.Parameters, input.ConsistentRead === true)
      return runRead(read, { statement: source, params: input.Parameters, limit: input.Limit, nextToken: input.NextToken,
        consistent: input.ConsistentRead === true, capacityMode: input.ReturnConsumedCapacity })
    }
    if (statement.kind === 'exists') throw dynamoErrors.validation('EXISTS can only be used in ExecuteTransaction write requests.')
    const write = prepareWrite(state, where, statement, input.Parameters)
    const [old, next] = runPlan(state, write.plan, onFailure, write.plan.failure === 'DuplicateItem' ? partiqlErrors.duplicateItem : undefined)
    const consumption = writeConsumption(write.plan.table, old, next)
    countConsumption(write.plan.table, consumption)
    const capacity = consumption.render(input.ReturnConsumedCapacity)
    return { Items: returned(write, old, next), ...(capacity !== undefined && { ConsumedCapacity: capacity }) }
  }

  const batchExecuteStatement: Operation<T.BatchExecuteStatementInput, T.BatchExecuteStatementOutput> = (input, ctx) => {
    const requests = input.Statements
    if (requests.length < 1) throw dynamoErrors.constraint('[]', 'statements', 'Member must have length greater than or equal to 1')
    if (requests.length > maxBatchStatements) {
      throw dynamoErrors.constraint('[…]', 'statements', `Member must have length less than or equal to ${maxBatchStatements}`)
    }
    const prepared = prepareBatch(state, ctx.caller, requests)
    const sums = new Map<string, Consumption>()
    const responses = prepared.map((p, i) => runBatchStatement(state, p, requests[i]!, sums))
    return { Responses: responses, ...rendered(sums, input.ReturnConsumedCapacity) }
  }

  const executeTransaction: Operation<T.ExecuteTransactionInput, T.ExecuteTransactionOutput> = (input, ctx) => {
    const statements = input.TransactStatements
    if (statements.length < 1) throw dynamoErrors.constraint('[]', 'transactStatements', 'Member must have length greater than or equal to 1')
    if (statements.length > limits.maxTransactItems) {
      throw dynamoErrors.constraint('[…]', 'transactStatements', `Member must have length less than or equal to ${limits.maxTransactItems}`)
    }
    const token = input.ClientRequestToken
    const scope = token === undefined ? undefined : `${ctx.caller.account}/${ctx.caller.region}/partiql/${token}`
    const print = createHash('sha256').update(JSON.stringify(statements.map((s) => [s.Statement, (s.Parameters ?? []).map(toJsonValue)]))).digest('hex')
    if (scope !== undefined) {
      const seen = state.token(scope)
      if (seen !== undefined) {
        if (seen.fingerprint !== print) throw dynamoErrors.idempotentMismatch()
        return seen.output as T.ExecuteTransactionOutput
      }
    }
    const parsed = statements.map((s, i) => inStatement(i, () => {
      const statement = parse(checkStatement(s.Statement, `transactStatements.${i + 1}.member.statement`), s.Parameters)
      if ((statement.kind === 'update' || statement.kind === 'delete') && statement.returning !== undefined) {
        throw dynamoErrors.validation('RETURNING clause is not supported in ExecuteTransaction.')
      }
      return statement
    }))
    const reads = parsed.filter((s) => s.kind === 'select').length
    if (reads > 0 && reads < parsed.length) {
      throw dynamoErrors.validation('ExecuteTransaction API does not support both read and write operations in the same request.')
    }
    const where: Where = ctx.caller
    const ids = new Set<string>()
    const once = (id: string) => {
      if (ids.has(id)) throw dynamoErrors.validation('Transaction request cannot include multiple operations on one item')
      ids.add(id)
    }
    if (reads > 0) {
      const items = parsed.map((s, i) => inStatement(i, () => prepareItemRead(state, where, s as never, statements[i]!.Parameters, true)))
      for (const r of items) once(`${r.table.def.id}/${JSON.stringify(toJsonItem(r.key))}`)
      const sums = new Map<string, Consumption>()
      const responses = items.map((r) => {
        const { item, consumption } = readItem(r, true, true)
        add(sums, consumption)
        return item === undefined ? {} : { Item: item }
      })
      return { Responses: responses, ...rendered(sums, input.ReturnConsumedCapacity) }
    }
    const plans: { plan: WritePlan; returnOld: boolean }[] = parsed.map((s, i) => {
      const returnOld = checkOnFailure(statements[i]!.ReturnValuesOnConditionCheckFailure)
      const { plan } = inStatement(i, () => {
        try {
          return prepareWrite(state, where, s, statements[i]!.Parameters)
        } catch (error) {
          // An INSERT's key attribute missing or mistyped cancels the transaction with that statement's reason.
          if (isAwsError(error) && /^Key attribute(?: should be present|'s data type should match)/.test(error.message)) {
            throw dynamoErrors.transactionCanceled(statements.map((_, j) => j === i ? { Code: 'ValidationError', Message: error.message } : { Code: 'None' }))
          }
          throw error
        }
      })
      once(`${plan.table.def.id}/${plan.id}`)
      return { plan, returnOld }
    })
    const consumed = runTransaction(state, plans, input.ReturnConsumedCapacity)
    const output: T.ExecuteTransactionOutput = { Responses: plans.map(() => ({})), ...(consumed.length > 0 && { ConsumedCapacity: consumed }) }
    if (scope !== undefined) state.remember(scope, { fingerprint: print, at: ctx.clock.now(), output: { Responses: output.Responses } })
    return output
  }

  return { ExecuteStatement: executeStatement, BatchExecuteStatement: batchExecuteStatement, ExecuteTransaction: executeTransaction }
}

/** A batch statement made ready: its read or write, or its Error; the table it names once it parsed. */
type BatchEntry = { read?: ReturnType<typeof prepareItemRead>; write?: Write; error?: T.BatchStatementError; table?: string }

/**
 * Every statement parsed first (a parse error is that statement's Error), reads and writes not mixed,
 * then each prepared against its table; two statements on one item refuse the whole batch.
 */
function prepareBatch(state: DynamoState, where: Where, requests: T.BatchStatementRequest[]): BatchEntry[] {
  const parsed = requests.map((r, i) => {
    checkStatement(r.Statement, `statements.${i + 1}.member.statement`)
    checkOnFailure(r.ReturnValuesOnConditionCheckFailure)
    try {
      return { statement: parse(r.Statement, r.Parameters) }
    } catch (error) {
      return { error: batchError(error) }
    }
  })
  const kinds = new Set(parsed.flatMap((p) => p.statement === undefined ? [] : [p.statement.kind === 'select' ? 'read' : 'write']))
  if (kinds.size > 1) throw dynamoErrors.validation('Read and write requests together in the same batch is not supported.')
  const prepared = parsed.map((p, i): BatchEntry => {
    if (p.statement === undefined) return { error: p.error }
    const { statement } = p
    const params = requests[i]!.Parameters
    try {
      if (statement.kind === 'select') return { read: prepareItemRead(state, where, statement, params, false), table: statement.table }
      if (statement.kind === 'exists') throw dynamoErrors.validation('EXISTS can only be used in ExecuteTransaction write requests.')
      return { write: prepareWrite(state, where, statement, params), table: statement.table }
    } catch (error) {
      return { error: batchError(error), table: tableOf(statement) }
    }
  })
  const seen = new Set<string>()
  for (const p of prepared) {
    const target = p.read !== undefined ? `${p.read.table.def.id}/${JSON.stringify(toJsonItem(p.read.key))}`
      : p.write !== undefined ? `${p.write.plan.table.def.id}/${p.write.plan.id}` : undefined
    if (target === undefined) continue
    if (seen.has(target)) throw dynamoErrors.validation('Provided list of item keys contains duplicates')
    seen.add(target)
  }
  return prepared
}

/** Runs one prepared batch statement: its response, with its Error when it fails (the others still run). */
function runBatchStatement(state: DynamoState, p: BatchEntry, request: T.BatchStatementRequest, sums: Map<string, Consumption>): T.BatchStatementResponse {
  const table = p.table === undefined ? {} : { TableName: p.table }
  if (p.error !== undefined) return { Error: p.error, ...table }
  try {
    if (p.read !== undefined) {
      const { item, consumption } = readItem(p.read, request.ConsistentRead === true, false)
      add(sums, consumption)
      return { ...table, ...(item !== undefined && { Item: item }) }
    }
    const write = p.write!
    const [old, next] = runPlan(state, write.plan, checkOnFailure(request.ReturnValuesOnConditionCheckFailure),
      write.plan.failure === 'DuplicateItem' ? partiqlErrors.duplicateItem : undefined)
    const consumption = writeConsumption(write.plan.table, old, next)
    countConsumption(write.plan.table, consumption)
    add(sums, consumption)
    return { ...table }
  } catch (error) {
    return { Error: batchError(error), ...table }
  }
}

/** A statement's validation error names its place: "Validation failed in TransactStatements[i]: …". */
function inStatement<R>(index: number, run: () => R): R {
  try {
    return run()
  } catch (error) {
    if (isAwsError(error) && error.code === 'ValidationException' && !error.message.startsWith('1 validation error')) {
      throw dynamoErrors.validation(`Validation failed in TransactStatements[${index}]: ${error.message}`)
    }
    throw error
  }
}

function tableOf(statement: Statement): string {
  return statement.kind === 'exists' ? statement.select.table : statement.table
}

