// The clients people use beside the low-level SDK: lib-dynamodb's DocumentClient (native JS values,
// sets, paginators) and boto3's resource API (Table, batch_writer, conditions, Decimal numbers).
// boto3 is part of these machines' image (see .library/env); a missing boto3 fails, it never skips.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { DynamoDBDocumentClient, GetCommand, paginateQuery, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const run = promisify(execFile)

describe('DynamoDB DocumentClient (lib-dynamodb)', () => {
  it('round-trips native values, updates, paginates and transacts', async () => {
    const low = dynamoClient(nimbus.current)
    const doc = DynamoDBDocumentClient.from(low)
    const TableName = await activeTable(nimbus.current, low)
    const item = { pk: 'doc', sk: 1, name: 'Ada', tags: new Set(['a', 'b']), nested: { list: [1, 'two', null, true], empty: '' }, bytes: new Uint8Array([9]) }
    await doc.send(new PutCommand({ TableName, Item: item }))
    const got = await doc.send(new GetCommand({ TableName, Key: { pk: 'doc', sk: 1 } }))
    assert.deepEqual(got.Item, item)
    const updated = await doc.send(new UpdateCommand({ TableName, Key: { pk: 'doc', sk: 1 }, UpdateExpression: 'SET #n = :n ADD visits :one',
      ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': 'Grace', ':one': 1 }, ReturnValues: 'UPDATED_NEW' }))
    assert.deepEqual(updated.Attributes, { name: 'Grace', visits: 1 })
    for (let sk = 2; sk <= 12; sk++) await doc.send(new PutCommand({ TableName, Item: { pk: 'doc', sk } }))
    const seen: number[] = []
    for await (const page of paginateQuery({ client: doc, pageSize: 4 }, { TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'doc' } })) {
      seen.push(...(page.Items ?? []).map((i) => i.sk as number))
    }
    assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => i + 1))
    await doc.send(new TransactWriteCommand({ TransactItems: [
      { Delete: { TableName, Key: { pk: 'doc', sk: 2 } } },
      { ConditionCheck: { TableName, Key: { pk: 'doc', sk: 1 }, ConditionExpression: 'visits = :one', ExpressionAttributeValues: { ':one': 1 } } },
    ] }))
    assert.equal((await doc.send(new GetCommand({ TableName, Key: { pk: 'doc', sk: 2 } }))).Item, undefined)
    low.destroy()
  })
})

describe('DynamoDB with boto3', () => {
  it('works through the resource API', async () => {
    const script = `
import json, os, boto3, decimal
from boto3.dynamodb.conditions import Key, Attr
from botocore.exceptions import ClientError
db = boto3.resource('dynamodb', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
                    aws_access_key_id='test', aws_secret_access_key='test')
client = db.meta.client
table = db.create_table(TableName='boto-table', KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}, {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
                        AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}, {'AttributeName': 'sk', 'AttributeType': 'N'}],
                        BillingMode='PAY_PER_REQUEST')
out = {'status': table.table_status}
print(json.dumps(out), flush=True)
input()
with table.batch_writer() as batch:
    for i in range(30):
        batch.put_item(Item={'pk': 'b', 'sk': i, 'price': decimal.Decimal('1.10') * i, 'even': i % 2 == 0})
got = table.query(KeyConditionExpression=Key('pk').eq('b') & Key('sk').between(5, 9), FilterExpression=Attr('even').eq(True))
out['query'] = [int(i['sk']) for i in got['Items']]
out['price'] = str(table.get_item(Key={'pk': 'b', 'sk': 3})['Item']['price'])
try:
    table.put_item(Item={'pk': 'b', 'sk': 3}, ConditionExpression=Attr('pk').not_exists())
except ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['Error']['Message']]
out['count'] = table.scan(Select='COUNT')['Count']
print(json.dumps(out))
`
    // The table is CREATING until the clock moves: the script waits on stdin for the test to move it.
    const child = run('python3', ['-c', script], { env: { ...process.env, ENDPOINT: nimbus.current.endpoint } })
    const proc = child.child
    await new Promise<void>((resolve) => proc.stdout!.once('data', () => resolve()))
    nimbus.current.clock.advance(1_000)
    proc.stdin!.end('\n')
    const { stdout } = await child
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>
    assert.equal(out.status, 'CREATING')
    assert.deepEqual(out.query, [6, 8])
    assert.equal(out.price, '3.3')
    assert.deepEqual(out.error, ['ConditionalCheckFailedException', 'The conditional request failed'])
    assert.equal(out.count, 30)
  })
})
