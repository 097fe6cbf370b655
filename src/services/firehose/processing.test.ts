// Data transformation's invocations stay within Lambda's 6 MB synchronous request: the event is cut by
// its real JSON size — Kinesis-sourced records carry their kinesisRecordMetadata (a partition key of up
// to 256 characters, UTF-8) besides the base64 data, and many small records add up.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LambdaPort } from '../lambda/port.ts'
import type { BufferedRecord } from './buffered-record.ts'
import { processRecords } from './processing.ts'

/** A function answering every record Ok, remembering each request's size in bytes. */
function echoLambda(sizes: number[]): LambdaPort {
  return {
    invoke: async (_arn: string, payload: string) => {
      sizes.push(Buffer.byteLength(payload))
      const event = JSON.parse(payload) as { records: Array<{ recordId: string; data: string }> }
      return { outcome: 'success', payload: Buffer.from(JSON.stringify({ records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) })) }
    },
  } as unknown as LambdaPort
}

const processor = { lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', retries: 0, bufferBytes: 3 * 1024 * 1024, intervalMs: 60_000 }
const streamArn = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/s'
const sourceArn = 'arn:aws:kinesis:us-east-1:000000000000:stream/src'

describe('Firehose data transformation: invocation size', () => {
  it("cuts invocations at Lambda's 6 MB request, counting each record's whole JSON", async () => {
    const key = 'é'.repeat(256)
    const records: BufferedRecord[] = Array.from({ length: 12_000 }, (_, i) => ({
      seq: i + 1, data: Buffer.from('x'), arrival: 1_700_000_000_000,
      kinesis: { sequenceNumber: '4954698668313554428650745793632162567570019247115678515' + String(i % 10), subsequenceNumber: 0, partitionKey: key,
        shardId: 'shardId-000000000000', approximateArrivalTimestamp: 1_700_000_000_000 },
    }))
    const sizes: number[] = []
    const processed = await processRecords(echoLambda(sizes), processor, streamArn, 'us-east-1', records, () => 0, sourceArn)
    assert.equal(processed.ok.length, records.length)
    assert.equal(processed.failed.length, 0)
    assert.ok(sizes.length >= 2, `one invocation of ${sizes[0]} bytes`)
    for (const size of sizes) assert.ok(size <= 6 * 1024 * 1024, `an invocation of ${size} bytes`)
  })

  it('still cuts by the processor buffer size when records are large', async () => {
    const records: BufferedRecord[] = Array.from({ length: 8 }, (_, i) => ({ seq: i + 1, data: Buffer.alloc(500_000, 97), arrival: 0 }))
    const sizes: number[] = []
    const processed = await processRecords(echoLambda(sizes), { ...processor, bufferBytes: 1024 * 1024 }, streamArn, 'us-east-1', records, () => 0)
    assert.equal(processed.ok.length, 8)
    assert.deepEqual(processed.ok.map((r) => r.data.length), Array(8).fill(500_000))
    assert.equal(sizes.length, 4, 'two 500 KB records an invocation of a 1 MB buffer')
  })
})
