// The delivery fabric's pending deliveries across restarts on one data dir (in process): a Lambda
// async retry, an SNS HTTP retry (its dead letter keeping a Binary attribute) and an EventBridge API
// destination retry are stored while they wait, re-armed at start on the resumed manual clock, and
// run when their due time comes — once. A reset forgets them.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import {
  CreateApiDestinationCommand, CreateConnectionCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand,
} from '@aws-sdk/client-eventbridge'
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda'
import { PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import type { Nimbus } from '../../../src/index.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { ebClient } from '../eventbridge/fixtures.ts'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { httpQuiet, startEndpoint, type TestEndpoint } from '../../helpers/http-endpoint.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance } from '../../helpers/nimbus.ts'
import { createTopic, snsClient } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const endpoints: TestEndpoint[] = []
const markerDirs: string[] = []
after(async () => {
  await Promise.all(endpoints.map((e) => e.close()))
  markerDirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})

async function endpoint(path: string): Promise<TestEndpoint> {
  const e = await startEndpoint(path)
  endpoints.push(e)
  return e
}

/** Fails its first attempt of an event (a marker file remembers it across Nimbus restarts), then succeeds. */
const flaky = (markerDir: string) => `
  const fs = require('node:fs')
  exports.handler = async (event) => {
    const marker = ${JSON.stringify(markerDir)} + '/' + event.n
    console.log('ATTEMPT ' + JSON.stringify(event))
    if (!fs.existsSync(marker)) {
      fs.writeFileSync(marker, '1')
      throw new Error('first attempt fails')
    }
    return { done: event.n }
  }`

const retrying = (nimbus: Nimbus, target: string) => nimbus.trace().filter((h) => h.target === target && h.outcome === 'retrying').length

