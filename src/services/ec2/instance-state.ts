// The instance state machine on the clock, computed lazily from when the current state began:
// pending → running after the boot time, stopping → stopped, shutting-down → terminated, and a
// terminated instance visible for an hour, then gone. No timers: every read settles what is due.
import type { InstanceRecord, InstanceStateName } from './resources.ts'

export interface StateTimings {
  bootMs: number
  stopMs: number
  terminateMs: number
  /** How long a terminated instance stays visible. */
  terminatedVisibleMs: number
}

export const defaultTimings: StateTimings = { bootMs: 10_000, stopMs: 10_000, terminateMs: 10_000, terminatedVisibleMs: 3_600_000 }

export const stateCodes: Record<InstanceStateName, number> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
}

/**
 * Moves an instance through the transitions due by `now`. Returns true when it changed (the caller
 * writes its row). `gone` says a terminated instance has outlived its visibility.
 */
export function settle(instance: InstanceRecord, now: number, timings: StateTimings): boolean {
  let changed = false
  for (;;) {
    const due = next(instance.state, timings)
    if (due === undefined || now < instance.since + due.after) return changed
    instance.since += due.after
    instance.state = due.state
    // A Spot interruption has already given its Server.* reason.
    if (due.state === 'stopped' || due.state === 'terminated') instance.stateReason ??= 'Client.UserInitiatedShutdown'
    changed = true
  }
}

function next(state: InstanceStateName, t: StateTimings): { state: InstanceStateName; after: number } | undefined {
  switch (state) {
    case 'pending': return { state: 'running', after: t.bootMs }
    case 'stopping': return { state: 'stopped', after: t.stopMs }
    case 'shutting-down': return { state: 'terminated', after: t.terminateMs }
    default: return undefined
  }
}

/** When the clock next changes the instance (a transition, or a terminated one going): undefined for running and stopped. */
export function dueAt(instance: InstanceRecord, t: StateTimings): number | undefined {
  if (instance.state === 'terminated') return instance.since + t.terminatedVisibleMs
  const due = next(instance.state, t)
  return due === undefined ? undefined : instance.since + due.after
}

export const isGone = (instance: InstanceRecord, now: number, t: StateTimings): boolean =>
  instance.state === 'terminated' && now >= instance.since + t.terminatedVisibleMs

/** "User initiated (2026-12-05 00:01:02 GMT)", as AWS words a state transition reason ("Server initiated" for Spot interruptions). */
export function userInitiated(now: number, who: 'User' | 'Server' = 'User'): string {
  return `${who} initiated (${new Date(now).toISOString().slice(0, 19).replace('T', ' ')} GMT)`
}

/** StateReason messages by code. */
export const stateReasonMessages: Record<string, string> = {
  'Client.UserInitiatedShutdown': 'Client.UserInitiatedShutdown: User initiated shutdown',
  'Client.UserInitiatedHibernate': 'Client.UserInitiatedHibernate: User initiated hibernate',
  'Server.SpotInstanceTermination': 'Server.SpotInstanceTermination: Spot instance termination',
  'Server.SpotInstanceShutdown': 'Server.SpotInstanceShutdown: Spot instance shutdown',
}
