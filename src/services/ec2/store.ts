// EC2's state: per account and region, its VPCs, subnets, security groups, instances and Elastic
// IPs; each region's default VPC (172.31.0.0/16, one default subnet per zone) made on first use.
import type { Clock, Timer } from '../../core/clock.ts'
import type { Fabric } from '../../fabric/fabric.ts'
import { formatCidr, parseCidr } from './cidr.ts'
import { HeldAddresses } from './held-addresses.ts'
import type { Ec2Rows } from './ec2-rows.ts'
import { newId, seededId } from './ids.ts'
import { AttachedVolumes } from './attached-volumes.ts'
import { defaultTimings, dueAt, isGone, settle, type StateTimings } from './instance-state.ts'
import { zonesOf } from './regions.ts'
import { defaultMarket, SpotMarket, type MarketOptions } from './spot/market.ts'
import { addVpcDefaults, ensureVpcDefaults } from './vpc-defaults.ts'
import type { InternetGatewayRecord, NatGatewayRecord, NetworkAclRecord, NetworkInterfaceRecord, RouteTableRecord } from './network-resources.ts'
import type { AddressRecord, Ec2Record, FleetRecord, KeyPairRecord, LaunchTemplateRecord, SpotPoolRecord, SpotRequestRecord, PlacementGroupRecord, SnapshotRecord, VolumeRecord, GroupRecord, ImageRecord, LimitRecord, InstanceRecord, SubnetRecord, VpcRecord } from './resources.ts'

export class RegionState {
  readonly vpcs = new Map<string, VpcRecord>()
  readonly subnets = new Map<string, SubnetRecord>()
  readonly groups = new Map<string, GroupRecord>()
  readonly instances = new Map<string, InstanceRecord>()
  readonly addresses = new Map<string, AddressRecord>()
  readonly keyPairs = new Map<string, KeyPairRecord>()
  readonly volumes = new Map<string, VolumeRecord>()
  readonly snapshots = new Map<string, SnapshotRecord>()
  readonly placementGroups = new Map<string, PlacementGroupRecord>()
  readonly launchTemplates = new Map<string, LaunchTemplateRecord>()
  readonly spotPools = new Map<string, SpotPoolRecord>()
  readonly spotRequests = new Map<string, SpotRequestRecord>()
  readonly fleets = new Map<string, FleetRecord>()
  readonly routeTables = new Map<string, RouteTableRecord>()
  readonly internetGateways = new Map<string, InternetGatewayRecord>()
  readonly natGateways = new Map<string, NatGatewayRecord>()
  readonly networkAcls = new Map<string, NetworkAclRecord>()
  readonly networkInterfaces = new Map<string, NetworkInterfaceRecord>()
  readonly images = new Map<string, ImageRecord>()
  readonly limits = new Map<string, LimitRecord>()
  readonly state: Ec2State
  /** Volumes by the instance they are attached to (a termination releases them: root-volumes.ts). */
  readonly attachedVolumes = new AttachedVolumes()
  private networkChecked = false
  /** ClientToken → the first instance a RunInstances with it launched: a repeat answers that reservation. */
  readonly clientTokens = new Map<string, string>()
  /** The private addresses instances hold per subnet (a launch's is the lowest free one: launch.ts). */
  readonly heldAddresses = new HeldAddresses()
  /**
   * The instances whose state the clock can change (pending, stopping, shutting-down, terminated), kept
   * on every save and removal, and each instance's place in `instances` (its first save): what
   * settleChanging() visits, in the map's order, without walking the running and stopped ones.
   */
  private readonly changing = new Map<string, InstanceRecord>()
  private readonly placeOf = new Map<string, number>()
  private places = 0
  readonly account: string
  readonly region: string

  constructor(state: Ec2State, account: string, region: string) {
    this.state = state
    this.account = account
    this.region = region
  }

  get now(): number {
    return this.state.clock.now()
  }

  /** The EC2 state this region belongs to (images shared across accounts are looked up through it). */
  get owner(): Ec2State {
    return this.state
  }

  /** How long a launch or start takes to reach running. */
  get bootMs(): number {
    return this.state.timings.bootMs
  }

  /** A new id for what a launch makes (random, or from the seed Nimbus was given). */
  launchId(prefix: string): string {
    return this.state.launchIds(prefix)
  }

