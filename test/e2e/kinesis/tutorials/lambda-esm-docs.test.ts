// The Lambda guide's Kinesis event source mapping pages, walked with the SDK on the manual clock:
// the "Reporting batch item failures" handler (it returns the sequence number of the record it
// couldn't process as batchItemFailures' itemIdentifier: Lambda checkpoints before it and retries from
// it), and LastProcessingResult after a batch ("OK") and after a function error ("PROBLEM: …").
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { PutRecordsCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../../helpers/lambda.ts'
import { settle, until, watchFunctionLog } from '../../../helpers/function-log.ts'
import { advance, useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

/** The docs' handler shape; "bad" fails the first time it is seen. */
const reporting = `
  const seen = new Set()
  export const handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())))
    for (const record of event.Records) {
      try {
        const data = Buffer.from(record.kinesis.data, 'base64').toString()
        if (data === 'bad' && !seen.has(record.kinesis.sequenceNumber)) {
          seen.add(record.kinesis.sequenceNumber)
          throw new Error('cannot process')
        }
      } catch (err) {
        return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] }
      }
    }
    return { batchItemFailures: [] }
  }`

describe('Lambda guide: Kinesis event source mappings', () => {
  it('ReportBatchItemFailures: retries from the reported sequence number, and the mapping reports OK', async () => {
    const lambda = lambdaClient(nimbus.current)
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    await k.send(new PutRecordsCommand({ StreamName: stream, Records: ['r1', 'bad', 'r3'].map((d) => ({ PartitionKey: 'p', Data: Buffer.from(d) })) }))
    const name = await createFunction(lambda, [{ path: 'index.mjs', content: reporting }])
    const log = watchFunctionLog(nimbus.current, name)
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON', BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    }))
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    await advance(nimbus.current, 1_000)
    await log.waitFor('REPORT RequestId', 2)
    assert.deepEqual(log.tagged('BATCH'), [['r1', 'bad', 'r3'], ['bad', 'r3']])
    await until(async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID }))).LastProcessingResult === 'OK', 'OK')
    log.stop()
  })

  it('a function error shows as LastProcessingResult PROBLEM until a batch goes through', async () => {
    const lambda = lambdaClient(nimbus.current)
    const k = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, k)
    await k.send(new PutRecordsCommand({ StreamName: stream, Records: [{ PartitionKey: 'p', Data: Buffer.from('x') }] }))
    const name = await createFunction(lambda, 'let calls = 0; exports.handler = async () => { calls += 1; if (calls === 1) throw new Error("boom") }')
    const log = watchFunctionLog(nimbus.current, name)
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: streamArn(stream), StartingPosition: 'TRIM_HORIZON',
    }))
    await log.waitFor('REPORT RequestId', 1)
    await until(async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID }))).LastProcessingResult === 'PROBLEM: Function call failed',
      'PROBLEM: Function call failed')
    await advance(nimbus.current, 1_000)
    await log.waitFor('REPORT RequestId', 2)
    await until(async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID }))).LastProcessingResult === 'OK', 'OK')
    log.stop()
  })
})
