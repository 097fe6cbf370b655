// AWS's "Tutorial: Using AWS Lambda with Amazon Kinesis", walked with @aws-sdk/client-lambda and
// client-kinesis on the manual clock: the ProcessKinesisRecords function invoked with the docs' sample
// event (input.txt), the lambda-stream, create-event-source-mapping --batch-size 100
// --starting-position LATEST, list-event-source-mappings, put-record "Hello, this is a test." and the
// decoded payload in the function's log; LastProcessingResult turns "OK" once a batch went through.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, InvokeCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda'
import { DescribeStreamCommand, PutRecordCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../../helpers/function-log.ts'
import { advance, useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

/** The tutorial's handler (index.mjs): logs each record's decoded data. */
const handler = `
  export const handler = async (event, context) => {
    for (const record of event.Records) {
      const payload = Buffer.from(record.kinesis.data, 'base64').toString('ascii')
      console.log('Decoded payload:', payload)
    }
  }`

/** The docs' sample event (input.txt). */
const sampleEvent = {
  Records: [{
    kinesis: {
      kinesisSchemaVersion: '1.0', partitionKey: '1', sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==', approximateArrivalTimestamp: 1545084650.987,
    },
    eventSource: 'aws:kinesis', eventVersion: '1.0',
    eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898', eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/lambda-kinesis-role', awsRegion: 'us-east-2',
    eventSourceARN: 'arn:aws:kinesis:us-east-2:111122223333:stream/lambda-stream',
  }],
}

describe('Lambda tutorial: Using AWS Lambda with Amazon Kinesis', () => {
  it('invokes with the sample event, maps the stream, and the function logs what is put', async () => {
    const lambda = lambdaClient(nimbus.current)
    const k = kinesisClient(nimbus.current)
    const name = await createFunction(lambda, [{ path: 'index.mjs', content: handler }])
    const log = watchFunctionLog(nimbus.current, name)
    // aws lambda invoke --payload file://input.txt: status 200, the function returns nothing ("null").
    const invoked = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(sampleEvent)) }))
    assert.equal(invoked.StatusCode, 200)
    assert.equal(invoked.FunctionError, undefined)
    assert.equal(Buffer.from(invoked.Payload!).toString(), 'null')
    await log.waitFor('Decoded payload: Hello, this is a test.')

    const stream = await activeStream(nimbus.current, k, 1, `lambda-stream-${process.pid}`)
    const described = await k.send(new DescribeStreamCommand({ StreamName: stream }))
    assert.equal(described.StreamDescription!.StreamARN, streamArn(stream))
    const created = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: streamArn(stream), BatchSize: 100, StartingPosition: 'LATEST',
    }))
    assert.equal(created.State, 'Creating')
    const [listed] = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: name, EventSourceArn: streamArn(stream) }))).EventSourceMappings!
    // The fields the tutorial's list-event-source-mappings output shows.
    assert.equal(listed!.UUID, created.UUID)
    assert.equal(listed!.BatchSize, 100)
    assert.equal(listed!.ParallelizationFactor, 1)
    assert.equal(listed!.EventSourceArn, streamArn(stream))
    assert.equal(listed!.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`)
    assert.ok(listed!.LastModified instanceof Date)
    assert.equal(listed!.LastProcessingResult, 'No records processed')
    assert.equal(listed!.State, 'Enabled')
    assert.equal(listed!.StateTransitionReason, 'User action')
    assert.equal(listed!.BisectBatchOnFunctionError, false)
    assert.deepEqual(listed!.DestinationConfig, { OnFailure: {} })

    // LATEST: the mapping starts reading at the tip on its first poll; what is put after it arrives.
    await advance(nimbus.current, 1_000)
    await settle(20)
    await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: '1', Data: Buffer.from('Hello, this is a test.') }))
    await advance(nimbus.current, 1_000)
    await log.waitFor('Decoded payload: Hello, this is a test.', 2)
    await until(async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).LastProcessingResult === 'OK',
      'LastProcessingResult OK')
    log.stop()
  })
})
