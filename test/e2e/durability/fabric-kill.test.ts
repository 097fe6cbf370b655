// Pending deliveries survive `kill -9`: the built CLI on a data dir is killed while a Lambda async
// retry waits on the clock, while an SNS HTTP POST is on the wire, and while its retry waits; started
// again on the same folder, each runs when due on the resumed manual clock (the one on the wire at
// once), with the same request or message id.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CreateFunctionCommand, InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda'
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { Hop } from '../../../src/fabric/trace.ts'
import { until } from '../../helpers/function-log.ts'
import { startEndpoint } from '../../helpers/http-endpoint.ts'
import { rawRequest } from '../../helpers/raw-http.ts'
import { CliProcesses } from '../../helpers/spawn-cli.ts'
import { makeZip } from '../../helpers/zip.ts'

const dirs: string[] = []
const processes = new CliProcesses()
const closers: (() => Promise<void>)[] = []
after(async () => {
  processes.killAll()
  await Promise.all(closers.map((close) => close()))
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
const config = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })

async function trace(endpoint: string): Promise<Hop[]> {
  const res = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/trace' })
  return (JSON.parse(res.body.toString()) as { hops: Hop[] }).hops
}

async function advance(endpoint: string, ms: number): Promise<void> {
  const res = await rawRequest(endpoint, {
    method: 'POST', path: '/_nimbus/clock', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }),
  })
  assert.equal(res.status, 200)
}

/** Fails the first attempt of each event (a marker file outside the data dir remembers it across the kill), then succeeds. */
const flaky = (markers: string) => makeZip([{ path: 'index.js', content: `
  const fs = require('node:fs')
  exports.handler = async (event) => {
    const marker = ${JSON.stringify(markers)} + '/' + event.n
    if (!fs.existsSync(marker)) {
      fs.writeFileSync(marker, '1')
      throw new Error('first attempt fails')
    }
    return { done: event.n }
  }` }])

describe('pending deliveries on a data dir, killed with SIGKILL', () => {
  it('a pending Lambda async retry still happens after SIGKILL', async () => {
    const dataDir = tempDir('nimbus-kill-fabric-')
    const markers = tempDir('nimbus-kill-markers-')
    const first = await processes.start(['--data-dir', dataDir])
    let lambda = new LambdaClient(config(first.endpoint))
    let sqs = new SQSClient(config(first.endpoint))
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'succeeded' }))
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'flaky', Runtime: 'nodejs22.x', Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: flaky(markers) } }))
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'flaky',
      DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:000000000000:succeeded' } } }))
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:flaky'
    const accepted = await lambda.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }))
    // The first attempt failed and its retry waits a minute on the clock: kill now.
    await until(async () => (await trace(first.endpoint)).some((h) => h.target === arn && h.outcome === 'retrying'), 'the retry scheduled')
    lambda.destroy()
    sqs.destroy()
    await processes.kill(first)

    const second = await processes.start(['--data-dir', dataDir])
    lambda = new LambdaClient(config(second.endpoint))
    sqs = new SQSClient(config(second.endpoint))
    await advance(second.endpoint, 60_000)
    let body: string | undefined
    await until(async () => (body = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: QueueUrl!.replace(first.endpoint, second.endpoint) })))
      .Messages?.[0]?.Body) !== undefined, 'the OnSuccess record', 30_000)
    const record = JSON.parse(body!)
    assert.deepEqual(record.requestContext, {
      requestId: accepted.$metadata.requestId, functionArn: `${arn}:$LATEST`, condition: 'Success', approximateInvokeCount: 2,
    })
    assert.deepEqual(record.responsePayload, { done: 1 })
    lambda.destroy()
    sqs.destroy()
    second.child.kill('SIGTERM')
    assert.deepEqual(await once(second.child, 'exit'), [0, null])
  })

  it('an SNS HTTP delivery on the wire is repeated at start, and its retry runs when due', async () => {
    const dataDir = tempDir('nimbus-kill-fabric-')
    const e = await startEndpoint('/sns')
    closers.push(() => e.close())
    const first = await processes.start(['--data-dir', dataDir])
    let sns = new SNSClient(config(first.endpoint))
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }))
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: e.url }))
    assert.equal((await fetch(JSON.parse((await e.request(0)).body).SubscribeURL)).status, 200)
    // The endpoint holds the notification's POST: the kill lands while it is on the wire.
    e.answer('hang')
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'hello' }))
    await e.request(1)
    sns.destroy()
    await processes.kill(first)

    e.answer(500)
    const second = await processes.start(['--data-dir', dataDir])
    const repeated = await e.request(2)
    assert.equal(repeated.headers['x-amz-sns-message-id'], MessageId, 'the POST cut off by the kill is sent again at start')
    assert.equal(JSON.parse(repeated.body).Message, 'hello')
    // It failed: the retry waits 20 s on the clock. Kill again while it waits.
    await until(async () => (await trace(second.endpoint)).some((h) => h.outcome === 'retrying'), 'the retry scheduled')
    await processes.kill(second)

    e.answer(200)
    const third = await processes.start(['--data-dir', dataDir])
    await advance(third.endpoint, 19_999)
    assert.equal(e.received.length, 3, 'not before its due time')
    await advance(third.endpoint, 1)
    const retried = await e.request(3)
    assert.equal(retried.headers['x-amz-sns-message-id'], MessageId)
    await until(async () => (await trace(third.endpoint)).some((h) => h.outcome === 'delivered'), 'the retry delivered')
    await advance(third.endpoint, 3600_000)
    assert.equal(e.received.length, 4, 'delivered once, no more')
    third.child.kill('SIGTERM')
    assert.deepEqual(await once(third.child, 'exit'), [0, null])
  })
})
