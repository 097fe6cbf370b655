// A Lambda subscription receives the SNS event asynchronously (aws-behaviour.md §3.6).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns'
import { watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { createTopic, snsClient, snsError } from '../../helpers/sns.ts'

const nimbus = useNimbus()
const sns = () => snsClient(nimbus.current)

const handler = `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)) }`

describe('SNS delivery to Lambda', () => {
  it('invokes the function with one aws:sns record', async () => {
    const topic = await createTopic(sns())
    const name = await createFunction(lambdaClient(nimbus.current), handler)
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`
    const { SubscriptionArn } = await sns().send(new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: functionArn }))
    const log = watchFunctionLog(nimbus.current, name)
    const { MessageId } = await sns().send(new PublishCommand({
      TopicArn: topic, Message: 'to lambda', MessageAttributes: { Test: { DataType: 'String', StringValue: 'TestString' } },
    }))
    await log.waitFor('\tEVENT ')
    const [event] = log.tagged('EVENT')
    assert.equal(event.Records.length, 1)
    const record = event.Records[0]
    assert.deepEqual(Object.keys(record), ['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns'])
    assert.equal(record.EventSource, 'aws:sns')
    assert.equal(record.EventVersion, '1.0')
    assert.equal(record.EventSubscriptionArn, SubscriptionArn)
    assert.deepEqual(Object.keys(record.Sns), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp',
      'SignatureVersion', 'Signature', 'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes'])
    assert.equal(record.Sns.MessageId, MessageId)
    assert.equal(record.Sns.Subject, null)
    assert.equal(record.Sns.Message, 'to lambda')
    assert.deepEqual(record.Sns.MessageAttributes, { Test: { Type: 'String', Value: 'TestString' } })
    log.stop()
  })

  it('refuses raw delivery for a Lambda subscription', async () => {
    const topic = await createTopic(sns())
    const error = await snsError(sns().send(new SubscribeCommand({
      TopicArn: topic, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      Attributes: { RawMessageDelivery: 'true' },
    })))
    assert.equal(error.code, 'InvalidParameter')
  })
})