  /** Stores a resource (new or changed): in memory and, with a data dir, its row. */
  save(record: Ec2Record): void {
    if (record.kind === 'instance') this.track(record)
    this.mapOf(record).set(record.id, record)
    if (record.kind === 'volume') this.attachedVolumes.saved(record)
    if (record.kind === 'instance') {
      this.state.instanceIndex.set(record.id, this)
      this.heldAddresses.saved(record)
      this.indexToken(record)
      this.state.groupChanged(this.account, this.region, record)
      // Its AWS/EC2 series may have changed (state, hooks): CloudWatch re-plans the alarms reading them.
      if (this.state.onInstanceChanged !== undefined) {
        const group = record.tags.find((t) => t.Key === 'aws:autoscaling:groupName')?.Value
        this.state.onInstanceChanged(this.account, this.region, record.id,
          [{ Name: 'InstanceId', Value: record.id }, ...(group === undefined ? [] : [{ Name: 'AutoScalingGroupName', Value: group }])])
      }
      // A process-backed instance boots, or stops, its process and metadata service (processes/host.ts).
      this.state.processes?.saved(this, record)
    }
    this.state.rows?.put(this.account, this.region, record)
  }

  /** A resource read back from its row at start (nothing to write). */
  restore(record: Ec2Record): void {
    if (record.kind === 'instance') this.track(record)
    this.mapOf(record).set(record.id, record)
    if (record.kind === 'volume') this.attachedVolumes.saved(record)
    if (record.kind === 'instance') {
      this.state.instanceIndex.set(record.id, this)
      this.heldAddresses.saved(record)
      this.indexToken(record)
      this.state.groupChanged(this.account, this.region, record)
    }
  }

  private indexToken(record: InstanceRecord): void {
    const token = record.clientToken
    if (token !== undefined && token !== '' && !this.clientTokens.has(token)) this.clientTokens.set(token, record.id)
  }

  remove(record: Ec2Record): void {
    this.mapOf(record).delete(record.id)
    if (record.kind === 'volume') this.attachedVolumes.removed(record)
    if (record.kind === 'instance') {
      this.state.instanceIndex.delete(record.id)
      this.heldAddresses.released(record.id)
      if (record.clientToken !== undefined && this.clientTokens.get(record.clientToken) === record.id) this.clientTokens.delete(record.clientToken)
      this.changing.delete(record.id)
      this.placeOf.delete(record.id)
      this.state.groupChanged(this.account, this.region, record, true)
    }
    this.state.rows?.delete(this.account, this.region, record.id)
  }

  private mapOf(record: Ec2Record): Map<string, Ec2Record> {
    switch (record.kind) {
      case 'vpc': return this.vpcs as Map<string, Ec2Record>
      case 'subnet': return this.subnets as Map<string, Ec2Record>
      case 'sg': return this.groups as Map<string, Ec2Record>
      case 'instance': return this.instances as Map<string, Ec2Record>
      case 'eip': return this.addresses as Map<string, Ec2Record>
      case 'key': return this.keyPairs as Map<string, Ec2Record>
      case 'volume': return this.volumes as Map<string, Ec2Record>
      case 'snapshot': return this.snapshots as Map<string, Ec2Record>
      case 'pg': return this.placementGroups as Map<string, Ec2Record>
      case 'lt': return this.launchTemplates as Map<string, Ec2Record>
      case 'spotpool': return this.spotPools as Map<string, Ec2Record>
      case 'sir': return this.spotRequests as Map<string, Ec2Record>
      case 'fleet': return this.fleets as Map<string, Ec2Record>
      case 'rtb': return this.routeTables as Map<string, Ec2Record>
      case 'igw': return this.internetGateways as Map<string, Ec2Record>
      case 'nat': return this.natGateways as Map<string, Ec2Record>
      case 'acl': return this.networkAcls as Map<string, Ec2Record>
      case 'eni': return this.networkInterfaces as Map<string, Ec2Record>
      case 'image': return this.images as Map<string, Ec2Record>
      case 'limit': return this.limits as Map<string, Ec2Record>
    }
  }

  /** An instance began to stop or shut down: Spot requests and maintained fleets hear of it. */
  ended(instance: InstanceRecord): void {
    this.state.instanceEnded?.(this, instance)
  }

  /** Settles an instance's state on the clock; undefined once a terminated one has expired (and drops it). */
  instance(id: string): InstanceRecord | undefined {
    const instance = this.instances.get(id)
    if (instance === undefined) return undefined
    const now = this.now
    if (settle(instance, now, this.state.timings)) this.save(instance)
    if (isGone(instance, now, this.state.timings)) {
      this.remove(instance)
      return undefined
    }
    return instance
  }

