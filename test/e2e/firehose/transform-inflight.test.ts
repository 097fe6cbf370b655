// A transformation in flight — the function invoked, its answer not back — when the stream is updated
// or deleted: a deleted stream's answer is thrown away (nothing delivered, nothing pending, no crash);
// after an update the answer is placed by the new settings, and records that arrived meanwhile wait
// for the next invocation, never two at once. The function waits at the test's gate (no sleeping).
import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { DeleteDeliveryStreamCommand, PutRecordBatchCommand, UpdateDestinationCommand } from '@aws-sdk/client-firehose'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()

const held: ServerResponse[] = []
const asked: string[] = []
const gate = createServer((req, res) => {
  asked.push(decodeURIComponent(req.url!.slice(1)))
  held.push(res)
})
before(() => new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve)))
after(() => {
  for (const res of held.splice(0)) res.end()
  gate.close()
})
const release = () => held.splice(0).forEach((res) => res.end('ok'))

/** Resolves once the gate has been asked `n` times in all (yielding, a few ms at a time: the function runs apart). */
async function asks(n: number): Promise<void> {
  for (let i = 0; i < 3_000 && asked.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 5))
  assert.equal(asked.length, n, `the gate was asked ${asked.length} times`)
}

// Each invocation asks the gate with its records' data, then upper-cases them.
const transformer = (port: number) => `
exports.handler = async (event) => {
  const texts = event.records.map((r) => Buffer.from(r.data, 'base64').toString())
  await fetch('http://127.0.0.1:${port}/' + encodeURIComponent(texts.join(',')))
  return { records: event.records.map((r, i) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from(texts[i].toUpperCase() + '\\n').toString('base64') })) }
}`

const processor = (fn: string) => ({ Enabled: true, Processors: [{ Type: 'Lambda' as const, Parameters: [
  { ParameterName: 'LambdaArn' as const, ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` },
  { ParameterName: 'BufferIntervalInSeconds' as const, ParameterValue: '0' }] }] })

/** A stream whose gated function transforms on arrival (processor interval 0), and where the gate's log and the deliveries stand. */
async function gatedStream() {
  const fn = await createFunction(lambdaClient(nimbus.current), transformer((gate.address() as AddressInfo).port))
  const stream = await streamToBucket(nimbus.current, {
    BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: processor(fn),
  })
  return { ...stream, start: asked.length, delivered: firehoseHealth(nimbus.current).deliveredObjects }
}

describe('Firehose: a transformation in flight', () => {
  it('is thrown away when its stream is deleted meanwhile', async () => {
    const { firehose, s3, bucket, name, start } = await gatedStream()
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('gone') }] }))
    await asks(start + 1)
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }))
    assert.equal(firehoseHealth(nimbus.current).deliveriesInFlight, 1, 'the invocation is still out')
    release()
    await deliveriesSettled(nimbus.current)
    await advance(nimbus.current, 3_600_000)
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(await listKeys(s3, bucket), [])
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 0)
  })

  it('is placed after an update removing the Lambda; records put meanwhile go to the destination as sent', async () => {
    const { firehose, s3, bucket, name, start, delivered } = await gatedStream()
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a') }] }))
    await asks(start + 1)
    // While the function holds 'a': 'b' waits (one invocation at a time), then the Lambda is removed.
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('b') }] }))
    await firehose.send(new UpdateDestinationCommand({ DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { ProcessingConfiguration: { Enabled: false } } }))
    release()
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(asked.slice(start), ['a'], "'b' never reaches the function")
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(), 'bA\n')
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 0)
  })

  it('holds the records that fill the buffer meanwhile for the next invocation, one at a time', async () => {
    const { firehose, s3, bucket, name, start, delivered } = await gatedStream()
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a') }] }))
    await asks(start + 1)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('b') }, { Data: Buffer.from('c') }] }))
    assert.equal(asked.length, start + 1)
    release()
    await asks(start + 2)
    release()
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(asked.slice(start), ['a', 'b,c'])
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const [key] = await listKeys(s3, bucket)
    assert.equal((await objectBytes(s3, bucket, key!)).toString(), 'A\nB\nC\n')
  })
})
