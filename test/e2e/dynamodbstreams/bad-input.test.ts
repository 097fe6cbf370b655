// DynamoDB Streams on malformed requests (raw HTTP: no SDK sends these): AWS's JSON errors, never a crash.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

async function call(operation: string, body: string) {
  const res = await rawRequest(nimbus.current.endpoint, {
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDBStreams_20120810.${operation}`, ...signedBy('dynamodb') }, body,
  })
  const parsed = JSON.parse(res.body) as { __type?: string; message?: string }
  return { status: res.status, type: parsed.__type?.split('#')[1] ?? '', message: parsed.message ?? '' }
}

describe('DynamoDB Streams bad input', () => {
  it('answers malformed bodies, missing members and bad iterators with JSON errors', async () => {
    assert.equal((await call('ListStreams', '{not json')).status, 400)
    const missing = await call('DescribeStream', '{}')
    assert.deepEqual(missing, { status: 400, type: 'ValidationException',
      message: "1 validation error detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null" })
    const iterator = await call('GetRecords', JSON.stringify({ ShardIterator: 'a|1|%%%' }))
    assert.deepEqual(iterator, { status: 400, type: 'ValidationException', message: 'Invalid ShardIterator' })
    const type = await call('GetShardIterator', JSON.stringify({ StreamArn: 'arn:x', ShardId: 's', ShardIteratorType: 'OLDEST' }))
    assert.equal(type.type, 'ValidationException')
    assert.match(type.message, /Member must satisfy enum value set: \[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER\]/)
    const unknown = await call('ListTables', '{}')
    assert.equal(unknown.status, 400)
    assert.equal(unknown.type, 'UnknownOperationException')
    // Still serving.
    assert.deepEqual(await call('ListStreams', '{}'), { status: 200, type: '', message: '' })
  })
})
