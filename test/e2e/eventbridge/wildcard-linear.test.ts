// Wildcard patterns match without a backtracking RegExp: the most wildcards Event Ruler's complexity
// cap lets through, against a long value, answer at once (as a RegExp, hours), and match as before.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TestEventPatternCommand } from '@aws-sdk/client-eventbridge'
import { useNimbus } from '../../helpers/nimbus.ts'
import { ebClient } from './fixtures.ts'

const nimbus = useNimbus()
const event = (v: string) => JSON.stringify({
  id: '1', account: '123456789012', source: 'my.app', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], 'detail-type': 't', detail: { v },
})

describe('EventBridge wildcard patterns', () => {
  it('answer at once on long values, and keep Nimbus serving', { timeout: 60_000 }, async () => {
    const eb = ebClient(nimbus.current)
    const test = async (wildcard: string, v: string) =>
      (await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ detail: { v: [{ wildcard }] } }), Event: event(v) }))).Result
    const long = 'a'.repeat(20_000)
    assert.equal(await test('*a*a*a*b', long), false)
    assert.equal(await test('*a*a*a*b', `${long}b`), true)
    assert.equal(await test('a*\\*', 'abc*'), true, 'an escaped star is literal')
    assert.equal(await test('a*\\*', 'abc'), false)
    assert.equal((await fetch(`${nimbus.current.endpoint}/_nimbus/health`)).status, 200)
  })
})
