// Kinesis → Lambda with FunctionResponseTypes ReportBatchItemFailures, on the manual clock: Lambda
// checkpoints at the lowest reported sequence number and retries from there; an empty report is
// complete success; an invalid item fails the whole batch (AWS's documented rules).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda'
import { PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const lambda = () => lambdaClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')
const mapping = (input: CreateEventSourceMappingCommandInput) => lambda().send(new CreateEventSourceMappingCommand(input))

/**
 * Logs `BATCH [data…]`. Reports every record whose data starts with "bad" as failed; a batch holding
 * "weird" answers an item without an itemIdentifier; "null" answers null; otherwise an empty list.
 */
const handler = `
  exports.handler = async (event) => {
    const data = event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())
    console.log('BATCH ' + JSON.stringify(data))
    if (data.includes('weird')) return { batchItemFailures: [{ itemIdentifer: event.Records[0].kinesis.sequenceNumber }] }
    if (data.includes('null')) return null
    return { batchItemFailures: event.Records.filter((r, i) => data[i].startsWith('bad')).map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) }
  }`

const put = (stream: string, data: string[]) => kinesisClient(nimbus.current).send(new PutRecordsCommand({ StreamName: stream,
  Records: data.map((d) => ({ PartitionKey: 'p', Data: Buffer.from(d) })) }))

describe('Kinesis event source mapping: ReportBatchItemFailures', () => {
  it('retries from the lowest failed sequence number; the discarded rest names it as startSequenceNumber', async () => {
    const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    const failed = await standardQueue(sqs())
    const puts = await put(stream, ['a', 'bad1', 'c', 'bad2'])
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'], DestinationConfig: { OnFailure: { Destination: failed.arn } } })
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    await settle(20)
    await put(stream, ['next'])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 3)
    assert.deepEqual(log.tagged('BATCH'), [['a', 'bad1', 'c', 'bad2'], ['bad1', 'c', 'bad2'], ['next']])
    let messages: Record<string, unknown>[] = []
    await until(async () => (messages = await receiveAll(sqs(), failed.url)).length > 0, 'the failure record')
    const info = JSON.parse(messages[0]!.Body as string)
    assert.deepEqual([info.KinesisBatchInfo.startSequenceNumber, info.KinesisBatchInfo.endSequenceNumber, info.KinesisBatchInfo.batchSize],
      [puts.Records![1]!.SequenceNumber, puts.Records![3]!.SequenceNumber, 3])
    // The function answered: no functionError in the response context.
    assert.deepEqual(info.responseContext, { statusCode: 200, executedVersion: '$LATEST' })
    log.stop()
  })

  it('a null response is complete success; an item without itemIdentifier fails the whole batch', async () => {
    const stream = await activeStream(nimbus.current, kinesisClient(nimbus.current))
    await put(stream, ['null', 'x'])
    const name = await createFunction(lambda(), handler)
    const log = watchFunctionLog(nimbus.current, name)
    await mapping({ FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', MaximumRetryAttempts: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'] })
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    await put(stream, ['weird', 'y'])
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 2)
    await settle(20)
    await advance(nimbus.current, 1000)
    await log.waitFor('REPORT RequestId', 3)
    assert.deepEqual(log.tagged('BATCH'), [['null', 'x'], ['weird', 'y'], ['weird', 'y']])
    log.stop()
  })
})
