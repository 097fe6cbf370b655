// The resource-policy check's cache: one evaluation per policy revision, principal, action and
// resource, however many calls; a new revision (PutResourcePolicy's new text) is evaluated afresh.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AccessKeyDirectory } from '../../core/access-keys.ts'
import { ManualClock } from '../../core/clock.ts'
import type { HttpRequest } from '../../protocol/http.ts'
import type { OperationContext } from '../service.ts'
import { ResourcePolicies } from './access.ts'
import { KinesisState } from './store.ts'

const clock = new ManualClock(Date.UTC(2026, 0, 1))
const ctx = (account: string) => ({ caller: { account, region: 'us-east-1', accessKeyId: account }, clock }) as unknown as OperationContext

describe('Kinesis resource policies (cache)', () => {
  it('evaluates a revision once per principal, action and resource', () => {
    const state = new KinesisState(clock, { transitionMs: 0 })
    const stream = state.create('000000000000', 'us-east-1', 's', 'PROVISIONED', 1, {})
    const policies = new ResourcePolicies(state, new AccessKeyDirectory())
    const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' },
      Action: action, Resource: stream.arn }] })
    stream.meta.policy = allow('kinesis:PutRecords')
    const input = { StreamARN: stream.arn }
    for (let i = 0; i < 1000; i++) policies.authorize('PutRecords', input, ctx('111122223333'))
    assert.equal(policies.evaluations, 1)
    assert.throws(() => policies.authorize('GetRecords', input, ctx('111122223333')), { name: 'AccessDeniedException' })
    assert.throws(() => policies.authorize('PutRecords', input, ctx('999988887777')), { name: 'AccessDeniedException' })
    assert.equal(policies.evaluations, 3)
    // The owner's calls: only a Deny could refuse them, and there is none (evaluated once too).
    for (let i = 0; i < 10; i++) policies.authorize('PutRecords', { StreamName: 's' }, ctx('000000000000'))
    assert.equal(policies.evaluations, 4)
    stream.meta.policy = allow('kinesis:GetRecords')
    assert.throws(() => policies.authorize('PutRecords', input, ctx('111122223333')), { name: 'AccessDeniedException' })
    policies.authorize('GetRecords', input, ctx('111122223333'))
    assert.equal(policies.evaluations, 6)
  })

  it('shares only the actions AWS lets a resource policy share, whatever it allows', () => {
    const state = new KinesisState(clock, { transitionMs: 0 })
    const stream = state.create('000000000000', 'us-east-1', 's', 'PROVISIONED', 1, {})
    const policies = new ResourcePolicies(state, new AccessKeyDirectory())
    stream.meta.policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' },
      Action: 'kinesis:*', Resource: '*' }] })
    const input = { StreamARN: stream.arn }
    for (const op of ['DescribeStream', 'DescribeStreamSummary', 'ListShards', 'GetShardIterator', 'GetRecords', 'PutRecord', 'PutRecords']) {
      policies.authorize(op, input, ctx('111122223333'))
    }
    for (const op of ['DeleteStream', 'RegisterStreamConsumer', 'AddTagsToStream', 'UpdateShardCount', 'ListStreamConsumers', 'IncreaseStreamRetentionPeriod']) {
      assert.throws(() => policies.authorize(op, input, ctx('111122223333')), { name: 'AccessDeniedException', message: new RegExp(`kinesis:${op} on resource`) })
    }
    // The owner account is not limited by the list.
    policies.authorize('DeleteStream', { StreamName: 's' }, ctx('000000000000'))
  })

  it('caches a policy whose conditions read only the principal; evaluates one reading the request on every call', () => {
    const state = new KinesisState(clock, { transitionMs: 0 })
    const stream = state.create('000000000000', 'us-east-1', 's', 'PROVISIONED', 1, {})
    const policies = new ResourcePolicies(state, new AccessKeyDirectory())
    const allowIf = (Condition: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' },
      Action: 'kinesis:PutRecords', Resource: stream.arn, Condition }] })
    const input = { StreamARN: stream.arn }
    stream.meta.policy = allowIf({ StringEquals: { 'aws:PrincipalAccount': '111122223333' } })
    for (let i = 0; i < 100; i++) policies.authorize('PutRecords', input, ctx('111122223333'))
    assert.equal(policies.evaluations, 1)
    stream.meta.policy = allowIf({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })
    const from = (remoteAddress: string) => ({ remoteAddress, headers: {} }) as unknown as HttpRequest
    for (let i = 0; i < 10; i++) policies.authorize('PutRecords', input, ctx('111122223333'), from('::ffff:10.1.2.3'))
    assert.throws(() => policies.authorize('PutRecords', input, ctx('111122223333'), from('192.0.2.1')), { name: 'AccessDeniedException' })
    assert.equal(policies.evaluations, 12)
    // A policy variable of the request counts too.
    stream.meta.policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' },
      Action: 'kinesis:PutRecords', Resource: `arn:aws:kinesis:\${aws:RequestedRegion}:000000000000:stream/s` }] })
    policies.authorize('PutRecords', input, ctx('111122223333'))
    policies.authorize('PutRecords', input, ctx('111122223333'))
    assert.equal(policies.evaluations, 14)
  })
})
