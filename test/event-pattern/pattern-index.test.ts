// PatternIndex must return exactly what testing every pattern would, in insertion order.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePattern, PatternIndex } from '../../src/event-pattern/index.ts'

const rules: Record<string, object> = {
  bySource: { source: ['a'] },
  bySourceAndType: { source: ['a', 'b'], 'detail-type': ['T'] },
  byTypeOnly: { 'detail-type': ['T', 'U'] },
  orOnSource: { $or: [{ source: ['c'] }, { source: ['a'] }] },
  orMixed: { $or: [{ source: ['c'] }, { detail: { x: [1] } }] },
  prefixSource: { source: [{ prefix: 'a' }] },
  anythingBut: { source: [{ 'anything-but': 'a' }] },
  absent: { source: [{ exists: false }] },
  nested: { detail: { x: [1] } },
  ipSource: { source: ['10.0.0.1'] },
  arraySource: { resources: ['r1'] },
}

const events = [
  { source: 'a', 'detail-type': 'T' },
  { source: 'b', 'detail-type': 'T' },
  { source: 'c', 'detail-type': 'U', detail: { x: 1 } },
  { source: 'ab', 'detail-type': 'V' },
  { 'detail-type': 'T', detail: { x: 1 } },
  { source: '10.0.0.1', resources: ['r0', 'r1'] },
  { source: ['a', 'z'], 'detail-type': 'U' },
  {},
]

describe('PatternIndex', () => {
  const index = new PatternIndex<string>()
  for (const [name, rule] of Object.entries(rules)) index.add(name, compilePattern(rule, 'eventbridge'))

  for (const [i, event] of events.entries()) {
    it(`agrees with a linear scan on event ${i}`, () => {
      const expected = Object.entries(rules).filter(([, r]) => compilePattern(r, 'eventbridge').matches(event)).map(([n]) => n)
      assert.deepEqual(index.match(event), expected)
      assert.deepEqual(index.match(JSON.stringify(event)), expected)
    })
  }

  it('forgets removed patterns', () => {
    const small = new PatternIndex<number>()
    small.add(1, compilePattern({ source: ['a'] }, 'eventbridge'))
    small.add(2, compilePattern({ source: ['a'] }, 'eventbridge'))
    assert.equal(small.remove(1), true)
    assert.equal(small.remove(1), false)
    assert.deepEqual(small.match({ source: 'a' }), [2])
    assert.equal(small.size, 1)
  })

  it('replaces a pattern added again under the same key', () => {
    const small = new PatternIndex<string>()
    small.add('r', compilePattern({ source: ['a'] }, 'eventbridge'))
    small.add('r', compilePattern({ source: ['b'] }, 'eventbridge'))
    assert.deepEqual(small.match({ source: 'a' }), [])
    assert.deepEqual(small.match({ source: 'b' }), ['r'])
  })

  it('matches nothing for events that are not objects', () => {
    assert.deepEqual(index.match('not json'), [])
    assert.deepEqual(index.match([1, 2]), [])
  })
})
