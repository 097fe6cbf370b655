// The domain records of Auto Scaling: groups, their instances, launch configurations and scaling
// activities. Plain JSON data on purpose: a record is its own persistence row (autoscaling-rows.ts).

/** An instance's place in the group's lifecycle, as AWS spells LifecycleState. */
export type LifecycleState =
  | 'Pending' | 'Pending:Wait' | 'Pending:Proceed' | 'InService' | 'Standby' | 'Terminating' | 'Terminating:Wait'
  | 'Terminating:Proceed' | 'Terminated' | 'Detaching' | 'Detached' | 'EnteringStandby'

export interface LaunchTemplateRef {
  LaunchTemplateId?: string
  LaunchTemplateName?: string
  Version?: string
}

export interface GroupInstance {
  id: string
  zone: string
  subnetId?: string
  instanceType: string
  imageId?: string
  state: LifecycleState
  health: 'Healthy' | 'Unhealthy'
  protectedFromScaleIn: boolean
  /** Epoch ms it joined the group (launched or attached): MaxInstanceLifetime and OldestInstance count from it. */
  launchTime: number
  /** Epoch ms it went InService: the health check grace period counts from it. */
  inServiceAt?: number
  /** Spot instances of a mixed instances policy (On-Demand otherwise). */
  market?: 'spot'
  /** A Spot rebalance recommendation arrived and CapacityRebalance is on: replaced first, then retired. */
  atRisk?: boolean
  /** Why a health check found it unhealthy ("an EC2 health check indicating it has been terminated or stopped"). */
  unhealthyReason?: string
  /** Lifecycle hooks already completed for the current transition (hooks run one after another, by name). */
  hooksDone?: string[]
  /** Why it is leaving (the activity's Cause) once chosen for termination. */
  leaving?: 'scale-in' | 'unhealthy' | 'user' | 'lifetime' | 'rebalance' | 'detach' | 'standby' | 'refresh'
  /** Where it came from: OldestLaunchConfiguration / OldestLaunchTemplate compare these with the group's. */
  launchConfigurationName?: string
  launchTemplate?: { id: string; name: string; version: string }
  /** Epoch ms a lifecycle hook wait (Pending:Wait / Terminating:Wait) times out; a timer as data. */
  waitUntil?: number
  /** The hook being waited on, its action token, and its result so far. */
  hookName?: string
  actionToken?: string
  /** Epoch ms the hook wait began: the heartbeat can't extend it past 100 × timeout or 48 h. */
  waitStarted?: number
  /** Whether it leaves the group with desired capacity lowered (TerminateInstanceInAutoScalingGroup ShouldDecrement…). */
  decrement?: boolean
  /** What the activity that moves it on says (terminating and replacing). */
  activityId?: string
  /** It came out of the group's warm pool: its launching hooks' messages say Origin WarmPool. */
  fromWarmPool?: boolean
}

/** A warm pool instance's LifecycleState (warm-pool.ts). */
export type WarmState = 'Warmed:Pending' | 'Warmed:Pending:Wait' | 'Warmed:Pending:Proceed' | 'Warmed:Stopped' | 'Warmed:Running' | 'Warmed:Hibernated' | 'Warmed:Terminating' | 'Warmed:Terminated'

export interface WarmInstance extends Omit<GroupInstance, 'state'> {
  state: WarmState
}

/** A group's warm pool: PutWarmPool's configuration and the instances in it. */
export interface WarmPool {
  /** -1 or absent: the group's MaxSize. */
  maxGroupPreparedCapacity?: number
  minSize: number
  poolState: 'Stopped' | 'Running' | 'Hibernated'
  reuseOnScaleIn: boolean
  /** DeleteWarmPool: the pool empties, then goes. */
  status?: 'PendingDelete'
  instances: WarmInstance[]
}

/** One entry of a group's AWS/AutoScaling metric log (group-metrics.ts): from `t` on, the enabled metrics' values (a metric absent: not published). */
export interface GroupMetricsEntry {
  t: number
  v: Record<string, number>
}

export interface SuspendedProcess {
  ProcessName: string
  SuspensionReason: string
}

export interface GroupTag {
  Key: string
  Value: string
  PropagateAtLaunch: boolean
}

export interface NotificationConfig {
  topicArn: string
  types: string[]
}

export interface LifecycleHook {
  name: string
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING'
  heartbeatTimeout: number
  defaultResult: 'CONTINUE' | 'ABANDON'
  notificationTargetArn?: string
  roleArn?: string
  notificationMetadata?: string
  globalTimeout: number
}

