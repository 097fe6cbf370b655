// Runs an alarm's actions for its new state through the delivery fabric (SNS topics, Lambda
// functions), puts "CloudWatch Alarm State Change" on the default event bus, and records each
// action in the alarm history. EC2 actions run through EC2's port, scaling policy actions through
// Auto Scaling's; Systems Manager actions are accepted but not run (README, Gaps).
import type { Fabric } from '../../fabric/fabric.ts'
import type { AutoScalingPort } from '../autoscaling/port.ts'
import type { Ec2Port } from '../ec2/port.ts'
import { noRetry } from '../../fabric/policy.ts'
import type { Alarm, AlarmState } from './alarm.ts'
import { lambdaEvent, snsNotification, stateChangeDetail } from './alarm-notifications.ts'
import { runEc2Action } from './ec2-actions.ts'

export interface ActionRecord {
  summary: string
  data: string
}

/** Auto Scaling's port and the alarm's current datapoints, for its scaling policy actions. */
export interface ScalingActions {
  port: Pick<AutoScalingPort, 'runAlarmAction'>
  values: () => number[]
  /** The evaluation instant the actions run at. */
  at: number
}

export function actionsFor(alarm: Alarm): string[] {
  const c = alarm.config
  return alarm.state.value === 'ALARM' ? c.alarmActions : alarm.state.value === 'OK' ? c.okActions : c.insufficientDataActions
}

export function runActions(fabric: Fabric, alarm: Alarm, old: AlarmState, id: string, ec2?: Ec2Port, scaling?: ScalingActions): ActionRecord[] {
  const records: ActionRecord[] = []
  if (alarm.config.actionsEnabled) {
    for (const arn of actionsFor(alarm)) records.push(runAction(fabric, alarm, old, arn, id, ec2, scaling))
  }
  // EventBridge receives every state change, whether or not actions are enabled.
  try {
    fabric.sendNow({
      owner: 'cloudwatch', source: alarm.arn, target: `arn:aws:events:${alarm.region}:${alarm.account}:event-bus/default`, id,
      payload: JSON.stringify(stateChangeDetail(alarm, old)), policy: noRetry,
      options: { source: 'aws.cloudwatch', detailType: 'CloudWatch Alarm State Change', resources: [alarm.arn],
        time: alarm.state.updatedAt, account: alarm.account, region: alarm.region },
    })
  } catch {
    // A bus that refuses the event changes nothing for the alarm.
  }
  return records
}

/** Whether an alarm's actions for its current state include a scaling policy (AWS repeats those each minute). */
export function hasScalingActions(alarm: Alarm): boolean {
  return alarm.config.actionsEnabled && actionsFor(alarm).some((arn) => arn.split(':')[2] === 'autoscaling')
}

/** Runs a scaling policy action: the record for the history. */
export function runScalingAction(alarm: Alarm, arn: string, scaling: ScalingActions): ActionRecord {
  const config = alarm.config
  const outcome = scaling.port.runAlarmAction(arn, {
    alarmName: config.name, alarmArn: alarm.arn, state: alarm.state.value, at: scaling.at,
    threshold: config.kind === 'metric' ? config.threshold : undefined, values: scaling.values,
  })
  const data = JSON.stringify({ actionState: outcome.ok ? 'Succeeded' : 'Failed', stateUpdateTimestamp: alarm.state.updatedAt,
    ...(outcome.ok ? { notificationResource: arn } : { error: outcome.error }) })
  return outcome.ok ? { summary: `Successfully executed action ${arn}`, data }
    : { summary: `Failed to execute action ${arn}. Received error: "${outcome.error}"`, data }
}

function runAction(fabric: Fabric, alarm: Alarm, old: AlarmState, arn: string, id: string, ec2: Ec2Port | undefined,
  scaling: ScalingActions | undefined): ActionRecord {
  const service = arn.split(':')[2]
  const data = (state: string, extra: Record<string, unknown>) =>
    JSON.stringify({ actionState: state, stateUpdateTimestamp: alarm.state.updatedAt, ...extra })
  try {
    if (service === 'sns') {
      const { subject, message } = snsNotification(alarm, old)
      fabric.sendNow({ owner: 'cloudwatch', source: alarm.arn, target: arn, id, payload: message, options: { subject }, policy: noRetry })
      return { summary: `Successfully executed action ${arn}`, data: data('Succeeded', { notificationResource: arn, publishedMessage: message }) }
    }
    if (service === 'lambda') {
      fabric.sendNow({ owner: 'cloudwatch', source: alarm.arn, target: arn, id, payload: lambdaEvent(alarm, old), policy: noRetry })
      return { summary: `Successfully executed action ${arn}`, data: data('Succeeded', { actionResource: arn }) }
    }
    if (service === 'autoscaling' && scaling !== undefined) return runScalingAction(alarm, arn, scaling)
    if (service === 'automate' && ec2 !== undefined) {
      const outcome = runEc2Action(ec2, alarm, arn)
      if ('error' in outcome) {
        return { summary: `Failed to execute action ${arn}. Received error: "${outcome.error}"`, data: data('Failed', { error: outcome.error }) }
      }
      return { summary: `Successfully executed action ${arn}`, data: data('Succeeded', { actionResource: arn, instanceId: outcome.instanceId }) }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { summary: `Failed to execute action ${arn}. Received error: "${message}"`, data: data('Failed', { error: message }) }
  }
  // Systems Manager: its service doesn't exist in Nimbus yet.
  return { summary: `Failed to execute action ${arn}. Received error: "Nimbus does not run this action yet"`,
    data: data('Failed', { error: 'not supported by Nimbus' }) }
}
