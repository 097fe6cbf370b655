// Data transformation buffers twice, as AWS documents it: incoming records wait in the Lambda
// processor's own buffer (BufferSizeInMBs 0.2–3, default 1; BufferIntervalInSeconds, default 60), the
// function is invoked with each buffered batch (invocations of at most BufferSizeInMBs), and what it
// returns waits in the destination's buffer (SizeInMBs / IntervalInSeconds, counted from then).
// A restart loses nothing: source records not yet transformed are transformed after it, and
// transformed records are delivered without running the function again.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutRecordBatchCommand, UpdateDestinationCommand } from '@aws-sdk/client-firehose'
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamTo, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()

const transformer = `
exports.handler = async (event) => {
  console.log('BATCH ' + JSON.stringify(event.records.length))
  return { records: event.records.map((r) => {
    const text = Buffer.from(r.data, 'base64').toString()
    return { recordId: r.recordId, result: 'Ok', data: Buffer.from((text.length > 20 ? 'big' + text.length : text.toUpperCase()) + '\\n').toString('base64') }
  }) }
}`

const lambdaProcessor = (fn: string, params: Record<string, string> = {}) => ({
  Enabled: true,
  Processors: [{ Type: 'Lambda' as const, Parameters: [{ ParameterName: 'LambdaArn' as const, ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` },
    ...Object.entries(params).map(([k, v]) => ({ ParameterName: k as 'BufferSizeInMBs', ParameterValue: v }))] }],
})

const transformations = () => firehoseHealth(nimbus.current).transformations

/** A stream to a new bucket through the transformer, and the transformations and deliveries counted so far. */
async function transformingStream(hints: { SizeInMBs: number; IntervalInSeconds: number }, params: Record<string, string>) {
  const fn = await createFunction(lambdaClient(nimbus.current), transformer)
  const stream = await streamToBucket(nimbus.current, { BufferingHints: hints, ProcessingConfiguration: lambdaProcessor(fn, params) })
  return { ...stream, before: transformations(), delivered: firehoseHealth(nimbus.current).deliveredObjects }
}

/** No object in the bucket until `ms` of clock have passed, then the one object the `count`th delivery wrote: its text. */
async function objectAfter(s3: S3Client, bucket: string, ms: number, count: number): Promise<string> {
  await advance(nimbus.current, ms - 1)
  await deliveriesSettled(nimbus.current)
  assert.deepEqual(await listKeys(s3, bucket), [])
  await advance(nimbus.current, 1)
  await deliveriesSettled(nimbus.current, count)
  const [key] = await listKeys(s3, bucket)
  return (await objectBytes(s3, bucket, key!)).toString()
}

describe("Firehose data transformation's two buffers", () => {
  it('invokes the function as soon as the processor buffer holds BufferSizeInMBs, in invocations of at most that size', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), transformer)
    const log = watchFunctionLog(nimbus.current, fn)
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: lambdaProcessor(fn, { BufferSizeInMBs: '0.2' }),
    })
    const before = transformations()
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    // 0.2 MiB is 209,715 bytes: two records of 100,000 stay buffered, the third reaches it (no clock moved).
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [1, 2].map(() => ({ Data: Buffer.alloc(100_000, 'x') })) }))
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.alloc(100_000, 'y') }] }))
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before + 1)
    await log.waitFor('BATCH', 2)
    assert.deepEqual(log.tagged('BATCH'), [2, 1], 'each invocation carries at most BufferSizeInMBs')
    // The transformed records now wait in the destination's buffer: its 60 s count from the transformation.
    assert.deepEqual(await listKeys(s3, bucket), [])
    assert.equal(await objectAfter(s3, bucket, 60_000, delivered + 1), 'big100000\nbig100000\nbig100000\n')
    log.stop()
  })

  it("waits the processor's BufferIntervalInSeconds before invoking, then the destination's IntervalInSeconds", async () => {
    const { firehose, s3, bucket, name, before, delivered } = await transformingStream({ SizeInMBs: 1, IntervalInSeconds: 60 }, { BufferIntervalInSeconds: '120' })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a') }] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before, 'the destination interval alone does not invoke the function')
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('b') }] }))
    await advance(nimbus.current, 59_999)
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before)
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before + 1, 'one invocation for both records, 120 s after the first')
    assert.equal(await objectAfter(s3, bucket, 60_000, delivered + 1), 'A\nB\n')
  })
})

describe('Firehose data transformation with a backup and after an update', () => {
  it('a processor BufferIntervalInSeconds of 0 (the guide: 0–900) invokes the function on arrival, without the clock moving', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), transformer)
    const log = watchFunctionLog(nimbus.current, fn)
    const { firehose, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: lambdaProcessor(fn, { BufferIntervalInSeconds: '0' }),
    })
    const before = transformations()
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('zero') }] }))
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before + 1)
    await log.waitFor('BATCH', 1)
    assert.deepEqual(log.tagged('BATCH'), [1])
    log.stop()
  })

  it('backs up the source records when the function takes them, and delivers its output a destination interval later', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), transformer)
    const { s3 } = clients(nimbus.current)
    const backup = uniqueName('fh-backup').toLowerCase()
    await s3.send(new CreateBucketCommand({ Bucket: backup }))
    const { firehose, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: lambdaProcessor(fn), S3BackupMode: 'Enabled',
      S3BackupConfiguration: { RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${backup}`, Prefix: 'raw/' },
    })
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a') }, { Data: Buffer.from('b') }] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const [raw] = await listKeys(s3, backup)
    assert.match(raw!, /^raw\//)
    assert.equal((await objectBytes(s3, backup, raw!)).toString(), 'ab', 'the untransformed source records')
    assert.deepEqual(await listKeys(s3, bucket), [])
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 2)
    const [key] = await listKeys(s3, bucket)
    assert.equal((await objectBytes(s3, bucket, key!)).toString(), 'A\nB\n')
  })

  it('an update adding a Lambda moves buffered source records into its buffer', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), transformer)
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 300 } })
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a') }] }))
    await advance(nimbus.current, 30_000)
    await firehose.send(new UpdateDestinationCommand({ DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { ProcessingConfiguration: lambdaProcessor(fn) } }))
    const before = transformations()
    // Due at its arrival + the processor's 60 s, then the destination's 300 s from there.
    await advance(nimbus.current, 29_999)
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before)
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current)
    assert.equal(transformations(), before + 1)
    await advance(nimbus.current, 300_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const [key] = await listKeys(s3, bucket)
    assert.equal((await objectBytes(s3, bucket, key!)).toString(), 'A\n')
  })

  it('an update disabling the processing hands the records waiting for the function to the destination as sent', async () => {
    const { firehose, s3, bucket, name, before, delivered } = await transformingStream({ SizeInMBs: 1, IntervalInSeconds: 120 }, { BufferIntervalInSeconds: '600' })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a') }] }))
    await advance(nimbus.current, 60_000)
    await firehose.send(new UpdateDestinationCommand({ DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { ProcessingConfiguration: { Enabled: false } } }))
    // Now in the destination's buffer, due at its arrival + 120 s.
    assert.equal(await objectAfter(s3, bucket, 60_000, delivered + 1), 'a')
    assert.equal(transformations(), before)
  })
})

