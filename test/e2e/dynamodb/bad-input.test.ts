// Requests no SDK would send, raw over HTTP: malformed bodies, wrong shapes, missing members and odd
// AttributeValues get DynamoDB's JSON errors (never a crash or a 500), and Nimbus keeps serving.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

async function call(operation: string, body: string): Promise<{ status: number; type: string; message: string }> {
  const res = await rawRequest(nimbus.current.endpoint, {
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`, ...signedBy('dynamodb') }, body,
  })
  const parsed = JSON.parse(res.body) as { __type?: string; message?: string }
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0')
  return { status: res.status, type: parsed.__type?.split('#')[1] ?? '', message: parsed.message ?? '' }
}

describe('DynamoDB bad input', () => {
  it('answers malformed bodies and shapes with JSON errors', async () => {
    assert.equal((await call('PutItem', '{not json')).type, 'SerializationException')
    assert.equal((await call('PutItem', '[]')).type, 'SerializationException')
    assert.equal((await call('PutItem', '{"TableName": 5}')).type, 'SerializationException')
    assert.equal((await call('NoSuchOperation', '{}')).type, 'UnknownOperationException')
  })

  it('names missing members and empty or doubled AttributeValues as DynamoDB does', async () => {
    assert.deepEqual(await call('PutItem', '{"Item": {"a": {"S": "x"}}}'), {
      status: 400, type: 'ValidationException',
      message: "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    })
    await call('CreateTable', JSON.stringify({ TableName: 'raw-table', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }))
    nimbus.current.clock.advance(1_000)
    assert.deepEqual(await call('PutItem', '{"TableName": "raw-table", "Item": {"id": {"S": "x"}, "a": {}}}'), {
      status: 400, type: 'ValidationException', message: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    })
    assert.deepEqual(await call('PutItem', '{"TableName": "raw-table", "Item": {"id": {"S": "x"}, "a": {"S": "y", "N": "1"}}}'), {
      status: 400, type: 'ValidationException',
      message: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    })
    assert.deepEqual(await call('PutItem', '{"TableName": "raw-table", "Item": {"id": {"S": "x"}, "a": {"NULL": false}}}'), {
      status: 400, type: 'ValidationException', message: 'One or more parameter values were invalid: Null attribute value types must have the value of true',
    })
    const deep = '{"M": {"a": '.repeat(40) + '{"S": "x"}' + '}}'.repeat(40)
    assert.equal((await call('PutItem', `{"TableName": "raw-table", "Item": {"id": {"S": "x"}, "a": ${deep}}}`)).type, 'ValidationException')
    assert.equal((await call('PutItem', '{"TableName": "raw-table", "Item": {"id": {"S": "still-serving"}}}')).status, 200)
  })
})
