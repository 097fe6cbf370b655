// Buses, rules and targets through the API: ARNs, listing, replacement semantics and AWS's errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateEventBusCommand, DeleteEventBusCommand, DeleteRuleCommand, DescribeEventBusCommand, DescribeRuleCommand,
  DisableRuleCommand, EnableRuleCommand, ListEventBusesCommand, ListRuleNamesByTargetCommand, ListRulesCommand,
  ListTagsForResourceCommand, ListTargetsByRuleCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand,
  RemovePermissionCommand, RemoveTargetsCommand, TagResourceCommand, UntagResourceCommand, UpdateEventBusCommand,
} from '@aws-sdk/client-eventbridge'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { account, busArn, ebClient, region } from './fixtures.ts'

const nimbus = useNimbus()
const eb = () => ebClient(nimbus.current)
const pattern = JSON.stringify({ source: ['app'] })

describe('EventBridge buses', () => {
  it('has a default bus and creates, describes, lists, updates and deletes custom buses', async () => {
    const def = await eb().send(new DescribeEventBusCommand({}))
    assert.equal(def.Name, 'default')
    assert.equal(def.Arn, busArn('default'))
    const name = uniqueName('bus')
    const created = await eb().send(new CreateEventBusCommand({ Name: name, Description: 'orders', Tags: [{ Key: 'team', Value: 'a' }] }))
    assert.equal(created.EventBusArn, busArn(name))
    const listed = await eb().send(new ListEventBusesCommand({ NamePrefix: name }))
    assert.deepEqual(listed.EventBuses?.map((b) => b.Name), [name])
    assert.ok(listed.EventBuses?.[0]?.CreationTime instanceof Date)
    const updated = await eb().send(new UpdateEventBusCommand({ Name: name, Description: 'orders v2' }))
    assert.equal(updated.Description, 'orders v2')
    const tags = await eb().send(new ListTagsForResourceCommand({ ResourceARN: busArn(name) }))
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a' }])
    await eb().send(new DeleteEventBusCommand({ Name: name }))
    const gone = await sdkError(eb().send(new DescribeEventBusCommand({ Name: name })))
    assert.equal(gone.name, 'ResourceNotFoundException')
    assert.equal(gone.message, `Event bus ${name} does not exist.`)
    // Deleting again is fine, as on AWS.
    await eb().send(new DeleteEventBusCommand({ Name: name }))
  })

  it('refuses a duplicate bus and deleting the default bus', async () => {
    const name = uniqueName('bus')
    await eb().send(new CreateEventBusCommand({ Name: name }))
    const dup = await sdkError(eb().send(new CreateEventBusCommand({ Name: name })))
    assert.equal(dup.name, 'ResourceAlreadyExistsException')
    assert.equal(dup.message, `Event bus ${name} already exists.`)
    const def = await sdkError(eb().send(new DeleteEventBusCommand({ Name: 'default' })))
    assert.equal(def.name, 'ValidationException')
    assert.equal(def.message, 'Cannot delete event bus default.')
  })

  it('keeps a resource policy from PutPermission and removes statements', async () => {
    const name = uniqueName('bus')
    await eb().send(new CreateEventBusCommand({ Name: name }))
    await eb().send(new PutPermissionCommand({ EventBusName: name, Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'one' }))
    const { Policy } = await eb().send(new DescribeEventBusCommand({ Name: name }))
    assert.deepEqual(JSON.parse(Policy!), { Version: '2012-10-17', Statement: [{
      Sid: 'one', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents', Resource: busArn(name),
    }] })
    await eb().send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'one' }))
    assert.equal((await eb().send(new DescribeEventBusCommand({ Name: name }))).Policy, undefined)
    const missing = await sdkError(eb().send(new RemovePermissionCommand({ EventBusName: name, StatementId: 'one' })))
    assert.equal(missing.name, 'ResourceNotFoundException')
  })
})