/** Nothing goes to the function (counted since the last restart) until `ms` of clock have passed, then one invocation. */
async function transformsAt(nimbus: Parameters<typeof advance>[0], ms: number, message: string): Promise<void> {
  await advance(nimbus, ms - 1)
  await deliveriesSettled(nimbus)
  assert.equal(firehoseHealth(nimbus).transformations, 0)
  await advance(nimbus, 1)
  await deliveriesSettled(nimbus)
  assert.equal(firehoseHealth(nimbus).transformations, 1, message)
}

describe('Firehose data transformation across restarts', () => {
  it('transforms stored source records after a restart, and delivers stored transformed ones without invoking again', async () => {
    const n = await durableNimbus('firehose-transform')
    let { firehose, s3 } = clients(n.nimbus)
    const fn = await createFunction(lambdaClient(n.nimbus), transformer)
    await s3.send(new CreateBucketCommand({ Bucket: 'durable-transform' }))
    await streamTo(n.nimbus, 'shout', 'durable-transform', { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 300 }, ProcessingConfiguration: lambdaProcessor(fn) })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'shout', Records: [{ Data: Buffer.from('a') }, { Data: Buffer.from('b') }] }))
    await advance(n.nimbus, 30_000)

    // Restarted inside the processor's 60 s: the records are still there, and due at their arrival + 60 s.
    await n.restart()
    ;({ firehose, s3 } = clients(n.nimbus))
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 2)
    await transformsAt(n.nimbus, 30_000, 'both records go to the function')
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'shout', Records: [{ Data: Buffer.from('c') }] }))
    await advance(n.nimbus, 30_000)

    // Restarted with two transformed records in the destination's buffer (due 300 s after their transformation)
    // and one source record in the processor's buffer (due 60 s after it arrived, 30 s from now).
    await n.restart()
    ;({ firehose, s3 } = clients(n.nimbus))
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 3)
    await transformsAt(n.nimbus, 30_000, 'only the untransformed record goes to the function')
    await advance(n.nimbus, 239_999)
    await deliveriesSettled(n.nimbus)
    assert.deepEqual(await listKeys(s3, 'durable-transform'), [])
    await advance(n.nimbus, 1)
    await deliveriesSettled(n.nimbus, 1)
    const [key] = await listKeys(s3, 'durable-transform')
    assert.equal((await objectBytes(s3, 'durable-transform', key!)).toString(), 'A\nB\nC\n')
    await n.restart()
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 0)
  })

  it("keeps a transformation's failures across a restart until their error object is written", async () => {
    const n = await durableNimbus('firehose-transform-failures')
    let { firehose, s3 } = clients(n.nimbus)
    const fn = await createFunction(lambdaClient(n.nimbus), `exports.handler = async (event) =>
      ({ records: event.records.map((r) => ({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data })) })`)
    await streamTo(n.nimbus, 'refuse', 'later-bucket', { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: lambdaProcessor(fn) })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'refuse', Records: [{ Data: Buffer.from('bad') }] }))
    // The function answers at 60 s; the error object's write fails (no bucket yet) and waits for its retry.
    await advance(n.nimbus, 60_000)
    await deliveriesSettled(n.nimbus)
    assert.equal(firehoseHealth(n.nimbus).transformations, 1)
    assert.equal(firehoseHealth(n.nimbus).failedAttempts, 1)

    await n.restart()
    ;({ firehose, s3 } = clients(n.nimbus))
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 1)
    await s3.send(new CreateBucketCommand({ Bucket: 'later-bucket' }))
    await advance(n.nimbus, 60_000)
    await deliveriesSettled(n.nimbus, 1)
    assert.equal(firehoseHealth(n.nimbus).transformations, 0, 'the function is not invoked again')
    const [key] = await listKeys(s3, 'later-bucket')
    assert.match(key!, /^processing-failed\//)
    const line = JSON.parse((await objectBytes(s3, 'later-bucket', key!)).toString()) as Record<string, unknown>
    assert.deepEqual([line.errorCode, Buffer.from(String(line.rawData), 'base64').toString(), line.lambdaArn],
      ['Lambda.ProcessingFailedStatus', 'bad', `arn:aws:lambda:us-east-1:000000000000:function:${fn}`])
  })
})

