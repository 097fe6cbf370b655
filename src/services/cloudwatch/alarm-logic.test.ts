// The alarm decision table (M out of N with each TreatMissingData) and the composite rule language.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MetricAlarmConfig, StateValue, TreatMissingData } from './alarm.ts'
import { decide } from './alarm-evaluation.ts'
import { evaluateRule, parseRule, ruleAlarms } from './alarm-rule.ts'

const config = (treat: TreatMissingData, n = 3, m = 3) => ({ threshold: 5, comparison: 'GreaterThanThreshold', evaluationPeriods: n,
  datapointsToAlarm: m, treatMissingData: treat }) as MetricAlarmConfig
/** "X" breaching, "0" not breaching, "-" missing: as in AWS's table. */
const slots = (pattern: string) => pattern.split(' ').map((c, i) => ({ t: i, value: c === 'X' ? 9 : c === '0' ? 1 : undefined, sampleCount: undefined }))

describe('alarm decision (3 out of 3)', () => {
  const rows: [string, StateValue, StateValue, StateValue, StateValue][] = [
    // pattern       missing               ignore (current OK)   breaching   notBreaching
    ['0 X X', 'OK', 'OK', 'OK', 'OK'],
    ['0 0 X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - -', 'INSUFFICIENT_DATA', 'OK', 'ALARM', 'OK'],
    ['X X X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['X X -', 'ALARM', 'OK', 'ALARM', 'OK'],
    ['X - -', 'ALARM', 'OK', 'ALARM', 'OK'],
  ]
  for (const [pattern, missing, ignore, breaching, notBreaching] of rows) {
    it(pattern, () => {
      const got = (['missing', 'ignore', 'breaching', 'notBreaching'] as const).map((t) => decide(config(t), slots(pattern), 'OK').state)
      assert.deepEqual(got, [missing, ignore, breaching, notBreaching])
    })
  }
  it('ignore keeps ALARM too when ALARM is still reachable', () => {
    assert.equal(decide(config('ignore'), slots('X - -'), 'ALARM').state, 'ALARM')
  })
  it('2 out of 3', () => {
    assert.equal(decide(config('missing', 3, 2), slots('X 0 X'), 'OK').state, 'ALARM')
    assert.equal(decide(config('missing', 3, 2), slots('0 0 X'), 'ALARM').state, 'OK')
  })
})

describe('composite alarm rules', () => {
  const states: Record<string, StateValue> = { a: 'ALARM', b: 'OK', 'c d': 'INSUFFICIENT_DATA' }
  const check = (rule: string) => evaluateRule(parseRule(rule), (n) => states[n])
  it('ALARM/OK/INSUFFICIENT_DATA, TRUE/FALSE, AND/OR/NOT with precedence and parentheses', () => {
    assert.equal(check('ALARM(a)'), true)
    assert.equal(check('ALARM(a) AND OK(b)'), true)
    assert.equal(check('ALARM(b) OR INSUFFICIENT_DATA("c d")'), true)
    assert.equal(check('NOT ALARM(a) OR FALSE'), false)
    assert.equal(check('TRUE AND NOT (ALARM(b) OR OK(a))'), true)
    assert.equal(check('ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:a)'), true)
    assert.deepEqual(ruleAlarms(parseRule('ALARM(a) AND (OK(b) OR ALARM("c d"))')), ['a', 'b', 'c d'])
  })
  it('rejects malformed rules', () => {
    for (const bad of ['ALARM(a) AND', 'ALARM()', '(ALARM(a)', 'FOO(a)', 'ALARM(a) OK(b)']) assert.throws(() => parseRule(bad), bad)
  })
})
