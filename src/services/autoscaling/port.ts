// The narrow, typed port other services use to reach Auto Scaling (CloudWatch runs alarms' scaling
// policy actions through it). Types only.

/** What an alarm tells the policy it invokes. */
export interface AlarmTrigger {
  alarmName: string
  alarmArn: string
  /** The state whose actions run (AWS invokes an Auto Scaling action again each minute the alarm stays in it). */
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'
  /** The evaluation instant (epoch ms). */
  at: number
  threshold: number | undefined
  /** The alarm's datapoints in its evaluation window, oldest first, missing ones left out: computed only when asked. */
  values(): number[]
}

export type AlarmActionOutcome = { ok: true } | { ok: false; error: string }

export interface AutoScalingPort {
  /** An alarm action on arn:aws:autoscaling:…:scalingPolicy:…: runs the policy, or says why it could not (the alarm history records it). */
  runAlarmAction(policyArn: string, trigger: AlarmTrigger): AlarmActionOutcome
}
