// What the web console shows of Auto Scaling (services/console-view.ts): groups with their sizes, and
// a group's instances, activities (newest first, AWS's Description and Cause), suspended processes and
// its capacity over clock time (desired, from its remembered changes; instances, from its activities);
// actions run the service's own operations.
import { type ConsoleChart, type ConsoleDetail, type ConsoleDue, ConsoleError, type ConsoleItem, type ConsoleView, isoTime, numberParam, textParam, unknownAction }
  from '../console-view.ts'
import type { Operation, OperationContext } from '../service.ts'
import type { Activity, Group } from './group.ts'
import { groupView } from './group-view.ts'
import type { ScheduledActionRecord } from './scheduled/scheduled-action.ts'
import type { AutoScalingState } from './store.ts'

type Operations = Readonly<Record<string, Operation<Record<string, unknown>, unknown> | undefined>>

/** Activities a group's page lists (AWS's DescribeScalingActivities pages by 100 too). */
const shownActivities = 100

export function autoScalingConsole(state: AutoScalingState, operations: Operations, scheduledActions: () => ScheduledActionRecord[]): ConsoleView {
  const groups = () => [...state.regions.all()].flatMap((r) => [...r.groups.values()])
  const find = (id: string) => groups().find((g) => g.arn === id || g.name === id)
  return {
    list: (type) => (type === 'group' ? groups().map(item) : []),
    detail: (type, id) => {
      const group = type === 'group' ? find(id) : undefined
      return group === undefined ? undefined : detail(group, activitiesOf(state, group))
    },
    act: (type, id, action, params, ctx) => {
      const group = type === 'group' ? find(id) : undefined
      if (group === undefined) throw new ConsoleError('ResourceNotFound', `No Auto Scaling group ${id}.`, 404)
      const run = (name: string, input: Record<string, unknown>, context: OperationContext) => operations[name]!(input, context)
      const AutoScalingGroupName = group.name
      switch (action) {
        case 'set-desired': return run('SetDesiredCapacity', { AutoScalingGroupName, DesiredCapacity: numberParam(params, 'desired', group.desired, 0, 10_000) }, ctx)
        case 'execute-policy': return run('ExecutePolicy', { AutoScalingGroupName, PolicyName: textParam(params, 'policy') }, ctx)
        default: throw unknownAction(action)
      }
    },
    due: (limit) => dueNext(groups(), scheduledActions(), limit),
  }
}

/** What Auto Scaling has on the clock: scheduled actions' next runs, lifecycle-hook timeouts, launch retries. */
function dueNext(groups: Group[], actions: ScheduledActionRecord[], limit: number): ConsoleDue[] {
  const due: ConsoleDue[] = actions.filter((a) => a.next !== undefined)
    .map((a) => ({ at: a.next!, what: `scheduled action ${a.name} of ${a.group}` }))
  for (const g of groups) {
    for (const i of g.instances) {
      if (i.waitUntil !== undefined) due.push({ at: i.waitUntil, what: `lifecycle hook ${i.hookName ?? ''} of ${i.id} (${i.state}) times out` })
    }
    if (g.launchRetryAt !== undefined) due.push({ at: g.launchRetryAt, what: `${g.name} tries its launch again` })
  }
  return due.sort((a, b) => a.at - b.at).slice(0, limit)
}

function activitiesOf(state: AutoScalingState, group: Group): Activity[] {
  return state.regions.peek(group.account, group.region)?.activities.get(group.name) ?? []
}

function item(g: Group): ConsoleItem {
  return { id: g.arn, name: g.name, arn: g.arn, account: g.account, region: g.region,
    fields: { min: g.min, desired: g.desired, max: g.max, inService: g.instances.filter((i) => i.state === 'InService').length,
      instances: g.instances.length, zones: g.zones.join(', '), created: isoTime(g.createdTime) } }
}

function detail(g: Group, activities: Activity[]): ConsoleDetail {
  const newest = activities.slice(-shownActivities).reverse()
  return {
    item: item(g),
    sections: [
      { title: 'Instances', kind: 'table', data: { columns: [{ key: 'id', label: 'Instance' }, { key: 'state', label: 'Lifecycle state' },
        { key: 'health', label: 'Health' }, { key: 'zone', label: 'Zone' }, { key: 'type', label: 'Type' }, { key: 'protected', label: 'Scale-in protected' }],
      rows: g.instances.map((i) => ({ id: i.id, state: i.state, health: i.health, zone: i.zone, type: i.instanceType, protected: i.protectedFromScaleIn })) } },
      { title: 'Activities', kind: 'table', data: { columns: [{ key: 'start', label: 'Start' }, { key: 'status', label: 'Status' },
        { key: 'description', label: 'Description' }, { key: 'cause', label: 'Cause' }],
      rows: newest.map((a) => ({ start: isoTime(a.startTime), status: a.statusCode, description: a.description, cause: a.cause })) } },
      { title: 'Suspended processes', kind: 'kv', data: Object.fromEntries(g.suspended.map((p) => [p.ProcessName, p.SuspensionReason])) },
      { title: 'Group', kind: 'json', data: groupView(g) },
    ],
    links: g.instances.map((i) => ({ label: i.id, service: 'ec2', type: 'instance', id: i.id })),
    actions: [
      { name: 'set-desired', label: 'Set desired capacity', params: [{ key: 'desired', label: 'Desired capacity', kind: 'number' }] },
      { name: 'execute-policy', label: 'Execute a scaling policy', params: [{ key: 'policy', label: 'Policy name', kind: 'text' }] },
    ],
    charts: [capacityChart(g, activities)],
  }
}

/** Joining (launched, attached) counts +1; leaving (terminated, detached) −1; standby moves keep the instance in the group. */
function stepOf(description: string): number {
  return description.startsWith('Launching a new EC2 instance:') || description.startsWith('Attaching') ? 1
    : description.startsWith('Terminating') || description.startsWith('Detaching') ? -1 : 0
}

/**
 * Instances launched and not yet terminated over clock time, counted from the group's successful
 * launch, attach, termination and detach activities at their end times (a step line), beside its min and max.
 */
export function capacityChart(g: Group, activities: readonly Activity[]): ConsoleChart {
  const changes = activities.filter((a) => a.statusCode === 'Successful' && a.endTime !== undefined)
    .map((a) => [a.endTime!, stepOf(a.description)] as const)
    .filter(([, step]) => step !== 0)
    .sort((a, b) => a[0] - b[0])
  let count = 0
  const points: Array<[number, number]> = [[g.createdTime, 0]]
  for (const [at, step] of changes) {
    points.push([at, count])
    count = Math.max(0, count + step)
    points.push([at, count])
  }
  return { title: 'Capacity over clock time', series: [{ label: 'Desired', points: desiredPoints(g) }, { label: 'Instances', points }],
    thresholds: [{ label: 'Min', value: g.min }, { label: 'Max', value: g.max }] }
}

/** Desired capacity as a step line from the changes the group remembers (the last 500). */
function desiredPoints(g: Group): Array<[number, number]> {
  const points: Array<[number, number]> = []
  for (const [at, desired] of g.desiredHistory ?? []) {
    const last = points.at(-1)
    if (last !== undefined) points.push([at, last[1]])
    points.push([at, desired])
  }
  return points
}
