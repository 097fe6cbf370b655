// Scheduled rules fire on the clock: moving a manual clock by a day fires a daily rule once.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateEventBusCommand, DisableRuleCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { account, createQueue, ebClient, type Queue, receiveBodies, region, sqsClient } from './fixtures.ts'

const start = Date.UTC(2024, 0, 1, 0, 0, 0)
const nimbus = useNimbus({ clockStart: start })
const eb = () => ebClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current)
const day = 86_400_000

async function scheduledRule(expression: string): Promise<{ queue: Queue; name: string; arn: string }> {
  const queue = await createQueue(sqs())
  const name = uniqueName('sched')
  const { RuleArn } = await eb().send(new PutRuleCommand({ Name: name, ScheduleExpression: expression }))
  await eb().send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: queue.arn }] }))
  return { queue, name, arn: RuleArn! }
}

async function count(queue: Queue): Promise<number> {
  const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }))
  return Number(Attributes!.ApproximateNumberOfMessages)
}

describe('EventBridge scheduled rules', () => {
  it('fires a daily cron rule once and rate(1 hour) 24 times in a day, with the Scheduled Event', async () => {
    const daily = await scheduledRule('cron(0 12 * * ? *)')
    const hourly = await scheduledRule('rate(1 hour)')
    const ruleStart = nimbus.current.clock.now()
    await advance(nimbus.current, day)
    assert.equal(await count(daily.queue), 1)
    assert.equal(await count(hourly.queue), 24)
    const [event] = await receiveBodies(sqs(), daily.queue)
    const noon = new Date(Math.ceil((ruleStart - 12 * 3_600_000) / day) * day + 12 * 3_600_000).toISOString().replace('.000Z', 'Z')
    assert.deepEqual({ ...event, id: undefined }, {
      version: '0', id: undefined, 'detail-type': 'Scheduled Event', source: 'aws.events', account, time: noon, region,
      resources: [daily.arn], detail: {},
    })
  })

  it('does not fire disabled rules', async () => {
    const rule = await scheduledRule('rate(5 minutes)')
    await advance(nimbus.current, 5 * 60_000)
    assert.equal(await count(rule.queue), 1)
    await eb().send(new DisableRuleCommand({ Name: rule.name }))
    await advance(nimbus.current, 60 * 60_000)
    assert.equal(await count(rule.queue), 1)
  })

  it('refuses invalid expressions and schedules on custom buses', async () => {
    const invalid = await sdkError(eb().send(new PutRuleCommand({ Name: uniqueName('r'), ScheduleExpression: 'rate(1 minutes)' })))
    assert.equal(invalid.name, 'ValidationException')
    assert.equal(invalid.message, 'Parameter ScheduleExpression is not valid.')
    const cron = await sdkError(eb().send(new PutRuleCommand({ Name: uniqueName('r'), ScheduleExpression: 'cron(0 1 * * * *)' })))
    assert.equal(cron.message, 'Parameter ScheduleExpression is not valid.')
    const bus = uniqueName('bus')
    await eb().send(new CreateEventBusCommand({ Name: bus }))
    const custom = await sdkError(eb().send(new PutRuleCommand({ Name: uniqueName('r'), ScheduleExpression: 'rate(1 day)', EventBusName: bus })))
    assert.equal(custom.name, 'ValidationException')
    assert.equal(custom.message, 'ScheduleExpression is supported only on the default event bus.')
    const neither = await sdkError(eb().send(new PutRuleCommand({ Name: uniqueName('r') })))
    assert.equal(neither.message, 'Parameter(s) EventPattern or ScheduleExpression must be specified.')
  })
})