describe('the delivery fabric on a data dir, restarted', () => {
  it('runs a Lambda async retry stored before the restart at its due time on the resumed clock', async () => {
    const n = await durableNimbus('fabric')
    const markers = mkdtempSync(join(tmpdir(), 'nimbus-markers-'))
    markerDirs.push(markers)
    const succeeded = await standardQueue(sqsClient(n.nimbus, 'json'))
    const name = await createFunction(lambdaClient(n.nimbus), flaky(markers))
    await lambdaClient(n.nimbus).send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: name, DestinationConfig: { OnSuccess: { Destination: succeeded.arn } },
    }))
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`
    const accepted = await lambdaClient(n.nimbus).send(new InvokeCommand({
      FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ n: 1 })),
    }))
    await until(() => retrying(n.nimbus, arn) === 1, 'the first attempt failed and a retry is scheduled')
    const stoppedAt = n.nimbus.clock.now()

    await n.restart()
    assert.equal(n.nimbus.clock.now(), stoppedAt, 'the manual clock resumed')
    const log = watchFunctionLog(n.nimbus, name)
    await advance(n.nimbus, 59_999)
    await settle(20)
    assert.equal(log.matching('\tATTEMPT ').length, 0, 'not before its minute')
    await advance(n.nimbus, 1)
    const sqs = sqsClient(n.nimbus, 'json')
    let messages: Record<string, any>[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any
    await until(async () => (messages = await receiveAll(sqs, succeeded.url)).length > 0, 'the OnSuccess record')
    const record = JSON.parse(messages[0]!.Body as string)
    assert.deepEqual(record.requestContext, {
      requestId: accepted.$metadata.requestId, functionArn: `${arn}:$LATEST`, condition: 'Success', approximateInvokeCount: 2,
    })
    assert.deepEqual(record.responsePayload, { done: 1 })
    await advance(n.nimbus, 600_000)
    await settle(20)
    assert.equal(log.matching('\tATTEMPT ').length, 1, 'the retry ran once')
    log.stop()
  })

  it('retries an SNS HTTP delivery after the restart and dead-letters it with its Binary attribute intact', async () => {
    const n = await durableNimbus('fabric')
    const e = await endpoint('/sns')
    const sqs = () => sqsClient(n.nimbus, 'json')
    const dlq = await standardQueue(sqs())
    const topic = await createTopic(snsClient(n.nimbus))
    await snsClient(n.nimbus).send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: e.url,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }))
    const confirmation = JSON.parse((await e.request(0)).body)
    assert.equal((await fetch(confirmation.SubscribeURL)).status, 200)
    await httpQuiet(n.nimbus)
    e.answer(500)
    const bytes = new Uint8Array([0, 1, 2, 254, 255])
    const { MessageId } = await snsClient(n.nimbus).send(new PublishCommand({ TopicArn: topic, Message: 'hello',
      MessageAttributes: { blob: { DataType: 'Binary', BinaryValue: bytes } } }))
    await e.request(1)
    await httpQuiet(n.nimbus)

    await n.restart()
    await settle(20)
    assert.equal(e.received.length, 2, 'nothing is re-sent before its due time')
    // The default HTTP policy: three retries, 20 s apart.
    await advance(n.nimbus, 20_000)
    const retry = await e.request(2)
    assert.equal(retry.headers['x-amz-sns-message-id'], MessageId)
    await httpQuiet(n.nimbus)
    await advance(n.nimbus, 20_000)
    await e.request(3)
    await httpQuiet(n.nimbus)
    await advance(n.nimbus, 20_000)
    await e.request(4)
    let dead: Record<string, any>[] = [] // eslint-disable-line @typescript-eslint/no-explicit-any
    await until(async () => (dead = await receiveAll(sqs(), dlq.url)).length > 0, 'the dead letter')
    assert.equal(JSON.parse(dead[0]!.Body as string).MessageId, MessageId)
    const blob = dead[0]!.MessageAttributes.blob
    assert.equal(blob.DataType, 'Binary')
    assert.deepEqual(new Uint8Array(blob.BinaryValue), bytes)
    await advance(n.nimbus, 600_000)
    await settle(20)
    assert.equal(e.received.length, 5, 'one first attempt and three retries, no more')
  })

  it('retries an EventBridge API destination after the restart; a reset then forgets a stored retry', async () => {
    const n = await durableNimbus('fabric')
    const e = await endpoint('/hook')
    const eb = () => ebClient(n.nimbus)
    const { ConnectionArn } = await eb().send(new CreateConnectionCommand({ Name: 'conn', AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'secret' } } }))
    const { ApiDestinationArn } = await eb().send(new CreateApiDestinationCommand({ Name: 'dest', ConnectionArn,
      InvocationEndpoint: e.url, HttpMethod: 'POST' }))
    await eb().send(new PutRuleCommand({ Name: 'rule', EventPattern: JSON.stringify({ source: ['app'] }) }))
    await eb().send(new PutTargetsCommand({ Rule: 'rule', Targets: [{ Id: 'api', Arn: ApiDestinationArn,
      RoleArn: 'arn:aws:iam::000000000000:role/r' }] }))
    e.answer(503)
    const put = async () => (await eb().send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'd', Detail: '{"n":1}' }] }))).Entries![0]!.EventId!
    const eventId = await put()
    await e.request(0)
    await until(() => retrying(n.nimbus, ApiDestinationArn!) === 1, 'a retry is scheduled')

    await n.restart()
    e.answer(200)
    await settle(20)
    assert.equal(e.received.length, 1)
    // EventBridge's first retry comes after 1 s.
    await advance(n.nimbus, 1000)
    const retry = await e.request(1)
    assert.equal(JSON.parse(retry.body).id, eventId)
    await until(() => n.nimbus.trace().some((h) => h.target === ApiDestinationArn && h.outcome === 'delivered'), 'the retry delivered')

    e.answer(503)
    await put()
    await e.request(2)
    await until(() => retrying(n.nimbus, ApiDestinationArn!) === 1, 'another retry is scheduled')
    n.nimbus.reset()
    await n.restart()
    await advance(n.nimbus, 3600_000)
    await settle(20)
    assert.equal(e.received.length, 3)
    assert.deepEqual(n.nimbus.trace(), [], 'the reset dropped the stored retry: nothing was restored to run')
  })
})