  /**
   * Settles every instance whose state the clock can change (pending, stopping, shutting-down,
   * terminated), in the order allInstances() does, without visiting the running and stopped ones
   * (nothing of theirs can fall due): what a launch needs to see freed addresses.
   */
  settleChanging(): void {
    // Only those with something due: settling the others changes nothing. What a settle's save sets
    // off cannot make another instance due at this instant (a stop, start, launch or termination
    // begins a state now, due only later), so the due ones are known before the first is settled.
    const now = this.now
    const due: InstanceRecord[] = []
    for (const i of this.changing.values()) if (now >= dueAt(i, this.state.timings)!) due.push(i)
    if (due.length > 1) due.sort((a, b) => this.placeOf.get(a.id)! - this.placeOf.get(b.id)!)
    for (const i of due) this.instance(i.id)
  }

  /** Before an instance is stored: its place (first save) and whether the clock can change it. */
  private track(i: InstanceRecord): void {
    if (!this.instances.has(i.id)) this.placeOf.set(i.id, this.places++)
    if (i.state === 'running' || i.state === 'stopped') this.changing.delete(i.id)
    else this.changing.set(i.id, i)
  }

  /** Every visible instance, settled. */
  allInstances(): InstanceRecord[] {
    const out: InstanceRecord[] = []
    for (const id of [...this.instances.keys()]) {
      const instance = this.instance(id)
      if (instance !== undefined) out.push(instance)
    }
    return out
  }

  defaultVpc(): VpcRecord | undefined {
    for (const vpc of this.vpcs.values()) if (vpc.isDefault) return vpc
    return undefined
  }

  defaultGroup(vpcId: string): GroupRecord | undefined {
    for (const group of this.groups.values()) if (group.vpcId === vpcId && group.name === 'default') return group
    return undefined
  }

  /** A new VPC with its default security group (as CreateVpc makes it). */
  createVpc(cidr: string, isDefault: boolean, tenancy = 'default', seed?: string): VpcRecord {
    const id = seed === undefined ? newId('vpc') : seededId('vpc', seed)
    const vpc: VpcRecord = { kind: 'vpc', id, cidr, isDefault, tenancy, tags: [], associationId: seed === undefined ? newId('vpc-cidr-assoc') : seededId('vpc-cidr-assoc', seed) }
    this.save(vpc)
    const group: GroupRecord = {
      kind: 'sg', id: seed === undefined ? newId('sg') : seededId('sg', seed), name: 'default', description: 'default VPC security group',
      vpcId: id, tags: [],
      // The default group lets its own members in and everything out.
      ingress: [{ ruleId: newId('sgr'), protocol: '-1', fromPort: undefined, toPort: undefined, groupId: '' }],
      egress: [{ ruleId: newId('sgr'), protocol: '-1', fromPort: undefined, toPort: undefined, cidr: '0.0.0.0/0' }],
    }
    group.ingress[0]!.groupId = group.id
    this.save(group)
    // Its main route table (the local route) and default network ACL; the default VPC's IGW too.
    addVpcDefaults(this, vpc, seed)
    return vpc
  }

  /** The default VPC and its subnets, the first time the region is used (not when restored from rows). */
  ensureDefaults(): void {
    if (this.defaultVpc() !== undefined) {
      // State saved before VPCs had route tables and ACLs gets them once, at its first use.
      if (!this.networkChecked) {
        this.networkChecked = true
        ensureVpcDefaults(this)
      }
      return
    }
    this.networkChecked = true
    const seed = `${this.account}/${this.region}/default`
    const vpc = this.createVpc('172.31.0.0/16', true, 'default', seed)
    // AWS's default subnets: a /20 per zone, 172.31.0.0/20, 172.31.16.0/20, …
    zonesOf(this.region).forEach((zone, i) => {
      const subnet: SubnetRecord = {
        kind: 'subnet', id: seededId('subnet', `${seed}/${zone.name}`), vpcId: vpc.id,
        cidr: formatCidr({ ...parseCidr('172.31.0.0/20')!, base: parseCidr('172.31.0.0/20')!.base + i * 4096 }),
        zone: zone.name, zoneId: zone.id, defaultForAz: true, mapPublicIp: true, tags: [], associationId: '',
      }
      this.save(subnet)
    })
  }
}