export interface Group {
  account: string
  region: string
  name: string
  arn: string
  createdTime: number
  launchConfigurationName?: string
  launchTemplate?: LaunchTemplateRef
  mixedInstancesPolicy?: unknown
  min: number
  max: number
  desired: number
  defaultCooldown: number
  defaultInstanceWarmup?: number
  zones: string[]
  /** Subnet ids (VPCZoneIdentifier) and the zone of each. */
  subnets: { id: string; zone: string }[]
  healthCheckType: string
  healthCheckGracePeriod: number
  terminationPolicies: string[]
  newInstancesProtectedFromScaleIn: boolean
  maxInstanceLifetime?: number
  capacityRebalance: boolean
  placementGroup?: string
  serviceLinkedRoleArn: string
  tags: GroupTag[]
  suspended: SuspendedProcess[]
  enabledMetrics: { Metric: string; Granularity: string }[]
  instances: GroupInstance[]
  notifications: NotificationConfig[]
  hooks: LifecycleHook[]
  /** 'Delete in progress' while a forced delete terminates its instances. */
  status?: string
  /** Epoch ms the group's cooldown (after the last simple-scaling or SetDesiredCapacity activity) ends. */
  cooldownUntil: number
  /** Epoch ms a launch may next be tried after a failure (AWS's backoff), and how many failed in a row. */
  launchRetryAt?: number
  launchFailures?: number
  /** An AZRebalance launch is in flight: the surplus it makes is then terminated from the fullest zone. */
  rebalancing?: boolean
  /** Instance refreshes, newest first (AWS lists them so); at most one is active. */
  refreshes?: InstanceRefreshRecord[]
  /** Why desired capacity last changed, in AWS's Cause wording (the next launch's or termination's activity quotes it). */
  lastCause?: string
  /** The enabled AWS/AutoScaling metrics' values at each change, oldest first (group-metrics.ts). */
  metricsLog?: GroupMetricsEntry[]
  /** [clock ms, desired capacity] at each change, newest last (the console charts it); the last 500 kept. */
  desiredHistory?: Array<[number, number]>
  /** PutWarmPool: the pool's configuration and instances (warm-pool.ts). */
  warmPool?: WarmPool
}

/** Changes of desired capacity a group remembers for its chart. */
const desiredHistoryLength = 500

/** Sets desired capacity with AWS's Cause wording for it, remembering the change (clock ms `at`) for the console's chart. */
export function changeDesired(group: Group, desired: number, cause: string, at: number): void {
  group.lastCause = cause
  setDesiredTo(group, desired, at)
}

/** Moves desired capacity by one instance leaving or joining (detach, standby, attach; their activity says why). */
export function shiftDesired(group: Group, by: 1 | -1, at: number): void {
  setDesiredTo(group, group.desired + by, at)
}

function setDesiredTo(group: Group, desired: number, at: number): void {
  group.desired = desired
  const history = (group.desiredHistory ??= [])
  history.push([at, desired])
  if (history.length > desiredHistoryLength) history.splice(0, history.length - desiredHistoryLength)
}

/** The launch source a group had (kept by an instance refresh for its rollback). */
export interface LaunchSource {
  launchConfigurationName?: string
  launchTemplate?: LaunchTemplateRef
  mixedInstancesPolicy?: unknown
}

export interface InstanceRefreshRecord {
  id: string
  status: 'Pending' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelling' | 'Cancelled' | 'RollbackInProgress' | 'RollbackFailed'
    | 'RollbackSuccessful' | 'Baking'
  statusReason?: string
  startTime: number
  endTime?: number
  minHealthyPercentage: number
  maxHealthyPercentage: number
  /** Seconds a new instance warms up before it counts as healthy. */
  warmup: number
  checkpoints: number[]
  checkpointDelay: number
  skipMatching: boolean
  autoRollback: boolean
  scaleInProtected: string
  standby: string
  /** The request's Preferences and DesiredConfiguration, echoed by DescribeInstanceRefreshes. */
  preferences: Record<string, unknown>
  desiredConfiguration?: Record<string, unknown>
  /** Instances still to replace, and how many there were. */
  toReplace: string[]
  total: number
  percentageComplete?: number
  /** New instances a launch-first refresh (MaxHealthyPercentage > 100) is waiting on. */
  launched: string[]
  checkpointUntil?: number
  checkpointsReached: number[]
  previous?: LaunchSource
  rollback?: { reason: string; startTime: number; total: number }
}

export interface LaunchConfiguration {
  account: string
  region: string
  name: string
  arn: string
  createdTime: number
  imageId: string
  instanceType: string
  keyName?: string
  securityGroups: string[]
  userData?: string
  instanceMonitoring: boolean
  spotPrice?: string
  iamInstanceProfile?: string
  ebsOptimized: boolean
  associatePublicIpAddress?: boolean
  blockDeviceMappings?: unknown[]
  metadataOptions?: unknown
  placementTenancy?: string
}

export interface Activity {
  id: string
  groupName: string
  groupArn: string
  description: string
  cause: string
  startTime: number
  endTime?: number
  statusCode: 'PreInService' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelled' | 'WaitingForInstanceId' | 'WaitingForSpotInstanceRequestId'
    | 'WaitingForSpotInstanceId' | 'WaitingForInstanceWarmup' | 'MidLifecycleAction' | 'WaitingForELBConnectionDraining'
  statusMessage?: string
  progress: number
  details: string
  /** Order of creation (ties at one instant): DescribeScalingActivities lists newest first. */
  seq: number
}

/** AWS's processes, as SuspendProcesses names them. */
export const processNames = ['Launch', 'Terminate', 'AddToLoadBalancer', 'AlarmNotification', 'AZRebalance', 'HealthCheck',
  'InstanceRefresh', 'ReplaceUnhealthy', 'ScheduledActions'] as const

export function isSuspended(group: Group, process: string): boolean {
  return group.suspended.some((p) => p.ProcessName === process)
}

/** Instances that count toward capacity: everything not on its way out nor in Standby. */
export function countsTowardCapacity(i: GroupInstance): boolean {
  return i.state === 'Pending' || i.state === 'Pending:Wait' || i.state === 'Pending:Proceed' || i.state === 'InService'
}
