// EC2's resources as stored: plain data (each one a persistence row as it is), tags inline.
import type { NetworkRecord } from './network-resources.ts'
import type { Tag } from './tag.ts'

export type { Tag }

interface Tagged {
  id: string
  tags: Tag[]
}

export interface VpcRecord extends Tagged {
  kind: 'vpc'
  cidr: string
  isDefault: boolean
  tenancy: string
  associationId: string
}

export interface SubnetRecord extends Tagged {
  kind: 'subnet'
  vpcId: string
  cidr: string
  zone: string
  zoneId: string
  defaultForAz: boolean
  mapPublicIp: boolean
  associationId: string
}

/** One permission entry: a protocol and port range for one peer (a CIDR or a group). AWS groups them on output. */
export interface RuleRecord {
  ruleId: string
  protocol: string
  fromPort: number | undefined
  toPort: number | undefined
  cidr?: string
  cidrV6?: string
  groupId?: string
  description?: string
}

export interface GroupRecord extends Tagged {
  kind: 'sg'
  name: string
  description: string
  vpcId: string
  ingress: RuleRecord[]
  egress: RuleRecord[]
}

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated'

/** What an instance's AWS/EC2 metrics are made of (metric-log.ts keeps it). */
export interface MetricLog {
  /** Running intervals, oldest first; the last may be open (or start in the future: booting). */
  runs: { from: number; to?: number }[]
  /** The hook values from each `t` on, oldest first. */
  values: { t: number; cpu: number; system: 0 | 1; instance: 0 | 1; detailed: boolean }[]
}

export interface InstanceRecord extends Tagged {
  kind: 'instance'
  reservationId: string
  requesterAccount: string
  imageId: string
  type: string
  zone: string
  subnetId: string
  vpcId: string
  privateIp: string
  /** The auto-assigned public IP (none while stopped); an associated Elastic IP takes its place on output. */
  publicIp: string | undefined
  groupIds: string[]
  keyName: string | undefined
  userData: string | undefined
  launchIndex: number
  launchTime: number
  state: InstanceStateName
  /** When the current state began: the next one follows lazily from it (instance-state.ts). */
  since: number
  /** The reason a stop or termination gives (e.g. "User initiated (2026-12-05 00:01:02 GMT)"). */
  transitionReason: string
  stateReason: string | undefined
  disableApiTermination: boolean
  /** DisableApiStop (RunInstances, ModifyInstanceAttribute): StopInstances refuses it. */
  disableApiStop?: boolean
  /** InstanceInitiatedShutdownBehavior: stored and described ('stop' when absent). */
  shutdownBehavior?: 'stop' | 'terminate'
  /** Its CPU credit option as given (RunInstances, ModifyInstanceCreditSpecification) or kept across a resize; absent: its family's default. */
  cpuCredits?: 'standard' | 'unlimited'
  /** EnaSupport as ModifyInstanceAttribute set it (true when absent). */
  enaSupport?: boolean
  /** A Windows instance's administrator password, encrypted with its key pair (GetPasswordData), once made. */
  passwordData?: string
  /** Simulation hooks: the CPUUtilization it reports, its status checks. */
  cpuPercent: number
  systemStatus: 'ok' | 'impaired'
  instanceStatus: 'ok' | 'impaired'
  architecture: string
  platform: string | undefined
  clientToken: string | undefined
  ebsOptimized: boolean
  monitoring: boolean
  macAddress: string
  eniId: string
  attachmentId: string
  volumeId: string
  /** Its placement group (by name) and partition, where launched into one. */
  placementGroup?: string
  partitionNumber?: number
  /** The launch template it came from (its instances carry the aws:ec2launchtemplate:* tags). */
  launchTemplate?: { id: string; version: number }
  /** A Spot instance (InstanceLifecycle spot): the request it fulfils, its maximum price, its interruption notice. */
  spot?: SpotInstanceInfo
  /** The EC2 Fleet or Spot Fleet that launched it. */
  fleetId?: string
  /** IamInstanceProfile at launch: the profile and its role's name (a process-backed instance's IMDS credentials). */
  iamInstanceProfile?: { arn: string; id: string; roleName: string | undefined }
  /** MetadataOptions (what DescribeInstances shows and IMDS enforces); Nimbus's defaults when absent (metadata-options.ts). */
  metadataOptions?: { httpTokens: 'required' | 'optional'; httpEndpoint: 'enabled' | 'disabled'; instanceMetadataTags: 'enabled' | 'disabled'; hopLimit: number }
  /** When ModifyInstanceMetadataOptions last changed them ('pending' until applied); absent: the launch's. */
  metadataChangedAt?: number
  /** Its IAM instance profile association (iam-associations.ts): absent with a profile means the launch's, associated. */
  profileAssociation?: ProfileAssociation
  /** A process-backed instance's user data has run (once, at its first boot, as cloud-init does). */
  userDataRan?: boolean
  /** Its primary network interface's description and source/destination check (ModifyNetworkInterfaceAttribute). */
  eniDescription?: string
  sourceDestCheck?: boolean
  /** When it ran and its hook values' changes, for its AWS/EC2 metrics (metric-log.ts); made on first use. */
  metricLog?: MetricLog
  /** Its root device (the AMI's; '/dev/xvda' when absent: instances stored before it was kept). */
  rootDevice?: string
  /** The EBS volumes its launch attached (block-devices.ts), root first; absent: only the root volume `volumeId`. */
  devices?: LaunchDevice[]
  /** HibernationOptions.Configured at launch: StopInstances may hibernate it. */
  hibernation?: boolean
  /** When MonitorInstances/UnmonitorInstances last switched it: 'pending'/'disabling' until monitorSwitchMs later. */
  monitoringSince?: number
}

