// Step and simple scaling arithmetic: step selection at the bounds, PercentChangeInCapacity rounding, step validation.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { adjustedCapacity, aggregateValues, clamp, percentChange, pickStep, stepAdjustmentsError } from './adjustment.ts'

// AWS's example: threshold 50; +1 for [50, 60), +2 for [60, 70), +3 for [70, ∞); −1 for (40, 50], −2 for (−∞, 40].
const steps = [
  { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
  { MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 20, ScalingAdjustment: 2 },
  { MetricIntervalLowerBound: 20, ScalingAdjustment: 3 },
]
const inSteps = [
  { MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: -1 },
  { MetricIntervalUpperBound: -10, ScalingAdjustment: -2 },
]

describe('step selection', () => {
  it('above the threshold: lower bound inclusive, upper exclusive', () => {
    assert.equal(pickStep(steps, 50, 50)?.ScalingAdjustment, 1)
    assert.equal(pickStep(steps, 59.9, 50)?.ScalingAdjustment, 1)
    assert.equal(pickStep(steps, 60, 50)?.ScalingAdjustment, 2)
    assert.equal(pickStep(steps, 95, 50)?.ScalingAdjustment, 3)
  })
  it('below the threshold: lower bound exclusive, upper inclusive', () => {
    assert.equal(pickStep(inSteps, 45, 50)?.ScalingAdjustment, -1)
    assert.equal(pickStep(inSteps, 40, 50)?.ScalingAdjustment, -2)
    assert.equal(pickStep(inSteps, 40.1, 50)?.ScalingAdjustment, -1)
    assert.equal(pickStep(steps, 45, 50), undefined)
  })
})

describe('adjustment types', () => {
  it('PercentChangeInCapacity rounds as AWS documents', () => {
    assert.equal(percentChange(10, 25), 2) // 2.5 → 2
    assert.equal(percentChange(3, 10), 1) // 0.3 → 1
    assert.equal(percentChange(3, -10), -1) // −0.3 → −1
    assert.equal(percentChange(20, -33.35), -6) // −6.67 → −6
    assert.equal(percentChange(10, 10, 2), 2) // 1, raised to MinAdjustmentMagnitude 2
  })
  it('change, exact and percent capacities, then the group limits', () => {
    assert.equal(adjustedCapacity('ChangeInCapacity', -2, 5), 3)
    assert.equal(adjustedCapacity('ExactCapacity', 7, 5), 7)
    assert.equal(adjustedCapacity('PercentChangeInCapacity', 50, 4), 6)
    assert.equal(clamp(12, 1, 10), 10)
    assert.equal(clamp(0, 1, 10), 1)
  })
  it('MetricAggregationType', () => {
    assert.equal(aggregateValues([1, 5, 3], 'Maximum'), 5)
    assert.equal(aggregateValues([1, 5, 3], 'Minimum'), 1)
    assert.equal(aggregateValues([1, 5, 3], undefined), 3)
  })
})

describe('step adjustment rules', () => {
  it('valid sets pass', () => {
    assert.equal(stepAdjustmentsError(steps), undefined)
    assert.equal(stepAdjustmentsError(inSteps), undefined)
    assert.equal(stepAdjustmentsError([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }]), undefined)
  })
  it('overlaps, gaps and open ends are refused', () => {
    assert.match(stepAdjustmentsError([{ ScalingAdjustment: 1 }])!, /cannot be null/)
    assert.match(stepAdjustmentsError([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 5, ScalingAdjustment: 2 }])!, /overlap/)
    assert.match(stepAdjustmentsError([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 15, ScalingAdjustment: 2 }])!, /gaps/)
    assert.match(stepAdjustmentsError([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 }])!, /null upper bound/)
    assert.match(stepAdjustmentsError([{ MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }])!, /null lower bound/)
  })
})
