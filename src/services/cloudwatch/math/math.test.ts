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
  it('SORT, SLICE, FIRST, LAST and METRIC_COUNT pick series from an array', () => {
    const labels = (v: Value) => (v.kind === 'array' ? v.items.map((s) => s.label) : v.kind === 'series' ? v.series.label : v.value)
    assert.deepEqual(labels(run('SORT(METRICS(), AVG, DESC)')), ['a', 'b'])
    assert.deepEqual(labels(run('SORT(METRICS(), MAX, ASC)')), ['b', 'a'])
    assert.deepEqual(labels(run('SORT(METRICS(), max, asc)')), ['b', 'a'])
    assert.deepEqual(labels(run('SORT(METRICS(), SUM, DESC, 1)')), ['a'])
    assert.equal(labels(run('FIRST(SORT(METRICS(), MIN, ASC))')), 'a')
    assert.equal(labels(run('LAST(SORT(METRICS(), MIN, ASC))')), 'b')
    assert.deepEqual(labels(run('SLICE(SORT(METRICS(), SUM, DESC), 1)')), ['b'])
    assert.deepEqual(labels(run('SLICE(METRICS(), 0, 1)')), ['a'])
    assert.equal(points(run('METRIC_COUNT(METRICS())')), 2)
    assert.throws(() => run('SORT(METRICS(), MEDIAN, DESC)'), /AVG, MIN, MAX or SUM/)
    assert.throws(() => run('SORT(METRICS(), AVG, UP)'), /ASC or DESC/)
  })
  it('DATAPOINT_COUNT and the time-of-period functions', () => {
    assert.equal(points(run('DATAPOINT_COUNT(m1)')), 3)
    assert.deepEqual(points(run('DATAPOINT_COUNT(METRICS())')), [[0, 2], [60_000, 2], [120_000, 1], [180_000, 1]])
    // 1970-01-01T00:03:00Z was a Thursday.
    assert.deepEqual(points(run('MINUTE(m1)')), [[0, 0], [60_000, 1], [180_000, 3]])
    assert.deepEqual(points(run('EPOCH(m1)')), [[0, 0], [60_000, 60], [180_000, 180]])
    assert.deepEqual(points(run('DAY(m2)')), [[0, 4], [60_000, 4], [120_000, 4]])
    assert.deepEqual([points(run('HOUR(m2)')), points(run('DATE(m2)')), points(run('MONTH(m2)')), points(run('YEAR(m2)'))].map((p) => (p as number[][])[0]![1]),
      [0, 1, 1, 1970])
  })
  it('reports syntax errors and unknown ids', () => {
    assert.throws(() => parseExpression('m1 +'), MathSyntaxError)
    assert.throws(() => parseExpression('SUM(m1'), MathSyntaxError)
    assert.throws(() => run('m3 * 2'), /Unrecognized metric or expression id: m3/)
    assert.throws(() => run('NOPE(m1)'), /Unknown function NOPE/)
  })
})
