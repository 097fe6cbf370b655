// "SNS → Lambda asynchronously, retried, then discarded or sent to a DLQ": a failing subscriber
// function is retried by Lambda on the clock, then its event goes to an SNS dead-letter topic and
// its failure record to an SNS OnFailure destination (aws-behaviour.md §2.5–2.7, §3.6).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda'
import { PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { settle, until, watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, subscribeQueue } from '../../helpers/sns.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { receiveAll, standardQueue } from '../../helpers/sqs-queues.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current, 'json')
const lambda = () => lambdaClient(nimbus.current)

const failing = `exports.handler = async (event) => {
  console.log('ATTEMPT ' + event.Records[0].Sns.Message)
  throw new Error('cannot handle ' + event.Records[0].Sns.Message)
}`

describe('SNS → Lambda failures', () => {
  it('retries once after a minute, then publishes the event to an SNS DLQ and the record to an SNS destination', async () => {
    const [dlqTopic, failureTopic] = [await createTopic(sns()), await createTopic(sns())]
    const [dlqQueue, failureQueue] = [await standardQueue(sqs()), await standardQueue(sqs())]
    await subscribeQueue(sns(), dlqTopic, dlqQueue.arn)
    await subscribeQueue(sns(), failureTopic, failureQueue.arn, { RawMessageDelivery: 'true' })
    const name = await createFunction(lambda(), failing, { DeadLetterConfig: { TargetArn: dlqTopic } })
    await lambda().send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: name, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failureTopic } },
    }))
    const topic = await createTopic(sns())
    await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda',
      Endpoint: `arn:aws:lambda:us-east-1:000000000000:function:${name}` }))
    const log = watchFunctionLog(nimbus.current, name)

    await sns().send(new PublishCommand({ TopicArn: topic, Message: 'order-17' }))
    await log.waitFor('REPORT RequestId', 1)
    await settle()
    await advance(nimbus.current, 60_000)
    await log.waitFor('REPORT RequestId', 2)
    assert.equal(log.matching('\tATTEMPT order-17').length, 2)

    let dead: Record<string, unknown>[] = []
    await until(async () => (dead = await receiveAll(sqs(), dlqQueue.url)).length > 0, 'the DLQ topic delivered')
    const envelope = JSON.parse(dead[0]!.Body as string)
    assert.equal(envelope.TopicArn, dlqTopic)
    assert.equal(JSON.parse(envelope.Message).Records[0].Sns.Message, 'order-17', 'the DLQ gets the original event')
    assert.deepEqual(envelope.MessageAttributes.ErrorCode, { Type: 'Number', Value: '200' })
    assert.equal(envelope.MessageAttributes.ErrorMessage.Value, 'cannot handle order-17')
    assert.equal(envelope.MessageAttributes.RequestID.Type, 'String')

    let failures: Record<string, unknown>[] = []
    await until(async () => (failures = await receiveAll(sqs(), failureQueue.url)).length > 0, 'the OnFailure topic delivered')
    const record = JSON.parse(failures[0]!.Body as string)
    assert.equal(record.requestContext.condition, 'RetriesExhausted')
    assert.equal(record.requestContext.approximateInvokeCount, 2)
    assert.equal(record.responseContext.functionError, 'Unhandled')
    assert.equal(record.requestPayload.Records[0].Sns.Message, 'order-17')
    log.stop()
  })
})
