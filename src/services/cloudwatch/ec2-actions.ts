// An alarm's EC2 action (arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover) run through
// EC2's port on the instance the alarm watches (its InstanceId dimension), recorded in the history.
import type { Ec2InstanceAction, Ec2Port } from '../ec2/port.ts'
import type { Alarm } from './alarm.ts'

const actions: readonly string[] = ['stop', 'terminate', 'reboot', 'recover']

/** The instance an alarm watches: its InstanceId dimension (a math alarm's first metric that has one). */
export function watchedInstance(alarm: Alarm): string | undefined {
  const c = alarm.config
  if (c.kind !== 'metric') return undefined
  const dimensions = c.metrics === undefined ? c.dimensions : c.metrics.flatMap((q) => q.MetricStat?.Metric.Dimensions ?? [])
  return dimensions.find((d) => d.Name === 'InstanceId')?.Value
}

/** Runs the action: the instance acted on, or the error the history records. */
export function runEc2Action(ec2: Ec2Port, alarm: Alarm, arn: string): { instanceId: string } | { error: string } {
  const [, , , region, , action = ''] = arn.split(':')
  const failed = (error: string) => ({ error })
  if (!actions.includes(action)) return failed(`Invalid EC2 action ${action}`)
  if (region !== alarm.region) return failed(`The EC2 action's region ${region} is not the alarm's region ${alarm.region}`)
  const instanceId = watchedInstance(alarm)
  if (instanceId === undefined) return failed('The alarm is not monitoring an EC2 instance (no InstanceId dimension)')
  const instance = ec2.instance(instanceId)
  if (instance === undefined || instance.account !== alarm.account || instance.region !== alarm.region) {
    return failed(`The instance ID '${instanceId}' does not exist`)
  }
  if (!ec2.act(instanceId, action as Ec2InstanceAction)) return failed(`Instance ${instanceId} in state ${instance.state} cannot be ${action === 'stop' ? 'stopped' : `${action}ed`}`)
  return { instanceId }
}
