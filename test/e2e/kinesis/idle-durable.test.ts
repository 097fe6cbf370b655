// Review of idle pollers: a Kinesis → Lambda mapping idle on a data dir, restarted while idle, idles
// again after its first poll and still wakes for a record put afterwards (each shard's checkpoint
// is in the mapping's row; the restarted poller watches the stream again).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { PutRecordCommand } from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { DAY, idleFor } from '../../helpers/idle-pollers.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance } from '../../helpers/nimbus.ts'

const handler = `
  exports.handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())))
  }`

describe('idle Kinesis mapping on a data dir', () => {
  it('restarted while idle, idles again and wakes for a later record', async () => {
    const d = await durableNimbus('idle-kinesis-esm')
    try {
      const stream = await activeStream(d.nimbus, kinesisClient(d.nimbus))
      const name = await createFunction(lambdaClient(d.nimbus), handler)
      await kinesisClient(d.nimbus).send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('a') }))
      let log = watchFunctionLog(d.nimbus, name)
      await lambdaClient(d.nimbus).send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: streamArn(stream),
        StartingPosition: 'TRIM_HORIZON' }))
      await log.waitFor('REPORT RequestId', 1)
      await settle(20)
      await advance(d.nimbus, 5_000)
      await settle(20)
      await advance(d.nimbus, DAY)
      await settle(20)
      log.stop()

      await d.restart()
      const n = d.nimbus
      log = watchFunctionLog(n, name)
      await advance(n, 5_000)
      await settle(20)
      await idleFor(n, DAY, 'idle again after the restart')
      assert.deepEqual(log.tagged('BATCH'), [], 'nothing delivered twice')
      await kinesisClient(n).send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('b') }))
      await advance(n, 1_000)
      await log.waitFor('REPORT RequestId', 1)
      await settle(20)
      assert.deepEqual(log.tagged('BATCH'), [['b']])
      log.stop()
    } finally {
      await d.stop()
    }
  })
})
