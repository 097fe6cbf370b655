// The narrow, typed port other services use to reach EC2 (CloudWatch reads instances' metrics and
// status checks and runs alarm actions through it; Auto Scaling resolves launch templates and
// launches instances through it). Types only.
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

/** What a launch is made of: a launch template version's data, or a launch configuration's. */
export interface Ec2LaunchData {
  imageId?: string
  instanceType?: string
  keyName?: string
  securityGroupIds?: string[]
  /** Base64, as RunInstances takes it. */
  userData?: string
  /** The instances' tags; aws: keys (aws:autoscaling:groupName) are allowed here, as AWS sets them itself. */
  tags?: { Key: string; Value: string }[]
  /** A Spot launch (InstanceMarketOptions spot) and its maximum price (default: the On-Demand price). */
  spot?: { maxPrice?: string }
  monitoring?: boolean
  disableApiTermination?: boolean
  ebsOptimized?: boolean
  /** IamInstanceProfile and MetadataOptions as RunInstances takes them (a process-backed instance's IMDS serves them). */
  iamInstanceProfile?: { Arn?: string; Name?: string }
  metadataOptions?: { HttpTokens?: string; HttpEndpoint?: string; InstanceMetadataTags?: string; HttpPutResponseHopLimit?: number }
  /** The template's BlockDeviceMappings (RunInstances' shape): EBS volumes made per instance at launch. */
  blockDeviceMappings?: unknown[]
  /** The template version it came from: the instances get the aws:ec2launchtemplate:id/version tags. */
  launchTemplate?: { id: string; version: number }
}

/** A Spot signal as Auto Scaling hears it (CapacityRebalance): a rebalance recommendation or an interruption notice. */
export interface Ec2SpotSignal {
  kind: 'rebalance' | 'interruption'
  account: string
  region: string
  instanceId: string
  at: number
  /** What the interruption will do (2 minutes after the notice; hibernation at once). */
  action: 'terminate' | 'stop' | 'hibernate'
}

export interface Ec2Port {
  /** One instance by id (any account or region), undefined when unknown or gone. */
  instance(instanceId: string): Ec2InstanceView | undefined
  /** Every visible instance of an account and region (all of them without arguments). */
  instances(account?: string, region?: string): Ec2InstanceView[]
  /** An alarm's EC2 action (arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover): false when the instance is unknown or can't. */
  act(instanceId: string, action: Ec2InstanceAction): boolean
  /** The launch parameters a template version resolves to (Version: a number, '$Latest' or '$Default' — default '$Default'). */
  launchTemplateData(account: string, region: string, spec: { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string }):
    { ok: true; id: string; name: string; version: number; data: Ec2LaunchData } | { ok: false; code: string; message: string }
  /** Launches count instances (the way RunInstances does, tags applied), or says why not (InsufficientInstanceCapacity, InstanceLimitExceeded, …). */
  launch(account: string, region: string, data: Ec2LaunchData, count: number, placement: { subnetId?: string; availabilityZone?: string }):
    { ok: true; instanceIds: string[] } | { ok: false; code: string; message: string }
  /** A subnet's zone and VPC (Auto Scaling's VPCZoneIdentifier), undefined when unknown. */
  subnet(account: string, region: string, subnetId: string): { subnetId: string; availabilityZone: string; vpcId: string } | undefined
  /** The Availability Zone names of a region. */
  zones(region: string): string[]
  /** Hears every Spot rebalance recommendation and interruption notice (after EventBridge has its event). */
  onSpotSignal(listener: (signal: Ec2SpotSignal) => void): void
  /** A pool's Spot price per hour now (the simulated market). */
  spotPrice(region: string, availabilityZone: string, instanceType: string): number
  /**
   * How many Spot instances to launch in each pool (same order) so that their weights reach `units`,
   * by an allocation strategy over the market now (Auto Scaling's mixed instances policy): pools above
   * their maximum price (default On-Demand) or pinned full get none.
   */
  spotAllocation(region: string, pools: { instanceType: string; availabilityZone: string; weight?: number; priority?: number; maxPrice?: string }[],
    units: number, strategy: 'lowest-price' | 'capacity-optimized' | 'capacity-optimized-prioritized' | 'price-capacity-optimized', poolsToUse?: number): number[]
  /** The AWS/EC2 metrics instances publish, computed from their change logs when CloudWatch reads them. */
  metrics: MetricSource
}