describe('EventBridge rules and targets', () => {
  it('creates rules with AWS ARNs on the default and a custom bus', async () => {
    const name = uniqueName('rule')
    const { RuleArn } = await eb().send(new PutRuleCommand({ Name: name, EventPattern: pattern, Description: 'd' }))
    assert.equal(RuleArn, `arn:aws:events:${region}:${account}:rule/${name}`)
    const bus = uniqueName('bus')
    await eb().send(new CreateEventBusCommand({ Name: bus }))
    const custom = await eb().send(new PutRuleCommand({ Name: name, EventPattern: pattern, EventBusName: bus }))
    assert.equal(custom.RuleArn, `arn:aws:events:${region}:${account}:rule/${bus}/${name}`)
    const described = await eb().send(new DescribeRuleCommand({ Name: name, EventBusName: busArn(bus) }))
    assert.equal(described.EventBusName, bus)
    assert.equal(described.State, 'ENABLED')
    assert.equal(described.EventPattern, pattern)
    assert.equal(described.CreatedBy, account)
  })

  it('replaces a rule entirely on PutRule, enables and disables it', async () => {
    const name = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: pattern, Description: 'first' }))
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: pattern, State: 'DISABLED' }))
    const replaced = await eb().send(new DescribeRuleCommand({ Name: name }))
    assert.equal(replaced.Description, undefined)
    assert.equal(replaced.State, 'DISABLED')
    await eb().send(new EnableRuleCommand({ Name: name }))
    assert.equal((await eb().send(new DescribeRuleCommand({ Name: name }))).State, 'ENABLED')
    await eb().send(new DisableRuleCommand({ Name: name }))
    assert.equal((await eb().send(new DescribeRuleCommand({ Name: name }))).State, 'DISABLED')
  })

  it('lists rules by prefix in pages', async () => {
    const bus = uniqueName('bus')
    await eb().send(new CreateEventBusCommand({ Name: bus }))
    for (const n of ['c', 'a', 'b', 'x']) await eb().send(new PutRuleCommand({ Name: `p-${n}`, EventPattern: pattern, EventBusName: bus }))
    const first = await eb().send(new ListRulesCommand({ EventBusName: bus, NamePrefix: 'p-', Limit: 2 }))
    assert.deepEqual(first.Rules?.map((r) => r.Name), ['p-a', 'p-b'])
    assert.ok(first.NextToken)
    const second = await eb().send(new ListRulesCommand({ EventBusName: bus, NamePrefix: 'p-', Limit: 2, NextToken: first.NextToken }))
    assert.deepEqual(second.Rules?.map((r) => r.Name), ['p-c', 'p-x'])
    assert.equal(second.NextToken, undefined)
  })

  it('adds, lists, finds and removes targets; a rule with targets cannot be deleted', async () => {
    const name = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: pattern }))
    const arn = `arn:aws:sqs:${region}:${account}:somewhere`
    const put = await eb().send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't1', Arn: arn, Input: '{"a":1}' }] }))
    assert.equal(put.FailedEntryCount, 0)
    assert.deepEqual(put.FailedEntries, [])
    const listed = await eb().send(new ListTargetsByRuleCommand({ Rule: name }))
    assert.deepEqual(listed.Targets, [{ Id: 't1', Arn: arn, Input: '{"a":1}' }])
    const byTarget = await eb().send(new ListRuleNamesByTargetCommand({ TargetArn: arn }))
    assert.ok(byTarget.RuleNames?.includes(name))
    const refused = await sdkError(eb().send(new DeleteRuleCommand({ Name: name })))
    assert.equal(refused.name, 'ValidationException')
    assert.equal(refused.message, "Rule can't be deleted since it has targets.")
    await eb().send(new RemoveTargetsCommand({ Rule: name, Ids: ['t1'] }))
    await eb().send(new DeleteRuleCommand({ Name: name }))
    const gone = await sdkError(eb().send(new DescribeRuleCommand({ Name: name })))
    assert.equal(gone.name, 'ResourceNotFoundException')
    assert.equal(gone.message, `Rule ${name} does not exist on EventBus default.`)
  })

  it('allows at most five targets per rule', async () => {
    const name = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: name, EventPattern: pattern }))
    const targets = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `t${i}`, Arn: `arn:aws:sqs:${region}:${account}:q${i}` }))
    await eb().send(new PutTargetsCommand({ Rule: name, Targets: targets(5) }))
    const error = await sdkError(eb().send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'sixth', Arn: `arn:aws:sqs:${region}:${account}:q` }] })))
    assert.equal(error.name, 'LimitExceededException')
    assert.equal(error.message, 'The requested resource exceeds the maximum number allowed.')
  })

  it('tags rules', async () => {
    const name = uniqueName('rule')
    const { RuleArn } = await eb().send(new PutRuleCommand({ Name: name, EventPattern: pattern, Tags: [{ Key: 'a', Value: '1' }] }))
    await eb().send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'b', Value: '2' }] }))
    await eb().send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['a'] }))
    assert.deepEqual((await eb().send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags, [{ Key: 'b', Value: '2' }])
  })
})
