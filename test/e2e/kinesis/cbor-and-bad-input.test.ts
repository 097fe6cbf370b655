// What the Java SDK and KCL send: awsJson 1.1 in CBOR (application/x-amz-cbor-1.1), over raw HTTP —
// a full put/read round trip with byte strings and tag-1 timestamps — and malformed CBOR or JSON
// bodies, which answer AWS's SerializationException while Nimbus keeps serving.
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { describe, it } from 'node:test'
import { CborTag, decode, encode } from '../../../src/protocol/cbor/cbor.ts'
import { tagOneDate } from '../../../src/protocol/cbor/cbor-shapes.ts'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

function post(operation: string, contentType: string, body: Buffer | string): Promise<{ status: number; type: string; body: Buffer }> {
  const url = new URL('/', nimbus.current.endpoint)
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType, 'x-amz-target': `Kinesis_20131202.${operation}`,
      ...signedBy('kinesis') } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const cbor = (operation: string, input: unknown) => post(operation, 'application/x-amz-cbor-1.1', encode(input))
// Tag 1 kept as a CborTag, to read it as the Java SDK does (integer epoch milliseconds).
const decoded = (r: { body: Buffer }) => decode(r.body, { epochAsNumber: false }) as Record<string, unknown>

describe('CBOR (application/x-amz-cbor-1.1)', () => {
  it('PutRecord, GetShardIterator (AT_TIMESTAMP as tag 1) and GetRecords round-trip bytes and timestamps', async () => {
    const name = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const data = Buffer.from([0, 1, 2, 250, 251, 252])
    const start = new Date(nimbus.current.clock.now())
    const put = await cbor('PutRecord', { StreamName: name, PartitionKey: 'pk', Data: data })
    assert.equal(put.status, 200)
    assert.equal(put.type, 'application/x-amz-cbor-1.1')
    const putOut = decoded(put)
    assert.equal(putOut['ShardId'], 'shardId-000000000000')
    assert.match(String(putOut['SequenceNumber']), /^49\d{54}$/)
    const it = decoded(await cbor('GetShardIterator', { StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: new CborTag(1, start.getTime()) })) // as the Java SDK writes it: tag 1 + integer milliseconds
    const got = await cbor('GetRecords', { ShardIterator: it['ShardIterator'], Limit: 10 })
    assert.equal(got.status, 200)
    // Byte strings and tag 1 (epoch milliseconds) on the wire, not base64 and seconds as in JSON.
    assert.ok(got.body.includes(Buffer.from([0x46, 0, 1, 2, 250, 251, 252])))
    const records = decoded(got)['Records'] as Array<Record<string, unknown>>
    assert.deepEqual(Buffer.from(records[0]!['Data'] as Uint8Array), data)
    assert.equal(records[0]!['PartitionKey'], 'pk')
    const arrival = records[0]!['ApproximateArrivalTimestamp'] as CborTag
    assert.ok(arrival instanceof CborTag && arrival.tag === 1 && Number.isInteger(arrival.value))
    assert.deepEqual(tagOneDate(arrival.value), start)
    assert.equal(records[0]!['SequenceNumber'], putOut['SequenceNumber'])
  })

  it('a 6 MiB record (the stream\'s MaxRecordSizeInKiB raised) round-trips as a byte string; past the size, Coral\'s error in CBOR', async () => {
    const name = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const arn = `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`
    const data = Buffer.alloc(6 * 1_048_576, 0x5a)
    const refused = await cbor('PutRecord', { StreamName: name, PartitionKey: 'pk', Data: data })
    assert.deepEqual({ ...decoded(refused) }, { __type: 'com.amazonaws.kinesis#ValidationException', message: "1 validation error detected: " +
      "Value at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576" })
    assert.equal((await cbor('UpdateMaxRecordSize', { StreamARN: arn, MaxRecordSizeInKiB: 8192 })).status, 200)
    assert.equal((await cbor('PutRecord', { StreamName: name, PartitionKey: 'pk', Data: data })).status, 200)
    const it = decoded(await cbor('GetShardIterator', { StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const records = decoded(await cbor('GetRecords', { ShardIterator: it['ShardIterator'] }))['Records'] as Array<Record<string, unknown>>
    assert.ok(Buffer.from(records[0]!['Data'] as Uint8Array).equals(data))
  })

  it('errors come back in CBOR with __type and message', async () => {
    const r = await cbor('DescribeStream', { StreamName: 'nope' })
    assert.equal(r.status, 400)
    assert.equal(r.type, 'application/x-amz-cbor-1.1')
    assert.deepEqual({ ...decoded(r) }, { __type: 'com.amazonaws.kinesis#ResourceNotFoundException',
      message: 'Stream nope under account 000000000000 not found.' })
  })
  it('DryRun (a CBOR boolean) answers DryRunOperationException in CBOR and writes nothing', async () => {
    const name = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const r = await cbor('PutRecord', { StreamName: name, PartitionKey: 'pk', Data: Buffer.from([1]), DryRun: true })
    assert.equal(r.status, 400)
    assert.deepEqual({ ...decoded(r) }, { __type: 'com.amazonaws.kinesis#DryRunOperationException',
      message: 'Request would have succeeded, but DryRun flag is set.' })
    const it = decoded(await cbor('GetShardIterator', { StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    assert.deepEqual(decoded(await cbor('GetRecords', { ShardIterator: it['ShardIterator'] }))['Records'], [])
  })
})

describe('malformed bodies never crash Nimbus', () => {
  const cases: Array<[string, string, Buffer | string]> = [
    ['truncated CBOR', 'application/x-amz-cbor-1.1', Buffer.from([0xa1, 0x6a, 0x53])],
    ['CBOR that is not a map', 'application/x-amz-cbor-1.1', Buffer.from([0x83, 1, 2, 3])],
    ['a reserved CBOR byte', 'application/x-amz-cbor-1.1', Buffer.from([0x1c])],
    ['deeply nested CBOR', 'application/x-amz-cbor-1.1', Buffer.alloc(5000, 0x81)],
    ['a CBOR member of the wrong type', 'application/x-amz-cbor-1.1', encode({ StreamName: 5 })],
    ['broken JSON', 'application/x-amz-json-1.1', '{"StreamName": '],
    ['JSON of the wrong type', 'application/x-amz-json-1.1', '{"StreamName": ["a"]}'],
  ]
  for (const [what, type, body] of cases) {
    it(`${what} → 400 SerializationException`, async () => {
      const r = await post('DescribeStream', type, body)
      assert.equal(r.status, 400)
      const parsed = type.includes('cbor') ? decoded(r) : JSON.parse(r.body.toString()) as Record<string, unknown>
      assert.equal(parsed['__type'], 'com.amazonaws.kinesis#SerializationException')
    })
  }
  it('a PutRecord Data that is not base64-able bytes in CBOR is refused, and Nimbus still answers', async () => {
    const r = await cbor('PutRecord', { StreamName: 'x', PartitionKey: 'p', Data: 12 })
    assert.equal(r.status, 400)
    const ok = await cbor('ListStreams', {})
    assert.equal(ok.status, 200)
  })
})