export class Ec2State {
  readonly clock: Clock
  readonly rows: Ec2Rows | undefined
  readonly timings: StateTimings
  /** Told when an instance is saved (the registry points it at CloudWatch's port once CloudWatch is loaded). */
  onInstanceChanged: ((account: string, region: string, instanceId: string, dimensions: { Name: string; Value: string }[]) => void) | undefined
  /** Process-backed instances (processes/host.ts): told of every instance save. */
  processes: { saved(region: RegionState, record: InstanceRecord): void
    describe(instanceId: string): { metadataEndpoint: string | undefined; output: string[] } | undefined } | undefined
  /** IAM's instance profiles by name or ARN (RunInstances' IamInstanceProfile); undefined without IAM. */
  instanceProfiles: ((account: string, nameOrArn: string) => { arn: string; id: string; roleName: string | undefined } | undefined) | undefined
  /** The running On-Demand Standard vCPU quota of every account where no hook set one (capacity.ts); undefined: none. */
  vcpuLimit: number | undefined
  /** Where launches take their ids: random, or seededIds() when Nimbus has a seed. */
  launchIds: (prefix: string) => string = newId
  /**
   * Instances by their Auto Scaling group (tag aws:autoscaling:groupName), per `<account>/<region>`,
   * each group with a revision bumped when one of its instances is saved: the AutoScalingGroupName
   * aggregates are rebuilt only then.
   */
  readonly autoScalingGroups = new Map<string, Map<string, { members: Map<string, InstanceRecord>; revision: number }>>()

  groupChanged(account: string, region: string, record: InstanceRecord, removed = false): void {
    const group = record.tags.find((t) => t.Key === 'aws:autoscaling:groupName')?.Value
    if (group === undefined) return
    const key = `${account}/${region}`
    const groups = this.autoScalingGroups.get(key) ?? this.autoScalingGroups.set(key, new Map()).get(key)!
    const entry = groups.get(group) ?? groups.set(group, { members: new Map(), revision: 0 }).get(group)!
    if (removed) entry.members.delete(record.id)
    else entry.members.set(record.id, record)
    entry.revision++
  }
  private readonly regions = new Map<string, RegionState>()
  /** Instance id → its region: the simulation hooks and the port find an instance by id alone. */
  readonly instanceIndex = new Map<string, RegionState>()
  /** Spot events ("EC2 Spot Instance Interruption Warning", rebalance recommendations) go to EventBridge through it. */
  fabric: Fabric | undefined
  readonly marketOptions: MarketOptions
  private readonly markets = new Map<string, SpotMarket>()
  /** Clock timers by key (Spot watches and notices, open requests, fleets): cancelled on reset. */
  readonly timers = new Map<string, Timer>()
  /** Told when an instance starts shutting down or stopping (Spot requests and maintained fleets react). */
  instanceEnded: ((region: RegionState, instance: InstanceRecord) => void) | undefined
  /** Told of a Spot rebalance recommendation (fleets with capacity rebalancing replace the instance). */
  spotRebalanced: ((region: RegionState, instance: InstanceRecord) => void) | undefined

  constructor(clock: Clock, rows: Ec2Rows | undefined, timings: Partial<StateTimings> = {}, market: Partial<MarketOptions> = {}) {
    this.clock = clock
    this.rows = rows
    this.timings = { ...defaultTimings, ...timings }
    this.marketOptions = { ...defaultMarket, ...market }
    for (const { account, region, record } of rows?.load() ?? []) this.regionRaw(account, region).restore(record)
  }

  /** A region's Spot market (pins are kept under account '' of the region: the market is the region's, not an account's). */
  market(region: string): SpotMarket {
    let market = this.markets.get(region)
    if (market === undefined) {
      const pools = this.regionRaw('', region).spotPools
      market = new SpotMarket(this.marketOptions, (zone, type) => pools.get(`${zone}/${type}`)?.pins ?? [])
      this.markets.set(region, market)
    }
    return market
  }

  /** The market's own records (pins) of a region. */
  marketRegion(region: string): RegionState {
    return this.regionRaw('', region)
  }

  /** Sets (replacing) the timer under `key`. */
  setTimer(key: string, at: number, fn: () => void): void {
    this.timers.get(key)?.cancel()
    this.timers.set(key, this.clock.at(at, () => {
      this.timers.delete(key)
      fn()
    }))
  }

  /** The region's state, with its default VPC made on first use. */
  region(account: string, region: string): RegionState {
    const state = this.regionRaw(account, region)
    state.ensureDefaults()
    return state
  }

  private regionRaw(account: string, region: string): RegionState {
    const key = `${account}:${region}`
    let state = this.regions.get(key)
    if (state === undefined) {
      state = new RegionState(this, account, region)
      this.regions.set(key, state)
    }
    return state
  }

  /** Every account's region state ('' is the Spot market's own). */
  allRegions(): RegionState[] {
    return [...this.regions.values()]
  }

  findInstance(id: string): { region: RegionState; instance: InstanceRecord } | undefined {
    const region = this.instanceIndex.get(id)
    const instance = region?.instance(id)
    return region === undefined || instance === undefined ? undefined : { region, instance }
  }

  reset(): void {
    for (const timer of this.timers.values()) timer.cancel()
    this.timers.clear()
    this.markets.clear()
    this.regions.clear()
    this.instanceIndex.clear()
    this.rows?.clear()
  }
}
