// Launching instances: what RunInstances does once its input is complete (a launch template
// already merged in), shared by RunInstances, the port's launch (Auto Scaling), Spot requests and fleets.
import { instanceProfileOf } from './processes/launch-options.ts'
import { launchOptions, pick } from './metadata-options.ts'
import { launchCredits } from './credit-specification.ts'
import { instanceTypeSpec, knownInstanceType } from './catalog.ts'
import { ec2Errors } from './errors.ts'
import type { RunInstancesRequest } from './generated/types.ts'
import { allocatePrivateIps, chooseGroups, chooseSubnet, newPublicIp } from './launch.ts'
import { logRunStart } from './metric-log.ts'
import { applyTags, specTags } from './operations/common.ts'
import { keyPairNamed } from './operations/key-pairs.ts'
import { placeInGroup } from './operations/placement-groups.ts'
import type { InstanceRecord, Tag } from './resources.ts'
import { launchImage } from './amis.ts'
import { attachLaunchVolumes, planVolumes } from './block-devices.ts'
import { onDemandCheck, preferZoneWithCapacity } from './capacity.ts'
import { checkHibernationLaunch } from './hibernation.ts'
import type { RegionState } from './store.ts'

/** What a launch carries beyond RunInstances' parameters. */
export interface LaunchExtras {
  /** Tags AWS sets itself (aws:ec2launchtemplate:*, aws:autoscaling:groupName, aws:ec2spot:fleet-request-id): no aws: check. */
  systemTags?: readonly Tag[]
  launchTemplate?: { id: string; version: number }
  fleetId?: string
  /**
   * Called once the zone is known, before anything is made: a Spot launch checks its pool's price and
   * capacity; without it, an On-Demand launch checks the vCPU quota and zone capacity (capacity.ts),
   * which may answer fewer instances (at least MinCount).
   */
  beforeLaunch?: (zone: string, type: string, count: number) => number | void
}

const randomMac = () => `0e:${Array.from({ length: 5 }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join(':')}`

/** Launches between MinCount and MaxCount instances as RunInstances does, or throws AWS's error (nothing launched). */
export function runInstances(region: RegionState, input: RunInstancesRequest, requester: string, extras: LaunchExtras = {}):
  { reservationId: string; instances: InstanceRecord[] } {
  if (input.ImageId === undefined) throw ec2Errors.missingParameter('ImageId')
  const image = launchImage(region, input.ImageId)
  const { MinCount: min, MaxCount: max } = input
  if (min < 1) throw ec2Errors.invalidParameterValue(`Value (${min}) for parameter minCount is invalid. Expected a value greater than 0.`)
  if (max < min) throw ec2Errors.invalidParameterValue(`Value (${max}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${min}).`)
  const type = input.InstanceType ?? 'm1.small'
  if (!knownInstanceType(type)) throw ec2Errors.invalidInstanceType(type)
  const spec = instanceTypeSpec(type)
  if (spec !== undefined && !spec.architectures.includes(image.architecture)) {
    throw ec2Errors.invalidParameterValue(`The architecture '${spec.architectures.at(-1)}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`)
  }
  // The volumes each instance gets: the AMI's mappings with the request's over them, checked once for the launch.
  const volumes = planVolumes(region, image, input.BlockDeviceMappings)
  checkHibernationLaunch(input.HibernationOptions?.Configured, volumes[0]!)
  if (input.KeyName !== undefined && keyPairNamed(region, input.KeyName) === undefined) throw ec2Errors.keyPairNotFound(input.KeyName)
  const profile = instanceProfileOf(region, input.IamInstanceProfile)
  const metadataOptions = launchOptions(region, input.MetadataOptions)
  const cpuCredits = launchCredits(type, input.CreditSpecification)
  const shutdownBehavior = pick('InstanceInitiatedShutdownBehavior', input.InstanceInitiatedShutdownBehavior, ['stop', 'terminate'] as const)
  if (extras.beforeLaunch === undefined) input = preferZoneWithCapacity(region, input, type)
  const subnet = chooseSubnet(region, input)
  const groupIds = chooseGroups(region, input, subnet)
  const nic = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0)
  const asked = input.PrivateIpAddress ?? nic?.PrivateIpAddress
  if (asked !== undefined && max > 1) {
    throw ec2Errors.invalidParameterCombination('Cannot specify a private IP address when launching more than one instance.')
  }
  // AWS launches as many as it can between MinCount and MaxCount; Nimbus's limit is the subnet's free addresses.
  let ips = allocatePrivateIps(region, subnet, max, asked, min)
  const allowed = (extras.beforeLaunch ?? onDemandCheck(region, min))(subnet.zone, type, ips.length)
  if (typeof allowed === 'number' && allowed < ips.length) ips = ips.slice(0, allowed)
  const groupName = input.Placement?.GroupName
  const partitions = groupName === undefined || groupName === '' ? undefined
    : placeInGroup(region, groupName, subnet.zone, ips.length, input.Placement?.PartitionNumber)
  const publicIp = nic?.AssociatePublicIpAddress ?? subnet.mapPublicIp
  const tags = specTags(input.TagSpecifications, 'instance')
  const newId = (prefix: string) => region.launchId(prefix)
  const reservationId = newId('r')
  const now = region.now
  const instances = ips.map((ip, launchIndex) => {
    const instance: InstanceRecord = {
      kind: 'instance', id: newId('i'), reservationId, requesterAccount: requester, imageId: image.imageId, type,
      zone: subnet.zone, subnetId: subnet.id, vpcId: subnet.vpcId, privateIp: ip, publicIp: publicIp ? newPublicIp(3) : undefined,
      groupIds, keyName: input.KeyName, userData: input.UserData, launchIndex, launchTime: now, state: 'pending', since: now,
      transitionReason: '', stateReason: undefined, disableApiTermination: input.DisableApiTermination === true, cpuPercent: 0,
      systemStatus: 'ok', instanceStatus: 'ok', architecture: image.architecture, platform: image.platform,
      clientToken: input.ClientToken, ebsOptimized: input.EbsOptimized === true, monitoring: input.Monitoring?.Enabled === true,
      macAddress: randomMac(), eniId: newId('eni'), attachmentId: newId('eni-attach'), volumeId: newId('vol'), tags: [],
    }
    if (partitions !== undefined) {
      instance.placementGroup = groupName
      instance.partitionNumber = partitions[launchIndex]
    }
    if (extras.launchTemplate !== undefined) instance.launchTemplate = { ...extras.launchTemplate }
    if (extras.fleetId !== undefined) instance.fleetId = extras.fleetId
    if (profile !== undefined) instance.iamInstanceProfile = profile
    if (metadataOptions !== undefined) instance.metadataOptions = metadataOptions
    applyTags(instance, tags)
    for (const tag of extras.systemTags ?? []) {
      const existing = instance.tags.find((t) => t.Key === tag.Key)
      if (existing !== undefined) existing.Value = tag.Value
      else instance.tags.push({ ...tag })
    }
    if (input.HibernationOptions?.Configured === true) instance.hibernation = true
    if (input.DisableApiStop === true) instance.disableApiStop = true
    if (shutdownBehavior !== undefined) instance.shutdownBehavior = shutdownBehavior
    if (cpuCredits !== undefined) instance.cpuCredits = cpuCredits
    logRunStart(instance, now + region.bootMs)
    attachLaunchVolumes(region, instance, volumes)
    region.save(instance)
    return instance
  })
  return { reservationId, instances }
}