/** An instance's IAM instance profile association: `since` is when its state began (the next follows on the clock). */
export interface ProfileAssociation {
  id: string
  state: 'associating' | 'associated' | 'disassociating'
  since: number
}

/** A volume an instance's launch attached at a device. */
export interface LaunchDevice {
  device: string
  volumeId: string
  deleteOnTermination: boolean
}

/** One block device mapping of an image: an EBS volume (from a snapshot, or empty of a size) or a suppressed device. */
export interface ImageBlockDevice {
  deviceName: string
  snapshotId?: string
  volumeSize?: number
  volumeType?: string
  iops?: number
  throughput?: number
  deleteOnTermination: boolean
  encrypted: boolean
  kmsKeyId?: string
  /** An instance store volume (ephemeralN): kept and echoed, no EBS volume. */
  virtualName?: string
}

/** An AMI the account made (CreateImage, RegisterImage, CopyImage); the built-in catalog's are not records. */
export interface ImageRecord extends Tagged {
  kind: 'image'
  name: string
  description: string | undefined
  architecture: string
  platform: string | undefined
  rootDeviceName: string
  blockDevices: ImageBlockDevice[]
  createTime: number
  /** 'pending' until then (its snapshots complete), then 'available'; 'deregistered' once DeregisterImage ran (hidden). */
  availableAt: number
  deregistered: boolean
  sourceInstanceId?: string
  sourceImage?: { region: string; id: string }
  /** launchPermission: public (group all) and the accounts it is shared with. */
  isPublic: boolean
  launchUsers: string[]
  enaSupport: boolean
  bootMode?: string
}

/**
 * A Nimbus limit or account setting kept as a row: an account's vCPU quota (account, id 'vcpu-standard'),
 * a zone's On-Demand capacity pin (account '', id 'od/<zone>/<type>') or the account's instance metadata
 * defaults (id 'imds-defaults', in `settings`).
 */
export interface LimitRecord extends Tagged {
  kind: 'limit'
  value: number
  settings?: Record<string, string | number>
}

export interface AddressRecord extends Tagged {
  kind: 'eip'
  publicIp: string
  instanceId: string | undefined
  associationId: string | undefined
  /** Associated with a network interface rather than an instance (a NAT gateway's). */
  networkInterfaceId?: string
  privateIp?: string
}

export interface KeyPairRecord extends Tagged {
  kind: 'key'
  name: string
  keyType: 'rsa' | 'ed25519'
  fingerprint: string
  /** The public key in OpenSSH form ("ssh-rsa AAAA…"), as DescribeKeyPairs' IncludePublicKey shows it. */
  publicKey: string
  createTime: number
}

export interface VolumeAttachment {
  instanceId: string
  device: string
  attachTime: number
  deleteOnTermination: boolean
  /** AttachVolume's: 'attaching' until then (block-devices.ts); absent: attached at once (at launch). */
  attachedAt?: number
  /** DetachVolume's: 'detaching' until then, then gone and the volume available (ebs.ts settleVolume). */
  detachAt?: number
}

export interface VolumeRecord extends Tagged {
  kind: 'volume'
  zone: string
  size: number
  volumeType: string
  iops: number | undefined
  throughput: number | undefined
  snapshotId: string | undefined
  createTime: number
  /** Encrypted (and its KMS key) as asked: stored and echoed, nothing is encrypted. */
  encrypted?: boolean
  kmsKeyId?: string
  /** Its last ModifyVolume: the figures before and after, states on the clock from `startTime` (ebs.ts). */
  modification?: VolumeModificationRecord
  /** 'creating' turns 'available' lazily once the create time has passed (ebs.ts); 'in-use' while attached. */
  state: 'creating' | 'available' | 'in-use'
  attachment: VolumeAttachment | undefined
}

export interface VolumeFigures {
  size: number
  volumeType: string
  iops: number | undefined
  throughput: number | undefined
}

export interface VolumeModificationRecord {
  startTime: number
  endTime: number
  original: VolumeFigures
  target: VolumeFigures
}

export interface SnapshotRecord extends Tagged {
  kind: 'snapshot'
  volumeId: string
  volumeSize: number
  description: string
  startTime: number
  /** Copies name their source. */
  sourceSnapshotId?: string
  /** A snapshot of an encrypted volume (or an encrypted copy) is encrypted, with its key (stored, nothing is encrypted). */
  encrypted?: boolean
  kmsKeyId?: string
}