describe('Firehose data transformation: stored batches across restarts', () => {
  it("a cut batch of transformed records never takes a source record still waiting in the processor's buffer", async () => {
    const n = await durableNimbus('firehose-transform-range')
    let { firehose, s3 } = clients(n.nimbus)
    const fn = await createFunction(lambdaClient(n.nimbus), transformer)
    await streamTo(n.nimbus, 'mixed', 'mixed-later', { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: lambdaProcessor(fn, { BufferSizeInMBs: '0.2' }) })
    // t=5 s: 'a' waits for the processor's 60 s; at t=65 s its output enters the destination's buffer.
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'mixed', Records: [{ Data: Buffer.from('a') }] }))
    await advance(n.nimbus, 60_000)
    await deliveriesSettled(n.nimbus)
    // t=100 s: a 250 KB record fills the processor's buffer and goes to the function at once; 'b' stays behind it.
    await advance(n.nimbus, 35_000)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'mixed', Records: [{ Data: Buffer.alloc(250_000, 120) }, { Data: Buffer.from('b') }] }))
    await deliveriesSettled(n.nimbus)
    assert.equal(firehoseHealth(n.nimbus).transformations, 2)
    // t=125 s: the destination's buffer (both outputs) is cut; its write fails (no bucket) and waits a minute.
    await advance(n.nimbus, 25_000)
    await deliveriesSettled(n.nimbus)
    assert.equal(firehoseHealth(n.nimbus).failedAttempts, 1)

    await n.restart()
    ;({ firehose, s3 } = clients(n.nimbus))
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 3)
    await s3.send(new CreateBucketCommand({ Bucket: 'mixed-later' }))
    // t=160 s: 'b' goes to the function; t=185 s: the stored batch is written; t=220 s: 'B' is delivered.
    await advance(n.nimbus, 35_000)
    await deliveriesSettled(n.nimbus)
    assert.equal(firehoseHealth(n.nimbus).transformations, 1, "'b' is transformed after the restart")
    await advance(n.nimbus, 25_000)
    await deliveriesSettled(n.nimbus, 1)
    await advance(n.nimbus, 35_000)
    await deliveriesSettled(n.nimbus, 2)
    const bodies = await Promise.all((await listKeys(s3, 'mixed-later')).map(async (k) => (await objectBytes(s3, 'mixed-later', k)).toString()))
    assert.deepEqual(bodies.sort(), ['A\nbig250000\n', 'B\n'])
  })
})
