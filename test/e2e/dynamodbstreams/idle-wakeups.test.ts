// Review of idle pollers: no lost wake-up. A DynamoDB stream mapping caught up idles over a day; items
// then written through TransactWriteItems, BatchWriteItem, PartiQL (ExecuteStatement) and a TTL
// deletion each wake it, and are handed over within a second, as when it polled every second.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  BatchWriteItemCommand, ExecuteStatementCommand, PutItemCommand, TransactWriteItemsCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { lambdaClient } from '../../helpers/lambda.ts'
import type { Nimbus } from '../../../src/index.ts'
import { settle } from '../../helpers/function-log.ts'
import { batches, DAY, dynamoStreamAndFunction, idleFor, streamPolls } from '../../helpers/idle-pollers.ts'
import { advance, toNextSecond, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

/** A day idle: no polls once the polls owed after a batch are made. */
async function idleDay(n: Nimbus): Promise<void> {
  await advance(n, 5_000)
  await settle(20)
  await idleFor(n, DAY)
}

describe('idle DynamoDB stream mapping: no lost wake-up', () => {
  it('wakes for transactions, batch writes, PartiQL and TTL deletions', async () => {
    const n = nimbus.current
    const { ddb, table, streamArn: arn, fn, log } = await dynamoStreamAndFunction(n, 'NEW_AND_OLD_IMAGES')
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }))
    await toNextSecond(n)
    await lambdaClient(n).send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'LATEST' }))
    await advance(n, 3_000)
    await idleDay(n)

    await ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: { S: 'tx' } } } }] }))
    await advance(n, 1_000)
    await batches(log, 1)
    await idleDay(n)
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { pk: { S: 'batch' } } } }] } }))
    await advance(n, 1_000)
    await batches(log, 2)
    await idleDay(n)
    await ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${table}" VALUE {'pk': 'partiql'}` }))
    await advance(n, 1_000)
    await batches(log, 3)
    await idleDay(n)
    // An item expiring an hour on: TTL deletes it while the mapping idles (AWS: within days; here on the clock).
    const exp = Math.floor((n.clock.now() + 3_600_000) / 1000)
    await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'ttl' }, exp: { N: String(exp) } } }))
    await advance(n, 1_000)
    await batches(log, 4)
    // Idle up to just before the deletion (an hour on, plus TTL's 10-minute delay), then past it: the
    // deletion wakes the mapping. (One long jump over it would keep the poll that reads the REMOVE
    // waiting behind an earlier poll until the jump ends, by when a 3-day jump has trimmed it: 24 h.)
    await advance(n, 5_000)
    await settle(20)
    const idle = streamPolls(n)
    await advance(n, exp * 1000 + 600_000 - 1 - n.clock.now())
    await settle(20)
    assert.equal(streamPolls(n), idle, 'idle until the deletion')
    await advance(n, 1_001)
    await batches(log, 5)
    assert.deepEqual(log.tagged('BATCH'), [['INSERT:tx'], ['INSERT:batch'], ['INSERT:partiql'], ['INSERT:ttl'], ['REMOVE:ttl']])
    log.stop()
  })
})
