// Auto Scaling's state per account and region: groups, launch configurations and each group's
// scaling activities (newest last), read back from rows at creation.
import type { Clock } from '../../core/clock.ts'
import { AccountRegionStore } from '../../storage/account-region-store.ts'
import type { AutoScalingRows } from './autoscaling-rows.ts'
import { autoScalingErrors } from './errors.ts'
import type { Activity, Group, LaunchConfiguration } from './group.ts'
import { deterministicUuid } from './ids.ts'

/** AWS keeps six weeks of activities. */
const ACTIVITY_RETENTION_MS = 42 * 24 * 3600_000

export class RegionAutoScaling {
  readonly groups = new Map<string, Group>()
  readonly launchConfigurations = new Map<string, LaunchConfiguration>()
  /** Per group name, oldest first. */
  readonly activities = new Map<string, Activity[]>()
  readonly account: string
  readonly region: string
  constructor(account: string, region: string) {
    this.account = account
    this.region = region
  }
}

export class AutoScalingState {
  readonly regions = new AccountRegionStore((account, region) => new RegionAutoScaling(account, region))
  readonly clock: Clock
  readonly rows: AutoScalingRows | undefined
  private seq = 0

  constructor(clock: Clock, rows: AutoScalingRows | undefined) {
    this.clock = clock
    this.rows = rows
    if (rows !== undefined) this.load(rows)
  }

  private load(rows: AutoScalingRows): void {
    const { groups, launchConfigurations, activities } = rows.load()
    for (const g of groups) this.regions.get(g.account, g.region).groups.set(g.name, g)
    for (const c of launchConfigurations) this.regions.get(c.account, c.region).launchConfigurations.set(c.name, c)
    for (const row of activities.sort((a, b) => a.seq - b.seq)) {
      const { account, region, ...activity } = row
      this.activityList(this.regions.get(account, region), activity.groupName).push(activity)
      this.seq = Math.max(this.seq, activity.seq + 1)
    }
  }

  region(account: string, region: string): RegionAutoScaling {
    return this.regions.get(account, region)
  }

  /** The group, or AWS's ValidationError naming it. */
  requireGroup(region: RegionAutoScaling, name: string): Group {
    const group = findGroup(region, name)
    if (group === undefined) throw autoScalingErrors.groupNotFound(name)
    return group
  }

  save(group: Group): void {
    this.rows?.group(group)
  }

  /**
   * A new activity of the group, InProgress unless told. Activity ids are derived from a counter, not
   * random: the same scenario gives the same history (issue 18's determinism).
   */
  startActivity(group: Group, fields: Pick<Activity, 'description' | 'cause'> & Partial<Activity>): Activity {
    const seq = this.seq++
    const activity: Activity = {
      id: deterministicUuid(`${group.account}/${group.region}/activity/${seq}`), groupName: group.name, groupArn: group.arn, startTime: this.clock.now(),
      statusCode: 'InProgress', progress: 0, details: '{}', seq, ...fields,
    }
    const region = this.region(group.account, group.region)
    const list = this.activityList(region, group.name)
    list.push(activity)
    // Retention: six weeks, dropped as new ones arrive.
    while (list.length > 0 && list[0]!.startTime < activity.startTime - ACTIVITY_RETENTION_MS) this.rows?.activityGone(list.shift()!)
    this.rows?.activity(group.account, group.region, activity)
    return activity
  }

  /** An activity changed (ended, progressed). */
  saveActivity(group: Group, activity: Activity): void {
    this.rows?.activity(group.account, group.region, activity)
  }

  finishActivity(group: Group, activity: Activity, statusCode: Activity['statusCode'] = 'Successful', statusMessage?: string): void {
    activity.statusCode = statusCode
    activity.progress = 100
    activity.endTime = this.clock.now()
    if (statusMessage !== undefined) activity.statusMessage = statusMessage
    this.saveActivity(group, activity)
  }

  activityList(region: RegionAutoScaling, groupName: string): Activity[] {
    let list = region.activities.get(groupName)
    if (list === undefined) region.activities.set(groupName, (list = []))
    return list
  }

  /** A deleted group's activities go with it (AWS answers DescribeScalingActivities for it with ValidationError). */
  dropActivities(region: RegionAutoScaling, groupName: string): void {
    for (const a of region.activities.get(groupName) ?? []) this.rows?.activityGone(a)
    region.activities.delete(groupName)
  }

  reset(): void {
    this.regions.clear()
    this.rows?.clear()
    this.seq = 0
  }
}

/** A group by name or by ARN (AWS accepts either where it takes AutoScalingGroupName). */
export function findGroup(region: RegionAutoScaling, nameOrArn: string): Group | undefined {
  const byName = region.groups.get(nameOrArn)
  if (byName !== undefined || !nameOrArn.startsWith('arn:')) return byName
  return [...region.groups.values()].find((g) => g.arn === nameOrArn)
}
