// Data transformation with a Lambda processor (a real function run by Nimbus): Ok records carry
// the function's data into the object, Dropped ones vanish, ProcessingFailed ones (and missing
// record ids) go to `processing-failed/` in AWS's error record format; a function that throws is
// retried NumberOfRetries times, then its records fail with Lambda.FunctionError.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutRecordBatchCommand } from '@aws-sdk/client-firehose'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()

const transformer = `
exports.handler = async (event) => {
  if (typeof event.invocationId !== 'string' || !event.deliveryStreamArn.startsWith('arn:aws:firehose:')) throw new Error('bad event')
  return { records: event.records.flatMap((r) => {
    const text = Buffer.from(r.data, 'base64').toString()
    if (text === 'drop') return [{ recordId: r.recordId, result: 'Dropped', data: r.data }]
    if (text === 'fail') return [{ recordId: r.recordId, result: 'ProcessingFailed', data: r.data }]
    if (text === 'forget') return []
    return [{ recordId: r.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase() + '|' + r.approximateArrivalTimestamp + '\\n').toString('base64') }]
  }) }
}`

const processing = (arn: string, retries = '3') => ({
  Enabled: true,
  Processors: [{ Type: 'Lambda' as const, Parameters: [{ ParameterName: 'LambdaArn' as const, ParameterValue: arn }, { ParameterName: 'NumberOfRetries' as const, ParameterValue: retries }] }],
})

describe('Firehose data transformation', () => {
  it('delivers Ok records transformed, drops Dropped, and writes failures to processing-failed/', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), transformer)
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${fn}`
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: processing(arn),
    })
    const arrival = nimbus.current.clock.now()
    const data = ['a', 'drop', 'b', 'fail', 'forget'].map((t) => ({ Data: Buffer.from(t) }))
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: data }))
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    // The processor's buffer is due first (BufferIntervalInSeconds, 60 s by default): the function runs and its
    // failures are written; the transformed records then wait the destination's own 60 s.
    const transformations = firehoseHealth(nimbus.current).transformations
    await advance(nimbus.current, 59_999)
    await deliveriesSettled(nimbus.current)
    assert.equal(firehoseHealth(nimbus.current).transformations, transformations)
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current, delivered + 1)
    assert.equal(firehoseHealth(nimbus.current).transformations, transformations + 1)
    assert.deepEqual((await listKeys(s3, bucket)).map((k) => k.split('/')[0]), ['processing-failed'])
    await advance(nimbus.current, 59_999)
    await deliveriesSettled(nimbus.current)
    assert.equal((await listKeys(s3, bucket)).length, 1)
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current, delivered + 2)
    const keys = await listKeys(s3, bucket)
    const main = keys.find((k) => !k.startsWith('processing-failed/'))!
    assert.equal((await objectBytes(s3, bucket, main)).toString(), `A|${arrival}\nB|${arrival}\n`)
    const failedKey = keys.find((k) => k.startsWith('processing-failed/'))!
    assert.match(failedKey, new RegExp(`^processing-failed/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-`))
    const lines = (await objectBytes(s3, bucket, failedKey)).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(lines.map((l) => [l.errorCode, Buffer.from(l.rawData as string, 'base64').toString()]), [
      ['Lambda.ProcessingFailedStatus', 'fail'], ['Lambda.MissingRecordId', 'forget'],
    ])
    assert.deepEqual(Object.keys(lines[0]!), ['attemptsMade', 'arrivalTimestamp', 'errorCode', 'errorMessage', 'attemptEndingTimestamp', 'rawData', 'lambdaArn'])
    assert.equal(lines[0]!.attemptsMade, 1)
    assert.equal(lines[0]!.arrivalTimestamp, arrival)
    assert.equal(lines[0]!.lambdaArn, arn)
    assert.equal(lines[1]!.errorMessage, 'One or more record Ids were not returned. Ensure that the Lambda function returns all received record Ids.')
  })

  it('retries a failing function NumberOfRetries times, then fails its records with Lambda.FunctionError', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), 'exports.handler = async () => { throw new Error("boom") }')
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${fn}`
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, ProcessingConfiguration: processing(arn, '1'),
      Prefix: 'ok/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/!{timestamp:yyyy}/',
    })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('x') }] }))
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    assert.match(keys[0]!, /^err\/processing-failed\/\d{4}\//)
    const line = JSON.parse((await objectBytes(s3, bucket, keys[0]!)).toString()) as Record<string, unknown>
    assert.equal(line.errorCode, 'Lambda.FunctionError')
    assert.equal(line.attemptsMade, 2)
  })
})
