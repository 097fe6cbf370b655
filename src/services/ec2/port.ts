// The narrow, typed port other services use to reach EC2 (CloudWatch reads instances' metrics and
// status checks and runs alarm actions through it). Types only.
import type { MetricSource } from '../cloudwatch/port.ts'

export interface Ec2InstanceView {
  account: string
  region: string
  instanceId: string
  instanceType: string
  imageId: string
  /** pending, running, stopping, stopped, shutting-down or terminated, settled on the clock. */
  state: string
  launchTime: number
  /** CPUUtilization (percent) the instance reports: 0 unless set through the simulation hook. */
  cpuPercent: number
  systemStatus: 'ok' | 'impaired'
  instanceStatus: 'ok' | 'impaired'
  tags: { Key: string; Value: string }[]
}

/** recover: Nimbus's simplification of AWS's move to new hardware — the status checks are reset to ok (README). */
export type Ec2InstanceAction = 'stop' | 'start' | 'terminate' | 'reboot' | 'recover'

export interface Ec2Port {
  /** One instance by id (any account or region), undefined when unknown or gone. */
  instance(instanceId: string): Ec2InstanceView | undefined
  /** Every visible instance of an account and region (all of them without arguments). */
  instances(account?: string, region?: string): Ec2InstanceView[]
  /** An alarm's EC2 action (arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover): false when the instance is unknown or can't. */
  act(instanceId: string, action: Ec2InstanceAction): boolean
  /** The AWS/EC2 metrics instances publish, computed from their change logs when CloudWatch reads them. */
  metrics: MetricSource
}
