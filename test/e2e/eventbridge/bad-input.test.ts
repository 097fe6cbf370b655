// Bad input gets AWS's exact errors (whole-request or per entry), and Nimbus keeps serving.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DescribeRuleCommand, ListPartnerEventSourcesCommand, ListRulesCommand, PutEventsCommand, PutPermissionCommand, PutRuleCommand,
  PutTargetsCommand, RemovePermissionCommand, TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { ebClient } from './fixtures.ts'

const nimbus = useNimbus()
const eb = () => ebClient(nimbus.current)

describe('EventBridge bad input', () => {
  it('refuses invalid event patterns with InvalidEventPatternException', async () => {
    const cases: [string, string][] = [
      ['{"source": "app"}', 'Event pattern is not valid. Reason: "source" must be an object or an array'],
      ['{"source": []}', 'Event pattern is not valid. Reason: Empty arrays are not allowed'],
      ['["app"]', 'Event pattern is not valid. Reason: Filter is not an object'],
      ['{"detail": {"n": [{"NUMERIC": [">", 1]}]}}', 'Event pattern is not valid. Reason: Unrecognized match type NUMERIC'],
    ]
    for (const [pattern, message] of cases) {
      const error = await sdkError(eb().send(new PutRuleCommand({ Name: uniqueName('r'), EventPattern: pattern })))
      assert.deepEqual([error.name, error.message, error.status], ['InvalidEventPatternException', message, 400], pattern)
    }
  })

  it('names unknown buses and rules', async () => {
    const bus = await sdkError(eb().send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":["a"]}', EventBusName: 'nope' })))
    assert.deepEqual([bus.name, bus.message], ['ResourceNotFoundException', 'Event bus nope does not exist.'])
    const rule = await sdkError(eb().send(new DescribeRuleCommand({ Name: 'missing-rule' })))
    assert.deepEqual([rule.name, rule.message], ['ResourceNotFoundException', 'Rule missing-rule does not exist on EventBus default.'])
    const targets = await sdkError(eb().send(new PutTargetsCommand({ Rule: 'missing-rule', Targets: [{ Id: 'a', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] })))
    assert.equal(targets.message, 'Rule missing-rule does not exist on EventBus default.')
    const list = await sdkError(eb().send(new ListRulesCommand({ EventBusName: 'nope' })))
    assert.equal(list.message, 'Event bus nope does not exist.')
  })

  it('checks names and required members with the model\'s constraint wording', async () => {
    const name = await sdkError(eb().send(new PutRuleCommand({ Name: 'bad name!', EventPattern: '{"source":["a"]}' })))
    assert.deepEqual([name.name, name.message], ['ValidationException',
      "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"])
    const rule = uniqueName('r')
    await eb().send(new PutRuleCommand({ Name: rule, EventPattern: '{"source":["a"]}' }))
    const id = await sdkError(eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'bad id', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] })))
    assert.equal(id.message,
      "1 validation error detected: Value 'bad id' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
    const arn = await sdkError(eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'a', Arn: 'not-an-arn' }] })))
    assert.equal(arn.message, 'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.')
    const fifo = await sdkError(eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'a', Arn: 'arn:aws:sqs:us-east-1:000000000000:q.fifo' }] })))
    assert.equal(fifo.message, 'Parameter(s) SqsParameters must be specified for FIFO queues.')
    const missing = await sdkError(eb().send(new PutRuleCommand({ Name: undefined as unknown as string })))
    assert.equal(missing.message, "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
  })

  it('reports per-entry PutEvents errors in request order', async () => {
    const { FailedEntryCount, Entries } = await eb().send(new PutEventsCommand({ Entries: [
      { Source: 'app', DetailType: 'ok', Detail: '{}' },
      { DetailType: 'x', Detail: '{}' },
      { Source: 'app', Detail: '{}' },
      { Source: 'app', DetailType: 'x' },
      { Source: 'app', DetailType: 'x', Detail: '{"broken": ' },
      { Source: 'app', DetailType: 'x', Detail: '"a string"' },
      { Source: 'app', DetailType: 'x', Detail: '[1]' },
      { Source: 'aws.s3', DetailType: 'x', Detail: '{}' },
    ] }))
    assert.equal(FailedEntryCount, 7)
    assert.match(Entries![0]!.EventId!, /^[0-9a-f-]{36}$/)
    assert.deepEqual(Entries!.slice(1).map((e) => [e.ErrorCode, e.ErrorMessage]), [
      ['InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'],
      ['InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'],
      ['InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.'],
      ['MalformedDetail', 'Detail is malformed.'],
      ['MalformedDetail', 'Detail is malformed.'],
      ['MalformedDetail', 'Detail is malformed.'],
      ['NotAuthorizedForSourceException', 'Not authorized for the source.'],
    ])
  })

  it('refuses oversized requests and more than ten entries', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(1_048_576) })
    const size = await sdkError(eb().send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'x', Detail: big }] })))
    assert.deepEqual([size.name, size.message], ['ValidationException', 'Total size of the entries in the request is over the limit.'])
    const entries = Array.from({ length: 11 }, () => ({ Source: 'app', DetailType: 'x', Detail: '{}' }))
    const many = await sdkError(eb().send(new PutEventsCommand({ Entries: entries })))
    assert.equal(many.name, 'ValidationException')
    assert.match(many.message, /Member must have length less than or equal to 10$/)
    // Still serving.
    const { FailedEntryCount } = await eb().send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'x', Detail: '{}' }] }))
    assert.equal(FailedEntryCount, 0)
  })

  it('tests patterns against events', async () => {
    const event = JSON.stringify({ id: '1', account: '123456789012', source: 'app', time: '2024-01-01T00:00:00Z', region: 'us-east-1',
      'detail-type': 'x', detail: { n: 5 } })
    const yes = await eb().send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",1]}]}}', Event: event }))
    assert.equal(yes.Result, true)
    const no = await eb().send(new TestEventPatternCommand({ EventPattern: '{"source":["other"]}', Event: event }))
    assert.equal(no.Result, false)
    const bad = await sdkError(eb().send(new TestEventPatternCommand({ EventPattern: '{"source":["app"]}', Event: '{"source":"app"}' })))
    assert.deepEqual([bad.name, bad.message], ['ValidationException', 'Parameter Event is not valid.'])
  })

  it('refuses policies with non-object statements and target headers that could not be sent', async () => {
    const policy = await sdkError(eb().send(new PutPermissionCommand({ Policy: JSON.stringify({ Statement: [null] }) })))
    assert.deepEqual([policy.name, policy.message], ['ValidationException', 'Parameter Policy is not valid.'])
    // The bus's permissions still work afterwards.
    await eb().send(new PutPermissionCommand({ Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'partner' }))
    await eb().send(new RemovePermissionCommand({ StatementId: 'partner' }))
    const rule = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: rule, EventPattern: '{"source":["a"]}' }))
    const header = await sdkError(eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 't', RoleArn: 'arn:aws:iam::000000000000:role/r',
      Arn: 'arn:aws:events:us-east-1:000000000000:api-destination/d/0b5f3c6a-1e2f-4c1a-9a3b-6f1f2e3d4c5b',
      HttpParameters: { HeaderParameters: { 'x-ok': 'bad\r\nvalue' } } }] })))
    assert.equal(header.name, 'ValidationException')
    assert.match(header.message, /at 'targets\.1\.member\.httpParameters\.headerParameters\.value' failed to satisfy constraint/)
  })

  it('answers operations Nimbus does not implement yet with NotImplemented', async () => {
    const error = await sdkError(eb().send(new ListPartnerEventSourcesCommand({ NamePrefix: 'aws.partner' })))
    assert.deepEqual([error.name, error.status], ['NotImplemented', 501])
  })
})
