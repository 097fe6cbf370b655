// A Kinesis → Lambda mapping across a restart on one data dir (in process): each shard's checkpoint
// lives in the mapping's row, so the mapping resumes after the last processed record instead of
// starting again from its StartingPosition.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CreateEventSourceMappingCommand } from '@aws-sdk/client-lambda'
import { PutRecordCommand } from '@aws-sdk/client-kinesis'
import { type Nimbus, startNimbus } from '../../../src/index.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { advance } from '../../helpers/nimbus.ts'

const dirs: string[] = []
const running = new Set<Nimbus>()
after(async () => {
  for (const n of running) await n.stop()
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})

const open = async (dataDir: string) => {
  const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })
  running.add(nimbus)
  return nimbus
}

const handler = `
  exports.handler = async (event) => {
    console.log('BATCH ' + JSON.stringify(event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())))
  }`

describe('Kinesis event source mapping on a data dir', () => {
  it('resumes after the last processed record on restart, not from TRIM_HORIZON', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-kinesis-esm-'))
    dirs.push(dataDir)
    let nimbus = await open(dataDir)
    const k = kinesisClient(nimbus)
    const stream = await activeStream(nimbus, k)
    for (const d of ['a', 'b']) await k.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from(d) }))
    const name = await createFunction(lambdaClient(nimbus), handler)
    let log = watchFunctionLog(nimbus, name)
    await lambdaClient(nimbus).send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: streamArn(stream),
      StartingPosition: 'TRIM_HORIZON' }))
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    assert.deepEqual(log.tagged('BATCH'), [['a', 'b']])
    log.stop()
    k.destroy()

    await nimbus.stop()
    running.delete(nimbus)
    nimbus = await open(dataDir)
    const k2 = kinesisClient(nimbus)
    await k2.send(new PutRecordCommand({ StreamName: stream, PartitionKey: 'p', Data: Buffer.from('c') }))
    log = watchFunctionLog(nimbus, name)
    await advance(nimbus, 1000)
    await log.waitFor('REPORT RequestId', 1)
    await settle(20)
    await advance(nimbus, 1000)
    await settle(20)
    assert.deepEqual(log.tagged('BATCH'), [['c']])
    log.stop()
    k2.destroy()
  })
})
