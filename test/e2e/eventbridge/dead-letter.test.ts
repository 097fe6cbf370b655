// Targets that can't be reached: their events land in the target's DLQ with AWS's attributes;
// a Lambda target gets the event through an asynchronous invoke.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { account, createQueue, ebClient, receive, region, sqsClient } from './fixtures.ts'

const nimbus = useNimbus()
const eb = () => ebClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current)

async function ruleWithTarget(targetArn: string, dlqArn?: string) {
  const source = uniqueName('dlq')
  const rule = uniqueName('rule')
  const { RuleArn } = await eb().send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
  await eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'target', Arn: targetArn,
    DeadLetterConfig: dlqArn === undefined ? undefined : { Arn: dlqArn }, RetryPolicy: { MaximumRetryAttempts: 2 } }] }))
  return { source, ruleArn: RuleArn! }
}

describe('EventBridge dead-letter queues', () => {
  it('sends events for a missing Lambda function straight to the DLQ, without retries', async () => {
    const dlq = await createQueue(sqs())
    const fn = `arn:aws:lambda:${region}:${account}:function:${uniqueName('absent')}`
    const { source, ruleArn } = await ruleWithTarget(fn, dlq.arn)
    const { Entries } = await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{"k":1}' }] }))
    const [message] = await receive(sqs(), dlq)
    assert.ok(message, 'a message in the DLQ')
    assert.equal(JSON.parse(message.Body!).id, Entries![0]!.EventId)
    const attrs = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]))
    assert.deepEqual(Object.keys(attrs).sort(), ['ERROR_CODE', 'ERROR_MESSAGE', 'RETRY_ATTEMPTS', 'RULE_ARN', 'TARGET_ARN'])
    assert.equal(attrs.RULE_ARN, ruleArn)
    assert.equal(attrs.TARGET_ARN, fn)
    assert.equal(attrs.ERROR_CODE, 'NO_RESOURCE')
    assert.equal(attrs.RETRY_ATTEMPTS, '0')
  })

  it('dead-letters the transformed input for a deleted queue and keeps serving the other targets', async () => {
    const dlq = await createQueue(sqs())
    const live = await createQueue(sqs())
    const source = uniqueName('dlq')
    const rule = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'gone', Arn: `arn:aws:sqs:${region}:${account}:${uniqueName('never')}`, Input: '{"const":1}', DeadLetterConfig: { Arn: dlq.arn } },
      { Id: 'live', Arn: live.arn },
    ] }))
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{}' }] }))
    assert.equal((await receive(sqs(), live)).length, 1)
    const [dead] = await receive(sqs(), dlq)
    assert.equal(dead?.Body, '{"const":1}')
  })

  it('invokes a Lambda target asynchronously with the event', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, "exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)) }")
    const { source } = await ruleWithTarget(`arn:aws:lambda:${region}:${account}:function:${name}`)
    const log = watchFunctionLog(nimbus.current, name)
    const { Entries } = await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Ping', Detail: '{"n":5}' }] }))
    await log.waitFor('\tEVENT ')
    const [event] = log.tagged('EVENT')
    assert.equal(event.id, Entries![0]!.EventId)
    assert.equal(event['detail-type'], 'Ping')
    assert.deepEqual(event.detail, { n: 5 })
    log.stop()
  })
})
