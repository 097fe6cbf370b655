// What targets receive with Input, InputPath and InputTransformer (aws-behaviour.md §5.5).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { account, createQueue, ebClient, receive, region, sqsClient } from './fixtures.ts'

const nimbus = useNimbus()
const eb = () => ebClient(nimbus.current)
const sqs = () => sqsClient(nimbus.current)

const detail = { user: { id: '0a787ecb-4015', tier: 'gold' }, count: 3, tags: ['HIGH', 'NEW'] }

/** Routes one event through a rule whose single target has `target` settings; returns the raw body received (or undefined). */
async function deliver(target: Omit<Target, 'Id' | 'Arn'>): Promise<{ body: string | undefined; rule: string }> {
  const queue = await createQueue(sqs())
  const source = uniqueName('tx')
  const rule = uniqueName('rule')
  await eb().send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
  await eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't', Arn: queue.arn, ...target }] }))
  await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'User Changed', Detail: JSON.stringify(detail) }] }))
  const [message] = await receive(sqs(), queue)
  return { body: message?.Body, rule }
}

describe('EventBridge target input', () => {
  it('sends a constant Input as is', async () => {
    assert.equal((await deliver({ Input: '{"fixed": true}' })).body, '{"fixed": true}')
  })

  it('sends the value an InputPath selects (a string as a JSON string)', async () => {
    assert.deepEqual(JSON.parse((await deliver({ InputPath: '$.detail.user' })).body!), detail.user)
    assert.equal((await deliver({ InputPath: '$.detail.user.tier' })).body, '"gold"')
    assert.equal((await deliver({ InputPath: "$.detail['tags'][1]" })).body, '"NEW"')
  })

  it('fills a JSON template: values outside quotes as JSON, inside quotes as text', async () => {
    const { body } = await deliver({ InputTransformer: {
      InputPathsMap: { id: '$.detail.user.id', user: '$.detail.user', count: '$.detail.count', missing: '$.detail.nope' },
      InputTemplate: '{"id": <id>, "quoted": "<id>", "path": "users/<id>/x/<id>", "user": <user>, "n": <count>, "m": "<missing>"}',
    } })
    assert.deepEqual(JSON.parse(body!), {
      id: '0a787ecb-4015', quoted: '0a787ecb-4015', path: 'users/0a787ecb-4015/x/0a787ecb-4015', user: detail.user, n: 3, m: '',
    })
  })

  it('fills a string template with text renderings of objects and arrays', async () => {
    const { body } = await deliver({ InputTransformer: {
      InputPathsMap: { tier: '$.detail.user.tier', tags: '$.detail.tags', user: '$.detail.user' },
      InputTemplate: '"<tier> user with <tags>: <user>"',
    } })
    assert.equal(body, '"gold user with [HIGH,NEW]: {id:0a787ecb-4015,tier:gold}"')
  })

  it('offers the reserved variables', async () => {
    const { body, rule } = await deliver({ InputTransformer: {
      InputTemplate: '{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "event": <aws.events.event>, ' +
        '"full": <aws.events.event.json>, "at": <aws.events.event.ingestion-time>}',
    } })
    const out = JSON.parse(body!)
    assert.equal(out.rule, rule)
    assert.equal(out.arn, `arn:aws:events:${region}:${account}:rule/${rule}`)
    assert.equal(out.event.detailType, 'User Changed')
    assert.equal(out.event.detail, undefined)
    assert.deepEqual(out.full.detail, detail)
    assert.match(out.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('delivers nothing when the filled JSON template is not JSON (a control target on the same rule still gets the event)', async () => {
    const [broken, control] = [await createQueue(sqs()), await createQueue(sqs())]
    const source = uniqueName('tx')
    const rule = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: [source] }) }))
    await eb().send(new PutTargetsCommand({ Rule: rule, Targets: [
      { Id: 'broken', Arn: broken.arn, InputTransformer: { InputPathsMap: { tags: '$.detail.tags' }, InputTemplate: '{"x": "<tags>" <tags>}' } },
      { Id: 'control', Arn: control.arn, Input: '{"ok": true}' },
    ] }))
    await eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'User Changed', Detail: JSON.stringify(detail) }] }))
    assert.deepEqual((await receive(sqs(), control)).map((m) => m.Body), ['{"ok": true}'])
    assert.deepEqual(await receive(sqs(), broken), [])
  })

  it('refuses unknown placeholders and more than one input kind at PutTargets', async () => {
    const rule = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: rule, EventPattern: '{"source":["a"]}' }))
    const arn = `arn:aws:sqs:${region}:${account}:q`
    const placeholder = await sdkError(eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't1', Arn: arn,
      InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: '{"a": <a>, "b": <b>}' } }] })))
    assert.equal(placeholder.name, 'ValidationException')
    assert.equal(placeholder.message, 'InputTemplate for target t1 contains invalid placeholder b.')
    const both = await sdkError(eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't2', Arn: arn, Input: '{}', InputPath: '$.detail' }] })))
    assert.equal(both.name, 'ValidationException')
    assert.equal(both.message, 'Only one of Input, InputPath, or InputTransformer must be provided for target t2.')
  })
})
