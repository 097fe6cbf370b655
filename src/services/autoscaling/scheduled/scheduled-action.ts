// A scheduled action as plain data (its own persistence row): the sizes it sets, one-off at StartTime
// or recurring by a cron Recurrence in a TimeZone between StartTime and EndTime; `next` is its timer as data.
import type { ScheduledUpdateGroupAction } from '../generated/types.ts'
import { nextOccurrence, parseCron } from './cron.ts'

export interface ScheduledActionRecord {
  account: string
  region: string
  group: string
  name: string
  arn: string
  startTime?: number
  endTime?: number
  recurrence?: string
  timeZone?: string
  min?: number
  max?: number
  desired?: number
  /** Epoch ms it next runs; undefined once it never will again. */
  next?: number
}

/** arn:aws:autoscaling:<region>:<account>:scheduledUpdateGroupAction:<uuid>:autoScalingGroupName/<group>:scheduledActionName/<name> */
export function scheduledActionArn(account: string, region: string, id: string, group: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${account}:scheduledUpdateGroupAction:${id}:autoScalingGroupName/${group}:scheduledActionName/${name}`
}

/**
 * When it runs next after `after`: a one-off action at its StartTime; a recurring one at StartTime
 * first when given (AWS: "performs the action at this time, and then … based on the recurrence"),
 * then at each occurrence from StartTime on, until EndTime.
 */
export function nextRun(a: ScheduledActionRecord, after: number, ranOnce: boolean): number | undefined {
  if (a.recurrence === undefined) return !ranOnce && a.startTime !== undefined && a.startTime > after ? a.startTime : undefined
  if (!ranOnce && a.startTime !== undefined && a.startTime > after) return a.startTime
  const cron = parseCron(a.recurrence)
  if (cron === undefined) return undefined
  const from = Math.max(after, (a.startTime ?? after + 1) - 1)
  const t = nextOccurrence(cron, from, a.timeZone ?? 'UTC')
  return t === undefined || (a.endTime !== undefined && t > a.endTime) ? undefined : t
}

export function scheduledActionOutput(a: ScheduledActionRecord): ScheduledUpdateGroupAction {
  // StartTime (and the deprecated Time) show when it next runs, as AWS lists a recurring action.
  const start = a.next ?? a.startTime
  return {
    AutoScalingGroupName: a.group, ScheduledActionName: a.name, ScheduledActionARN: a.arn,
    ...(start !== undefined && { Time: new Date(start), StartTime: new Date(start) }),
    ...(a.endTime !== undefined && { EndTime: new Date(a.endTime) }),
    ...(a.recurrence !== undefined && { Recurrence: a.recurrence }),
    ...(a.min !== undefined && { MinSize: a.min }),
    ...(a.max !== undefined && { MaxSize: a.max }),
    ...(a.desired !== undefined && { DesiredCapacity: a.desired }),
    ...(a.timeZone !== undefined && { TimeZone: a.timeZone }),
  }
}
