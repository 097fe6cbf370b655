// Metric math: parsing precedence, series arithmetic on shared timestamps, the functions, errors.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { evaluate, type MathScope } from './evaluate.ts'
import { MathSyntaxError } from './lexer.ts'
import { parseExpression } from './parser.ts'
import { seriesOf, type Value } from './values.ts'

const m1 = seriesOf('m1', 'a', [[0, 1], [60_000, 4], [180_000, 10]])
const m2 = seriesOf('m2', 'b', [[0, 2], [60_000, 2], [120_000, 2]])
const scope: MathScope = {
  grid: [0, 60_000, 120_000, 180_000],
  periodSeconds: 60,
  resolve: (id) => (id === 'm1' ? { kind: 'series', series: m1 } : id === 'm2' ? { kind: 'series', series: m2 } : undefined),
  metrics: () => [m1, m2],
}
const run = (text: string): Value => evaluate(parseExpression(text), scope)
const points = (v: Value) => (v.kind === 'series' ? [...v.series.points] : v.kind === 'scalar' ? v.value : v.items.map((s) => [...s.points]))

describe('metric math', () => {
  it('respects precedence and combines series on the timestamps both have', () => {
    assert.equal(points(run('1 + 2 * 3 ^ 2')), 19)
    assert.deepEqual(points(run('m1 + m2')), [[0, 3], [60_000, 6]])
    assert.deepEqual(points(run('-(m1 - 1) * 2')), [[0, -0], [60_000, -6], [180_000, -18]])
  })
  it('aggregates: of a series to a scalar, of an array timestamp by timestamp', () => {
    assert.equal(points(run('SUM(m1)')), 15)
    assert.equal(points(run('MAX(m2)')), 2)
    assert.deepEqual(points(run('SUM(METRICS())')), [[0, 3], [60_000, 6], [120_000, 2], [180_000, 10]])
    assert.deepEqual(points(run('AVG([m1, m2])')), [[0, 1.5], [60_000, 3], [120_000, 2], [180_000, 10]])
  })
  it('FILL with a value, REPEAT and LINEAR; IF; RATE and DIFF; ABS', () => {
    assert.deepEqual(points(run('FILL(m1, 0)')), [[0, 1], [60_000, 4], [120_000, 0], [180_000, 10]])
    assert.deepEqual(points(run('FILL(m1, REPEAT)')), [[0, 1], [60_000, 4], [120_000, 4], [180_000, 10]])
    assert.deepEqual(points(run('FILL(m1, LINEAR)')), [[0, 1], [60_000, 4], [120_000, 7], [180_000, 10]])
    assert.deepEqual(points(run('IF(m1 > 2, 1, 0)')), [[0, 0], [60_000, 1], [180_000, 1]])
    assert.deepEqual(points(run('IF(m1 > 2 AND m1 < 5, m1)')), [[60_000, 4]])
    assert.deepEqual(points(run('DIFF(m1)')), [[60_000, 3], [180_000, 6]])
    assert.deepEqual(points(run('RATE(m1)')), [[60_000, 0.05], [180_000, 0.05]])
    assert.deepEqual(points(run('ABS(m2 - 3)')), [[0, 1], [60_000, 1], [120_000, 1]])
  })
  it('reports syntax errors and unknown ids', () => {
    assert.throws(() => parseExpression('m1 +'), MathSyntaxError)
    assert.throws(() => parseExpression('SUM(m1'), MathSyntaxError)
    assert.throws(() => run('m3 * 2'), /Unrecognized metric or expression id: m3/)
    assert.throws(() => run('NOPE(m1)'), /Unknown function NOPE/)
  })
})
