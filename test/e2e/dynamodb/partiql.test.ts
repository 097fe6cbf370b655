// PartiQL end to end: ExecuteStatement (INSERT, SELECT as Query or Scan with Limit/NextToken, UPDATE,
// DELETE, RETURNING, parameters), BatchExecuteStatement (an Error per statement), ExecuteTransaction
// (all or nothing, CancellationReasons, ClientRequestToken), stream records like PutItem's, the
// DocumentClient's ExecuteStatementCommand, and DynamoDB's messages for statements it refuses.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import {
  BatchExecuteStatementCommand, DescribeTableCommand, ExecuteStatementCommand, ExecuteTransactionCommand, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand, type ExecuteStatementCommandOutput,
} from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecuteStatementCommand } from '@aws-sdk/lib-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { allRecords, streamsClient } from '../../helpers/dynamodb-streams.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const wellFormed = "Statement wasn't well formed, can't be processed: "

describe('DynamoDB PartiQL ExecuteStatement', () => {
  it('inserts, selects, updates and deletes single items', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'a', 'sk': 1, 'n': 5, 'tags': <<'x', 'y'>>, 'm': {'l': [1, 'two', true, null]}}` }))
    const got = await db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' }, sk: { N: '1' } } }))
    assert.deepEqual(got.Item, { pk: { S: 'a' }, sk: { N: '1' }, n: { N: '5' }, tags: { SS: ['x', 'y'] },
      m: { M: { l: { L: [{ N: '1' }, { S: 'two' }, { BOOL: true }, { NULL: true }] } } } })
    // INSERT never replaces an item.
    assert.deepEqual(await sdkError(db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'a', 'sk': 1}` }))),
      { name: 'DuplicateItemException', message: 'Duplicate primary key exists in table', status: 400 })

    const select = await db.send(new ExecuteStatementCommand({ Statement: `SELECT n, m.l[1], tags FROM "${TableName}" WHERE pk = ? AND sk = ?`,
      Parameters: [{ S: 'a' }, { N: '1' }] }))
    assert.deepEqual(select.Items, [{ n: { N: '5' }, 'l[1]': { S: 'two' }, tags: { SS: ['x', 'y'] } }])

    const updated = await db.send(new ExecuteStatementCommand({
      Statement: `UPDATE "${TableName}" SET n = n + 2 SET extra = 'e' REMOVE m SET tags = set_add(tags, <<'z'>>) WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED NEW *` }))
    assert.deepEqual(updated.Items, [{ n: { N: '7' }, extra: { S: 'e' }, tags: { SS: ['x', 'y', 'z'] } }])
    // UPDATE changes only an existing item; its WHERE may add conditions.
    assert.equal((await sdkError(db.send(new ExecuteStatementCommand({ Statement: `UPDATE "${TableName}" SET n = 1 WHERE pk = 'nope' AND sk = 1` })))).name,
      'ConditionalCheckFailedException')
    const failed = await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "${TableName}" SET n = 1 WHERE pk = 'a' AND sk = 1 AND n > 100`,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })).then(() => assert.fail('the update went through'), (e: unknown) => e as { name: string; Item?: Record<string, unknown> })
    assert.equal(failed.name, 'ConditionalCheckFailedException')
    assert.deepEqual(failed.Item?.n, { N: '7' })

    const deleted = await db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "${TableName}" WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *` }))
    assert.equal(deleted.Items?.[0]?.extra?.S, 'e')
    // Deleting a missing item succeeds, as DeleteItem does.
    assert.deepEqual((await db.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "${TableName}" WHERE pk = 'a' AND sk = 1` }))).Items, [])
    db.destroy()
  })

  it('reads a partition as a Query and the table as a Scan, a page at a time', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    for (let sk = 1; sk <= 7; sk++) await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'p' }, sk: { N: String(sk) }, odd: { BOOL: sk % 2 === 1 } } }))
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'q' }, sk: { N: '1' }, odd: { BOOL: true } } }))

    const desc = await db.send(new ExecuteStatementCommand({ Statement: `SELECT sk FROM "${TableName}" WHERE pk = 'p' AND sk >= 5 ORDER BY sk DESC` }))
    assert.deepEqual(desc.Items?.map((i) => i.sk?.N), ['7', '6', '5'])
    // A sort-key condition narrows the read itself, as a Query's key condition does: Limit counts from it.
    const narrowed = await db.send(new ExecuteStatementCommand({ Statement: `SELECT sk FROM "${TableName}" WHERE 4 < sk AND pk = 'p'`, Limit: 2 }))
    assert.deepEqual(narrowed.Items?.map((i) => i.sk?.N), ['5', '6'])
    assert.deepEqual(narrowed.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '6' } })
    const rest = await db.send(new ExecuteStatementCommand({ Statement: `SELECT sk FROM "${TableName}" WHERE 4 < sk AND pk = 'p'`, Limit: 2, NextToken: narrowed.NextToken }))
    assert.deepEqual(rest.Items?.map((i) => i.sk?.N), ['7'])

    // Limit counts items read (the filter applies after), NextToken resumes.
    const seen: string[] = []
    let NextToken: string | undefined
    let pages = 0
    do {
      const page: ExecuteStatementCommandOutput = await db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}" WHERE pk = 'p' AND odd = true`, Limit: 3, NextToken }))
      seen.push(...(page.Items ?? []).map((i) => i.sk!.N!))
      NextToken = page.NextToken
      pages++
    } while (NextToken !== undefined)
    assert.deepEqual(seen, ['1', '3', '5', '7'])
    assert.equal(pages, 3)

    const scan = await db.send(new ExecuteStatementCommand({ Statement: `SELECT pk FROM "${TableName}" WHERE odd = true AND sk = 1`, ReturnConsumedCapacity: 'TOTAL' }))
    assert.deepEqual(scan.Items?.map((i) => i.pk?.S).sort(), ['p', 'q'])
    assert.equal(scan.ConsumedCapacity?.TableName, TableName)
    assert.equal(scan.ConsumedCapacity?.CapacityUnits, 0.5)

    // IN on the partition key: one Query per value, in the list's order, pages resuming across them.
    const both: string[] = []
    let inToken: string | undefined
    do {
      const page: ExecuteStatementCommandOutput = await db.send(new ExecuteStatementCommand({ Statement: `SELECT pk, sk FROM "${TableName}" WHERE pk IN ['q', 'p'] AND sk <= 2`,
        Limit: 2, NextToken: inToken }))
      both.push(...(page.Items ?? []).map((i) => `${i.pk!.S}${i.sk!.N}`))
      inToken = page.NextToken
    } while (inToken !== undefined)
    assert.deepEqual(both, ['q1', 'p1', 'p2'])
    // The whole key: one item as GetItem reads it, no page to resume.
    const one = await db.send(new ExecuteStatementCommand({ Statement: `SELECT sk FROM "${TableName}" WHERE pk = 'p' AND sk = 3`, Limit: 1,
      ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true }))
    assert.deepEqual(one.Items, [{ sk: { N: '3' } }])
    assert.equal(one.NextToken, undefined)
    assert.equal(one.ConsumedCapacity?.CapacityUnits, 1)
    const token = (await db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}"`, Limit: 1 }))).NextToken
    assert.ok(token)
    assert.equal((await sdkError(db.send(new ExecuteStatementCommand({ Statement: `SELECT pk FROM "${TableName}"`, NextToken: token })))).name, 'ValidationException')
    db.destroy()
  })

  it('reads a secondary index', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, {
      GlobalSecondaryIndexes: [{ IndexName: 'by-color', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' } }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'color', AttributeType: 'S' }],
    })
    for (const [pk, sk, color] of [['a', 1, 'red'], ['b', 2, 'red'], ['c', 3, 'blue']] as const) {
      await db.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, sk: { N: String(sk) }, color: { S: color }, extra: { S: 'x' } } }))
    }
    const red = await db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}"."by-color" WHERE color = 'red' ORDER BY sk DESC`,
      ReturnConsumedCapacity: 'INDEXES' }))
    // KEYS_ONLY: the table's and the index's keys, nothing else.
    assert.deepEqual(red.Items, [{ pk: { S: 'b' }, sk: { N: '2' }, color: { S: 'red' } }, { pk: { S: 'a' }, sk: { N: '1' }, color: { S: 'red' } }])
    assert.equal(red.ConsumedCapacity?.GlobalSecondaryIndexes?.['by-color']?.CapacityUnits, 0.5)
    assert.equal((await sdkError(db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}"."by-color"`, ConsistentRead: true })))).message,
      'Strongly consistent read is not supported on Global Secondary Indexes')
    db.destroy()
  })

  it('writes stream records and arms TTL as PutItem, UpdateItem and DeleteItem do', async () => {
    const db = dynamoClient(nimbus.current)
    const streams = streamsClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } })
    await db.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }))
    const run = (Statement: string) => db.send(new ExecuteStatementCommand({ Statement }))
    await run(`INSERT INTO "${TableName}" VALUE {'pk': 's', 'sk': 1, 'v': 1}`)
    await run(`UPDATE "${TableName}" SET v = 2 WHERE pk = 's' AND sk = 1`)
    await run(`UPDATE "${TableName}" SET v = 2 WHERE pk = 's' AND sk = 1`)
    await run(`DELETE FROM "${TableName}" WHERE pk = 's' AND sk = 1`)
    const expiry = Math.floor(nimbus.current.clock.now() / 1000) + 60
    await run(`INSERT INTO "${TableName}" VALUE {'pk': 'ttl', 'sk': 1, 'exp': ${expiry}}`)
    // TTL deletes it 10 minutes of clock after its expiry (limits.ttlDeletionDelayMs).
    await advance(nimbus.current, 60_000 + 10 * 60_000)
    assert.equal((await db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'ttl' }, sk: { N: '1' } } }))).Item, undefined)
    const { Table } = await db.send(new DescribeTableCommand({ TableName }))
    const records = await allRecords(streams, Table!.LatestStreamArn!)
    // The update that changed nothing writes no record, as UpdateItem's doesn't.
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE', 'INSERT', 'REMOVE'])
    assert.deepEqual(records[1]!.dynamodb?.OldImage?.v, { N: '1' })
    assert.deepEqual(records[1]!.dynamodb?.NewImage?.v, { N: '2' })
    assert.equal(records[4]!.userIdentity?.PrincipalId, 'dynamodb.amazonaws.com')
    db.destroy()
    streams.destroy()
  })

  it('works through the DocumentClient', async () => {
    const low = dynamoClient(nimbus.current)
    const doc = DynamoDBDocumentClient.from(low)
    const TableName = await activeTable(nimbus.current, low)
    await doc.send(new DocExecuteStatementCommand({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': ?, 'sk': ?, 'doc': ?}`,
      Parameters: ['d', 1, { list: [1, 'a'], flag: true, tags: new Set(['t']) }] }))
    const got = await doc.send(new DocExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}" WHERE pk = ?`, Parameters: ['d'] }))
    assert.deepEqual(got.Items, [{ pk: 'd', sk: 1, doc: { list: [1, 'a'], flag: true, tags: new Set(['t']) } }])
    low.destroy()
  })

  it("answers DynamoDB's messages for statements it refuses", async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const message = async (Statement: string, Parameters?: { S: string }[]) => (await sdkError(db.send(new ExecuteStatementCommand({ Statement, Parameters })))).message
    assert.equal(await message(`SELECT * FROM "${TableName}" WHERE`), `${wellFormed}Unexpected term`)
    assert.equal(await message(`SELECT * FROM "${TableName}" WHERE pk = 'a' AND`), `${wellFormed}Missing right-hand side expression of infix operator`)
    assert.equal(await message(`SELECT * FROM "${TableName}" WHERE pk = 'a' foo`), `${wellFormed}Unexpected token after expression`)
    assert.equal(await message(`SELECT * FROM "${TableName}" WHERE ORDER BY pk`), `${wellFormed}Unexpected keyword`)
    assert.equal(await message('DELETE FROM'), `${wellFormed}Expected identifier for simple path`)
    assert.equal(await message(`UPDATE ${TableName}-x SET a = 1`), `${wellFormed}Expected data manipulation`)
    assert.equal(await message(`SELECT * FROM "${TableName}" t WHERE pk = 'x'`), 'Aliasing is not supported')
    assert.equal(await message(`SELECT * FROM "${TableName}" LIMIT 5`), 'Unsupported clause: LIMIT')
    assert.equal(await message(`SELECT * FROM "${TableName}" WHERE pk = ?`), "Number of parameters in request and statement don't match.")
    assert.equal(await message(`UPDATE "${TableName}" SET a = 1 WHERE pk = 'x'`), 'Where clause does not contain a mandatory equality on all key attributes')
    assert.equal(await message(`DELETE FROM "${TableName}" WHERE a = 1`), 'Where clause does not contain a mandatory equality on all key attributes')
    assert.equal(await message(`INSERT INTO "${TableName}" VALUE {'pk': 'x', 'sk': 1e126}`),
      'Number overflow. Attempting to store a number with magnitude larger than supported range under root')
    assert.equal(await message(`INSERT INTO "${TableName}" VALUE <<{'pk': 'x', 'sk': 1}, {'pk': 'y', 'sk': 1}>>`),
      'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead')
    assert.equal(await message(`INSERT INTO "${TableName}" VALUE {'pk': 'x'}`), 'Key attribute should be present in the item: Key sk')
    assert.equal(await message(`INSERT INTO "${TableName}" VALUE {'pk': 'x', 'sk': '1'}`), "Key attribute's data type should match its data type in table's schema: Key sk")
    assert.equal(await message(`INSERT INTO "${TableName}" VALUE {'pk': 'x', 'sk': 1} ON CONFLICT DO NOTHING`), 'Unsupported clause: ON CONFLICT')
    assert.deepEqual(await sdkError(db.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "no-such-table"' }))),
      { name: 'ResourceNotFoundException', message: 'Requested resource not found', status: 400 })
    assert.equal((await sdkError(db.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}"`, Limit: 0 })))).message,
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    db.destroy()
  })
})

