// EventBridge TestEventPattern: envelope validation, pattern errors as AwsError, the result.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { testEventPattern } from '../../src/event-pattern/index.ts'

const envelope = {
  id: '1', account: '123456789012', source: 'my.app', time: '2026-01-01T00:00:00Z', region: 'us-east-1',
  'detail-type': 'Thing Happened', resources: [], detail: { n: 5 },
}
const event = (change: Record<string, unknown> = {}, drop: string[] = []) => {
  const e: Record<string, unknown> = { ...envelope, ...change }
  for (const key of drop) delete e[key]
  return JSON.stringify(e)
}

describe('TestEventPattern', () => {
  it('returns true for a matching event', () => assert.equal(testEventPattern('{"source":["my.app"]}', event()), true))
  it('returns false for a non-matching event', () => assert.equal(testEventPattern('{"source":["other"]}', event()), false))
  it('matches on detail', () => assert.equal(testEventPattern('{"detail":{"n":[{"numeric":[">",4]}]}}', event()), true))
  it('accepts an event without resources', () => assert.equal(testEventPattern('{"source":["my.app"]}', event({}, ['resources'])), true))
  for (const key of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
    it(`rejects an event without ${key}`, () => {
      assert.throws(() => testEventPattern('{"source":["my.app"]}', event({}, [key])),
        { code: 'ValidationException', message: 'Parameter Event is not valid.' })
    })
  }
  for (const [name, text] of [['a plain string', '"hello"'], ['a JSON array', '[1]'], ['not JSON', 'nope']] as const) {
    it(`rejects an event that is ${name}`, () => {
      assert.throws(() => testEventPattern('{"source":["my.app"]}', text), { code: 'ValidationException' })
    })
  }
  it('reports pattern errors as InvalidEventPatternException', () => {
    assert.throws(() => testEventPattern('{"source":"my.app"}', event()), {
      code: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: "source" must be an object or an array',
    })
  })
  it('checks the pattern before the event', () => {
    assert.throws(() => testEventPattern('[]', 'nope'), { code: 'InvalidEventPatternException', message: 'Event pattern is not valid. Reason: Filter is not an object' })
  })
})
