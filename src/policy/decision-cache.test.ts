// The per-holder, per-revision store of parsed resource policies and their decisions (decision-cache.ts).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { PolicyDecisionCache, PolicyRevision } from './decision-cache.ts'
import { parsePolicy } from './document.ts'

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement })
const allowAll = { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:a/*' }
const parsed = (text: string) => parsePolicy(text, 'resource')

describe('PolicyDecisionCache', () => {
  it('keeps one revision a holder, replaced when its text changes, and forgets its decisions with it', () => {
    const cache = new PolicyDecisionCache<object>()
    const holder = {}
    const text = policy(allowAll)
    assert.equal(cache.revision(holder, text), undefined)
    const first = cache.open(holder, text, parsed(text))
    assert.equal(cache.revision(holder, text), first)
    assert.equal(cache.revision({}, text), undefined, 'another holder has its own')
    first.set('GET /pets', '*', 'Allow')
    assert.equal(cache.revision(holder, text)?.get('GET /pets', '*'), 'Allow')
    const changed = policy({ ...allowAll, Effect: 'Deny' })
    assert.equal(cache.revision(holder, changed), undefined, 'a new text is a new revision')
    const second = cache.open(holder, changed, parsed(changed))
    assert.equal(second.get('GET /pets', '*'), undefined)
    assert.equal(cache.revision(holder, text), undefined, 'the old revision is gone')
  })

  it('remembers decisions under two keys, starting over past its bound', () => {
    const revision = new PolicyRevision('{}', undefined, 3)
    revision.set('a', 'x', 'Allow')
    revision.set('a', 'y', 'ExplicitDeny')
    revision.set('a', 'x', 'Allow') // the same pair again takes no new room
    revision.set('b', 'x', 'ImplicitDeny')
    assert.deepEqual([revision.get('a', 'x'), revision.get('a', 'y'), revision.get('b', 'x'), revision.get('b', 'y')],
      ['Allow', 'ExplicitDeny', 'ImplicitDeny', undefined])
    revision.set('c', 'x', 'Allow')
    assert.deepEqual([revision.get('a', 'x'), revision.get('b', 'x'), revision.get('c', 'x')], [undefined, undefined, 'Allow'])
  })

  it('tells a document whose decisions depend on principal, action and resource alone (contextFree)', () => {
    const revision = (...statements: object[]) => new PolicyRevision(policy(...statements), parsed(policy(...statements)))
    assert.equal(revision(allowAll, { ...allowAll, Effect: 'Deny', NotResource: 'arn:aws:execute-api:us-east-1:000000000000:a/*/GET/x', Resource: undefined })
      .contextFree, true)
    assert.equal(revision(allowAll, { ...allowAll, Effect: 'Deny', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }).contextFree, false)
    assert.equal(revision({ ...allowAll, Resource: 'arn:aws:execute-api:us-east-1:000000000000:a/*/GET/${aws:SourceIp}' }).contextFree, false)
    assert.equal(revision({ ...allowAll, Resource: undefined, NotResource: 'arn:aws:execute-api:us-east-1:000000000000:a/${aws:username}' }).contextFree, false)
    assert.equal(new PolicyRevision('not json', undefined).contextFree, false)
  })
})
