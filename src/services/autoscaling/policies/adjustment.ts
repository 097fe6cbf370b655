// The arithmetic of simple and step scaling, as AWS documents it: which step adjustment a metric
// value falls in (bounds relative to the alarm's threshold, inclusive on the side away from it), and
// the capacity an adjustment type gives (PercentChangeInCapacity's rounding, MinAdjustmentMagnitude).

export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity'

export const adjustmentTypes: readonly string[] = ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity']

export interface StepAdjustment {
  MetricIntervalLowerBound?: number
  MetricIntervalUpperBound?: number
  ScalingAdjustment: number
}

/**
 * The step a value falls in. Above the threshold a step's lower bound is inclusive and its upper
 * exclusive (threshold + lower ≤ value < threshold + upper); below it the other way round
 * (threshold + lower < value ≤ threshold + upper). Missing bounds are −∞ / +∞.
 */
export function pickStep(steps: readonly StepAdjustment[], value: number, threshold: number): StepAdjustment | undefined {
  const diff = value - threshold
  const above = value >= threshold
  return steps.find((s) => {
    const lo = s.MetricIntervalLowerBound ?? -Infinity
    const hi = s.MetricIntervalUpperBound ?? Infinity
    return above ? lo <= diff && diff < hi : lo < diff && diff <= hi
  })
}

/**
 * The change a percentage gives, rounded as AWS rounds it: values greater than 1 down, between 0 and 1
 * to 1, between −1 and 0 to −1, less than −1 up (toward zero); then raised to MinAdjustmentMagnitude.
 */
export function percentChange(capacity: number, percent: number, minMagnitude?: number): number {
  const raw = (capacity * percent) / 100
  let change = raw > 1 ? Math.floor(raw) : raw > 0 ? 1 : raw === 0 ? 0 : raw > -1 ? -1 : Math.ceil(raw)
  if (minMagnitude !== undefined && change !== 0 && Math.abs(change) < minMagnitude) change = Math.sign(change) * minMagnitude
  return change
}

/** The new desired capacity before the group's limits: `capacity` is what the change applies to. */
export function adjustedCapacity(type: AdjustmentType, adjustment: number, capacity: number, minMagnitude?: number): number {
  switch (type) {
    case 'ExactCapacity': return adjustment
    case 'PercentChangeInCapacity': return capacity + percentChange(capacity, adjustment, minMagnitude)
    default: return capacity + adjustment
  }
}

export function clamp(capacity: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, capacity))
}

/**
 * Why a set of step adjustments is invalid (AWS's rules: no overlap, no gap, at most one open bound
 * each way and none open both ways, an open side whenever bounds extend past 0), or undefined when
 * valid. The wording is Nimbus's [R] (see README).
 */
export function stepAdjustmentsError(steps: readonly StepAdjustment[]): string | undefined {
  if (steps.length === 0) return 'StepAdjustments must contain at least one step adjustment'
  let openLow = 0
  let openHigh = 0
  for (const s of steps) {
    const lo = s.MetricIntervalLowerBound
    const hi = s.MetricIntervalUpperBound
    if (lo === undefined && hi === undefined) return 'Both MetricIntervalLowerBound and MetricIntervalUpperBound cannot be null'
    if (lo === undefined) openLow++
    if (hi === undefined) openHigh++
    if (lo !== undefined && hi !== undefined && lo >= hi) return 'MetricIntervalLowerBound must be less than MetricIntervalUpperBound'
  }
  if (openLow > 1) return 'Only one step adjustment may have an unspecified lower bound'
  if (openHigh > 1) return 'Only one step adjustment may have an unspecified upper bound'
  const sorted = [...steps].sort((a, b) => (a.MetricIntervalLowerBound ?? -Infinity) - (b.MetricIntervalLowerBound ?? -Infinity))
  for (let i = 1; i < sorted.length; i++) {
    const prevHi = sorted[i - 1]!.MetricIntervalUpperBound ?? Infinity
    const lo = sorted[i]!.MetricIntervalLowerBound ?? -Infinity
    if (prevHi > lo) return 'Step adjustments must not overlap'
    if (prevHi < lo) return 'Step adjustments must not have gaps between them'
  }
  const first = sorted[0]!.MetricIntervalLowerBound
  const last = sorted[sorted.length - 1]!.MetricIntervalUpperBound
  if (first !== undefined && first < 0) return 'A step adjustment with a negative lower bound requires a step adjustment with a null lower bound'
  if (last !== undefined && last > 0) return 'A step adjustment with a positive upper bound requires a step adjustment with a null upper bound'
  return undefined
}

/** A list of datapoints aggregated as the policy's MetricAggregationType says (Average when unset). */
export function aggregateValues(values: readonly number[], type: string | undefined): number | undefined {
  if (values.length === 0) return undefined
  if (type === 'Minimum') return Math.min(...values)
  if (type === 'Maximum') return Math.max(...values)
  return values.reduce((a, b) => a + b, 0) / values.length
}