export interface PlacementGroupRecord extends Tagged {
  kind: 'pg'
  name: string
  strategy: 'cluster' | 'spread' | 'partition'
  partitionCount: number | undefined
  spreadLevel: string | undefined
}

/** One version of a launch template: its data kept as the client sent it (RequestLaunchTemplateData's members). */
export interface LaunchTemplateVersionRecord {
  number: number
  description: string | undefined
  createTime: number
  data: Record<string, unknown>
}

export interface LaunchTemplateRecord extends Tagged {
  kind: 'lt'
  name: string
  createTime: number
  createdBy: string
  defaultVersion: number
  latestVersion: number
  /** The highest version number ever given: numbers are not reused after a deletion. */
  lastNumber: number
  /** Versions still there (DeleteLaunchTemplateVersions leaves gaps), oldest first. */
  versions: LaunchTemplateVersionRecord[]
}

export interface SpotInstanceInfo {
  requestId: string
  /** Its maximum price per hour (default: the type's On-Demand price). */
  maxPrice: string | undefined
  interruptionBehavior: 'terminate' | 'stop' | 'hibernate'
  /** When the interruption notice was given (the action follows 2 minutes later; hibernation at once). */
  noticeAt?: number
  /** Why: the market's price rose above its maximum, or capacity (the hook). */
  noticeReason?: 'price' | 'capacity'
  /** When a rebalance recommendation was given. */
  rebalanceAt?: number
}

/** A pool's pinned Spot price/capacity (spot/market.ts), kept under account '' of its region. */
export interface SpotPoolRecord extends Tagged {
  kind: 'spotpool'
  /** `<zone>/<type>` */
  zone: string
  instanceType: string
  pins: { from: number; price?: number; capacity?: number }[]
}

export interface SpotRequestRecord extends Tagged {
  kind: 'sir'
  createTime: number
  /** The maximum price asked (undefined: the On-Demand price). */
  spotPrice: string | undefined
  requestType: 'one-time' | 'persistent'
  state: 'open' | 'active' | 'closed' | 'cancelled' | 'failed' | 'disabled'
  statusCode: string
  statusMessage: string
  statusTime: number
  /** The launch specification as given (RequestSpotLaunchSpecification members). */
  launch: Record<string, unknown>
  instanceId: string | undefined
  zone: string | undefined
  interruptionBehavior: 'terminate' | 'stop' | 'hibernate'
  validUntil: number | undefined
  /** Made by RunInstances' InstanceMarketOptions or a fleet (not listed as its own request there). */
  origin: 'request' | 'run-instances' | 'fleet'
}

/** One launch option of a fleet: a template's data or a launch specification, with its overrides. */
export interface FleetPool {
  instanceType: string
  zone: string
  subnetId: string | undefined
  weight: number
  priority: number | undefined
  maxPrice: string | undefined
  /** The RunInstances parameters this pool launches with (template data merged, overrides applied). */
  launch: Record<string, unknown>
  launchTemplate?: { id: string; version: number }
}

/** An EC2 Fleet (CreateFleet) or a Spot Fleet (RequestSpotFleet). */
export interface FleetRecord extends Tagged {
  kind: 'fleet'
  flavour: 'ec2' | 'spot'
  type: 'instant' | 'request' | 'maintain'
  createTime: number
  state: 'submitted' | 'active' | 'modifying' | 'deleted' | 'deleted_running' | 'deleted_terminating' | 'failed' | 'cancelled' | 'cancelled_running' | 'cancelled_terminating'
  activityStatus: 'error' | 'pending_fulfillment' | 'pending_termination' | 'fulfilled' | undefined
  targetCapacity: number
  onDemandTarget: number
  spotTarget: number
  defaultTargetType: 'spot' | 'on-demand'
  spotStrategy: string
  onDemandStrategy: string
  poolsToUse: number
  maxPrice: string | undefined
  pools: FleetPool[]
  /** The config as given, echoed by Describe (SpotFleetRequestConfig / CreateFleet's request). */
  config: Record<string, unknown>
  /** Its live instances; `rebalancing`: replaced after a rebalance recommendation (no longer counted). */
  instances: { id: string; pool: number; lifecycle: 'spot' | 'on-demand'; rebalancing?: boolean }[]
  /** Capacity rebalancing (MaintenanceStrategies): replace a Spot instance at its rebalance recommendation. */
  rebalance?: { strategy: 'launch' | 'launch-before-terminate'; terminationDelayMs: number }
  errors: { pool: number; lifecycle: 'spot' | 'on-demand'; code: string; message: string }[]
  /** A `request` fleet stops trying once it has reached its target. */
  fulfilledOnce?: boolean
  interruptionBehavior: 'terminate' | 'stop' | 'hibernate'
  /** Tags its instances get besides the launch's (TagSpecifications `instance`). */
  instanceTags: Tag[]
}

export type Ec2Record = VpcRecord | SubnetRecord | GroupRecord | InstanceRecord | AddressRecord | KeyPairRecord | VolumeRecord | SnapshotRecord
  | PlacementGroupRecord | LaunchTemplateRecord | SpotPoolRecord | SpotRequestRecord | FleetRecord | NetworkRecord | ImageRecord | LimitRecord
