// A dynamically partitioned stream's buffers: each partition is full at SizeInMBs on its own and
// is cut alone, leaving the other partitions buffering (the e2e suite covers the interval; 64 MiB
// objects are too big to send there, so the size rule is checked here on a smaller hint).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DeliveryStream } from './delivery-stream.ts'
import type { S3Settings } from './destination.ts'

const settings: S3Settings = {
  RoleARN: 'arn:aws:iam::000000000000:role/r', BucketARN: 'arn:aws:s3:::b', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
  CompressionFormat: 'UNCOMPRESSED', EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
  DynamicPartitioningConfiguration: { Enabled: true }, Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/',
  ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [
    { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{k: .k}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }] },
}
const record = (seq: number, k: string, bytes: number) =>
  ({ seq, arrival: seq, data: Buffer.from(JSON.stringify({ k, pad: 'x'.repeat(bytes) })) })

describe('partitioned delivery stream buffers', () => {
  it('cuts only the partition that reached SizeInMBs', () => {
    const stream = new DeliveryStream({ uid: 1, name: 's', account: 'a', region: 'r', type: 'DirectPut', createdAt: 0, legacy: false, settings, source: undefined })
    stream.append(record(1, 'a', 600_000))
    stream.append(record(2, 'b', 900_000))
    assert.equal(stream.full(), false, 'the stream holds 1.5 MB, but no partition holds 1 MiB')
    stream.append(record(3, 'a', 600_000))
    assert.equal(stream.full(), true)
    const batch = stream.cut(1, 10)!
    assert.deepEqual(batch.records.map((r) => r.seq), [1, 3])
    assert.equal(batch.partial, true)
    assert.deepEqual(stream.buffer.map((r) => r.seq), [2])
    assert.equal(stream.full(), false)
    assert.equal(stream.cut(2, 10), undefined, 'b is neither full nor due')
    assert.deepEqual(stream.cut(3, 2 + 60_000)!.records.map((r) => r.seq), [2])
  })

  it('keeps one buffer without dynamic partitioning', () => {
    const plain = { ...settings, DynamicPartitioningConfiguration: undefined, ProcessingConfiguration: undefined, Prefix: undefined }
    const stream = new DeliveryStream({ uid: 1, name: 's', account: 'a', region: 'r', type: 'DirectPut', createdAt: 0, legacy: false, settings: plain, source: undefined })
    stream.append(record(1, 'a', 600_000))
    stream.append(record(2, 'b', 600_000))
    assert.equal(stream.full(), true)
    assert.deepEqual(stream.cut(1, 0)!.records.map((r) => r.seq), [1, 2])
  })
})
