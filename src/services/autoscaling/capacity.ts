// Changing a group's desired capacity, for every caller (SetDesiredCapacity, scaling policies,
// scheduled actions): the bounds, the cooldown, and the Cause sentence the next activity quotes.
import { autoScalingErrors } from './errors.ts'
import { causeTime } from './group-input.ts'
import { changeDesired, type Group } from './group.ts'
import type { Scaler } from './scaler.ts'
import type { AutoScalingState } from './store.ts'

export interface DesiredChange {
  /** What made the change, after "At <time> " and before " changing the desired capacity from …" (AWS's words). */
  reason: string
  /** SetDesiredCapacity's HonorCooldown: refuse while the group's cooldown runs. */
  honorCooldown?: boolean
  /** Starts the group's cooldown (simple scaling and SetDesiredCapacity do; target tracking and step scaling don't). */
  startsCooldown?: boolean
}

/**
 * Sets desired capacity (the caller has checked it against min and max) and lets the Scaler act.
 * The cooldown runs from the change (AWS starts it when the activity completes: README, By design).
 */
export function setDesired(state: AutoScalingState, scaler: Scaler, group: Group, desired: number, change: DesiredChange): void {
  const now = state.clock.now()
  if (change.honorCooldown === true && now < group.cooldownUntil) {
    const last = state.activityList(state.region(group.account, group.region), group.name).at(-1)
    throw autoScalingErrors.scalingActivityInProgress(last === undefined ? 'A scaling activity is in progress and blocks this action'
      : `Scaling activity ${last.id} is in progress and blocks this action`)
  }
  const before = group.desired
  if (change.startsCooldown === true) group.cooldownUntil = now + group.defaultCooldown * 1000
  applyDesired(state, scaler, group, desired, `At ${causeTime(now)} ${change.reason} changing the desired capacity from ${before} to ${desired}.`)
}

/** The new desired capacity (if it differs) with the Cause its activity quotes, saved, and the Scaler told. */
export function applyDesired(state: AutoScalingState, scaler: Scaler, group: Group, desired: number, cause: string): void {
  if (desired !== group.desired) changeDesired(group, desired, cause, state.clock.now())
  state.save(group)
  scaler.changed(group)
}
