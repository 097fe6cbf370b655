// EC2's resources as stored: plain data (each one a persistence row as it is), tags inline.

export interface Tag {
  Key: string
  Value: string
}

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
  /** A Spot instance (InstanceLifecycle spot): the request it fulfils and its maximum price. */
  spot?: { requestId: string; maxPrice: string | undefined }
  /** When it ran and its hook values' changes, for its AWS/EC2 metrics (metric-log.ts); made on first use. */
  metricLog?: MetricLog
}

export interface AddressRecord extends Tagged {
  kind: 'eip'
  publicIp: string
  instanceId: string | undefined
  associationId: string | undefined
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
  /** 'creating' turns 'available' lazily once the create time has passed (ebs.ts); 'in-use' while attached. */
  state: 'creating' | 'available' | 'in-use'
  attachment: VolumeAttachment | undefined
}

export interface SnapshotRecord extends Tagged {
  kind: 'snapshot'
  volumeId: string
  volumeSize: number
  description: string
  startTime: number
  /** Copies name their source. */
  sourceSnapshotId?: string
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

export type Ec2Record = VpcRecord | SubnetRecord | GroupRecord | InstanceRecord | AddressRecord | KeyPairRecord | VolumeRecord | SnapshotRecord
  | PlacementGroupRecord | LaunchTemplateRecord