describe('DynamoDB PartiQL batches and transactions', () => {
  it('runs a batch with an Error per failed statement, reads or writes only', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'dup' }, sk: { N: '1' } } }))
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'old' }, sk: { N: '1' }, bin: { B: new Uint8Array([1, 2]) } } }))
    const out = await db.send(new BatchExecuteStatementCommand({ ReturnConsumedCapacity: 'TOTAL', Statements: [
      { Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'b', 'sk': 1}` },
      { Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'dup', 'sk': 1}` },
      { Statement: `UPDATE "${TableName}" SET v = 1 WHERE pk = 'missing' AND sk = 1` },
      { Statement: `SELEC * FROM "${TableName}"` },
      { Statement: `UPDATE "${TableName}" SET v = 1 WHERE pk = 'old' AND sk = 1 AND v = 2`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
    ] }))
    assert.deepEqual(out.Responses, [
      { TableName },
      { TableName, Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      { TableName, Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
      { Error: { Code: 'ValidationError', Message: `${wellFormed}Expected data manipulation` } },
      { TableName, Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed',
        Item: { pk: { S: 'old' }, sk: { N: '1' }, bin: { B: new Uint8Array([1, 2]) } } } },
    ])
    assert.equal(out.ConsumedCapacity?.[0]?.CapacityUnits, 1)
    const reads = await db.send(new BatchExecuteStatementCommand({ Statements: [
      { Statement: `SELECT * FROM "${TableName}" WHERE pk = ? AND sk = 1`, Parameters: [{ S: 'b' }] },
      { Statement: `SELECT * FROM "${TableName}" WHERE pk = 'none' AND sk = 1`, ConsistentRead: true },
    ] }))
    assert.deepEqual(reads.Responses, [{ TableName, Item: { pk: { S: 'b' }, sk: { N: '1' } } }, { TableName }])
    assert.equal((await sdkError(db.send(new BatchExecuteStatementCommand({ Statements: [
      { Statement: `SELECT * FROM "${TableName}" WHERE pk = 'b' AND sk = 1` }, { Statement: `DELETE FROM "${TableName}" WHERE pk = 'b' AND sk = 1` },
    ] })))).message, 'Read and write requests together in the same batch is not supported.')
    const many = Array.from({ length: 26 }, (_, i) => ({ Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'm', 'sk': ${i}}` }))
    assert.equal((await sdkError(db.send(new BatchExecuteStatementCommand({ Statements: many })))).name, 'ValidationException')
    db.destroy()
  })

  it('runs a transaction all or nothing, with cancellation reasons and an idempotency token', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'acct' }, sk: { N: '1' }, balance: { N: '10' } } }))
    await db.send(new PutItemCommand({ TableName, Item: { pk: { S: 'bank' }, sk: { N: '1' }, open: { BOOL: true } } }))
    const transfer = (amount: number, ClientRequestToken?: string) => new ExecuteTransactionCommand({ ClientRequestToken, TransactStatements: [
      { Statement: `UPDATE "${TableName}" SET balance = balance - ? WHERE pk = 'acct' AND sk = 1 AND balance >= ?`,
        Parameters: [{ N: String(amount) }, { N: String(amount) }], ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      { Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'log', 'sk': ?}`, Parameters: [{ N: String(amount) }] },
      { Statement: `EXISTS(SELECT * FROM "${TableName}" WHERE pk = 'bank' AND sk = 1 AND open = true)` },
    ] })
    const done = await db.send(transfer(4, 'token-1'))
    assert.equal(done.Responses?.length, 3)
    // The same token again replays: nothing runs twice.
    await db.send(transfer(4, 'token-1'))
    const balance = async () => (await db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'acct' }, sk: { N: '1' } } }))).Item?.balance?.N
    assert.equal(await balance(), '6')
    assert.equal((await sdkError(db.send(transfer(5, 'token-1')))).name, 'IdempotentParameterMismatchException')

    const failed = await db.send(transfer(4)).then(() => assert.fail('the transaction went through'), (e: unknown) => e as {
      name: string; message: string; CancellationReasons?: { Code?: string; Message?: string; Item?: unknown }[]
    })
    assert.equal(failed.name, 'TransactionCanceledException')
    assert.equal(failed.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, None]')
    assert.deepEqual(failed.CancellationReasons?.map((r) => r.Code), ['None', 'DuplicateItem', 'None'])
    assert.equal(await balance(), '6')
    const keyless = await db.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `DELETE FROM "${TableName}" WHERE pk = 'log' AND sk = 4` }, { Statement: `INSERT INTO "${TableName}" VALUE {'pk': 'nokey'}` },
    ] })).then(() => assert.fail('the transaction went through'), (e: unknown) => e as { name: string; CancellationReasons?: { Code?: string; Message?: string }[] })
    assert.equal(keyless.name, 'TransactionCanceledException')
    assert.deepEqual(keyless.CancellationReasons, [{ Code: 'None' }, { Code: 'ValidationError', Message: 'Key attribute should be present in the item: Key sk' }])

    const reads = await db.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `SELECT balance FROM "${TableName}" WHERE pk = 'acct' AND sk = 1` },
      { Statement: `SELECT * FROM "${TableName}" WHERE pk = 'ghost' AND sk = 1` },
    ] }))
    assert.deepEqual(reads.Responses, [{ Item: { balance: { N: '6' } } }, {}])
    const mixed = await sdkError(db.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `SELECT * FROM "${TableName}" WHERE pk = 'acct' AND sk = 1` }, { Statement: `DELETE FROM "${TableName}" WHERE pk = 'log' AND sk = 4` },
    ] })))
    assert.equal(mixed.message, 'ExecuteTransaction API does not support both read and write operations in the same request.')
    assert.equal((await sdkError(db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "${TableName}" WHERE` }] })))).message,
      `Validation failed in TransactStatements[0]: ${wellFormed}Unexpected term`)
    db.destroy()
  })
})

describe('DynamoDB PartiQL with boto3', () => {
  it('runs statements, batches and transactions through the client', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    const script = `
import json, os, boto3
from botocore.exceptions import ClientError
client = boto3.client('dynamodb', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
                      aws_access_key_id='test', aws_secret_access_key='test')
q = lambda s: s.replace('TBL', '"' + os.environ['TABLE'] + '"')
out = {}
client.execute_statement(Statement=q("INSERT INTO TBL VALUE {'pk': ?, 'sk': ?, 'v': ?}"), Parameters=[{'S': 'py'}, {'N': '1'}, {'S': 'one'}])
try:
    client.execute_statement(Statement=q("INSERT INTO TBL VALUE {'pk': 'py', 'sk': 1}"))
except ClientError as e:
    out['duplicate'] = [e.response['Error']['Code'], e.response['Error']['Message']]
batch = client.batch_execute_statement(Statements=[{'Statement': q("UPDATE TBL SET v = 'two' WHERE pk = 'py' AND sk = 1")},
                                                   {'Statement': q("INSERT INTO TBL VALUE {'pk': 'py', 'sk': 2}")}])
out['batch'] = [r.get('Error', {}).get('Code', 'ok') for r in batch['Responses']]
try:
    client.execute_transaction(TransactStatements=[{'Statement': q("DELETE FROM TBL WHERE pk = 'py' AND sk = 2")},
                                                   {'Statement': q("INSERT INTO TBL VALUE {'pk': 'py', 'sk': 1}")}])
except ClientError as e:
    out['cancelled'] = [r['Code'] for r in e.response['CancellationReasons']]
out['items'] = client.execute_statement(Statement=q("SELECT sk, v FROM TBL WHERE pk = ?"), Parameters=[{'S': 'py'}])['Items']
print(json.dumps(out))
`
    const { stdout } = await promisify(execFile)('python3', ['-c', script], { env: { ...process.env, ENDPOINT: nimbus.current.endpoint, TABLE: TableName } })
    assert.deepEqual(JSON.parse(stdout), {
      duplicate: ['DuplicateItemException', 'Duplicate primary key exists in table'],
      batch: ['ok', 'ok'],
      cancelled: ['None', 'DuplicateItem'],
      items: [{ sk: { N: '1' }, v: { S: 'two' } }, { sk: { N: '2' } }],
    })
    db.destroy()
  })
})
