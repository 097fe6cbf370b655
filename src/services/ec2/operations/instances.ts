// RunInstances, DescribeInstances and the state changes: Start, Stop, Reboot, Terminate, on the clock.
import { logRunEnd, logRunStart } from '../metric-log.ts'
import type { OperationTable } from '../../service.ts'
import { instanceTypeSpec } from '../catalog.ts'
import { ec2Errors } from '../errors.ts'
import { keyPairNamed } from './key-pairs.ts'
import { placeInGroup } from './placement-groups.ts'
import { createRootVolume, releaseVolumes } from '../root-volumes.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { newId } from '../ids.ts'
import { userInitiated } from '../instance-state.ts'
import { instanceFilters, instanceView, stateOf } from '../instance-view.ts'
import { allocatePrivateIps, chooseGroups, chooseSubnet, newPublicIp } from '../launch.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { applyTags, checkId, regionOf, specTags } from './common.ts'
import { findImage } from './images.ts'

/** The instances named, settled; InvalidInstanceID.Malformed/NotFound as AWS words them. */
export function namedInstances(region: RegionState, ids: readonly string[]): InstanceRecord[] {
  for (const id of ids) checkId(id, 'i', 'InvalidInstanceID.Malformed')
  const found = ids.map((id) => region.instance(id))
  const missing = ids.filter((_, k) => found[k] === undefined)
  if (missing.length > 0) throw ec2Errors.instanceNotFound(missing)
  return found as InstanceRecord[]
}

const randomMac = () => `0e:${Array.from({ length: 5 }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join(':')}`

type Change = { InstanceId: string; PreviousState: ReturnType<typeof stateOf>; CurrentState: ReturnType<typeof stateOf> }

/** Applies a state change to each named instance (all checked first, so a refusal changes none). */
function change(region: RegionState, ids: readonly string[], check: (i: InstanceRecord) => void, apply: (i: InstanceRecord) => void): Change[] {
  const instances = namedInstances(region, ids)
  for (const i of instances) check(i)
  return instances.map((i) => {
    const previous = stateOf(i)
    apply(i)
    region.save(i)
    return { InstanceId: i.id, PreviousState: previous, CurrentState: stateOf(i) }
  })
}

/** The instance's auto-assigned public IP goes with a stop (an Elastic IP stays) and a new one comes with a start. */
export function stopInstance(region: RegionState, i: InstanceRecord): void {
  if (i.state !== 'running') return
  i.state = 'stopping'
  i.since = region.now
  logRunEnd(i, region.now)
  i.transitionReason = userInitiated(region.now)
  i.publicIp = undefined
}

export function startInstance(region: RegionState, i: InstanceRecord): void {
  if (i.state !== 'stopped') return
  i.state = 'pending'
  i.since = region.now
  logRunStart(i, region.now + region.bootMs)
  i.transitionReason = ''
  i.stateReason = undefined
  if (region.subnets.get(i.subnetId)?.mapPublicIp === true) i.publicIp = newPublicIp(3)
}

export function terminateInstance(region: RegionState, i: InstanceRecord): void {
  if (i.state === 'terminated' || i.state === 'shutting-down') return
  i.state = 'shutting-down'
  i.since = region.now
  logRunEnd(i, region.now)
  i.transitionReason = userInitiated(region.now)
  i.publicIp = undefined
  // Its root volume (DeleteOnTermination) goes with it; other volumes are detached.
  releaseVolumes(region, i.id)
  // Its Elastic IP is disassociated (the allocation stays the account's).
  for (const address of region.addresses.values()) {
    if (address.instanceId !== i.id) continue
    address.instanceId = undefined
    address.associationId = undefined
    region.save(address)
  }
}

export function instanceOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    RunInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      if (input.ImageId === undefined) throw ec2Errors.missingParameter('ImageId')
      const image = findImage(region.region, input.ImageId)
      const { MinCount: min, MaxCount: max } = input
      if (min < 1) throw ec2Errors.invalidParameterValue(`Value (${min}) for parameter minCount is invalid. Expected a value greater than 0.`)
      if (max < min) throw ec2Errors.invalidParameterValue(`Value (${max}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${min}).`)
      const type = input.InstanceType ?? 'm1.small'
      if (!/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(type)) throw ec2Errors.invalidInstanceType(type)
      const spec = instanceTypeSpec(type)
      if (spec !== undefined && !spec.architectures.includes(image.architecture)) {
        throw ec2Errors.invalidParameterValue(`The architecture '${spec.architectures.at(-1)}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`)
      }
      if (input.KeyName !== undefined && keyPairNamed(region, input.KeyName) === undefined) throw ec2Errors.keyPairNotFound(input.KeyName)
      const subnet = chooseSubnet(region, input)
      const groupIds = chooseGroups(region, input, subnet)
      const nic = input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0)
      const asked = input.PrivateIpAddress ?? nic?.PrivateIpAddress
      if (asked !== undefined && max > 1) {
        throw ec2Errors.invalidParameterCombination('Cannot specify a private IP address when launching more than one instance.')
      }
      // AWS launches as many as it can between MinCount and MaxCount; Nimbus's limit is the subnet's free addresses.
      const ips = allocatePrivateIps(region, subnet, max, asked, min)
      const groupName = input.Placement?.GroupName
      const partitions = groupName === undefined || groupName === '' ? undefined
        : placeInGroup(region, groupName, subnet.zone, ips.length, input.Placement?.PartitionNumber)
      const publicIp = nic?.AssociatePublicIpAddress ?? subnet.mapPublicIp
      const tags = specTags(input.TagSpecifications, 'instance')
      const reservationId = newId('r')
      const now = region.now
      const instances = ips.map((ip, launchIndex) => {
        const instance: InstanceRecord = {
          kind: 'instance', id: newId('i'), reservationId, requesterAccount: ctx.caller.account, imageId: image.imageId, type,
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
        applyTags(instance, tags)
        logRunStart(instance, now + region.bootMs)
        region.save(instance)
        createRootVolume(region, instance, image)
        return instance
      })
      return {
        ReservationId: reservationId, OwnerId: region.account, Groups: [],
        Instances: instances.map((i) => instanceView(region, i)),
      }
    },

    DescribeInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      if (input.MaxResults !== undefined && input.InstanceIds !== undefined && input.InstanceIds.length > 0) {
        throw ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults')
      }
      const match = compileFilters(input.Filters, instanceFilters(region))
      const all = input.InstanceIds !== undefined && input.InstanceIds.length > 0
        ? namedInstances(region, input.InstanceIds) : region.allInstances()
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      // Instances are grouped by the reservation that launched them, in launch order.
      const reservations = new Map<string, InstanceRecord[]>()
      for (const i of page.items) {
        const list = reservations.get(i.reservationId)
        if (list === undefined) reservations.set(i.reservationId, [i])
        else list.push(i)
      }
      return {
        Reservations: [...reservations].map(([id, list]) => ({
          ReservationId: id, OwnerId: region.account, Groups: [], Instances: list.map((i) => instanceView(region, i)),
        })),
        NextToken: page.nextToken,
      }
    },

    StartInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      return {
        StartingInstances: change(region, input.InstanceIds, (i) => {
          if (i.state === 'terminated' || i.state === 'shutting-down' || i.state === 'stopping') throw ec2Errors.incorrectState(i.id, 'started')
        }, (i) => startInstance(region, i)),
      }
    },

    StopInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      return {
        StoppingInstances: change(region, input.InstanceIds, (i) => {
          if (i.state === 'pending') throw ec2Errors.neverRan(i.id)
          if (i.state === 'terminated' || i.state === 'shutting-down') throw ec2Errors.incorrectState(i.id, 'stopped')
        }, (i) => stopInstance(region, i)),
      }
    },

    RebootInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      // A reboot keeps the instance running (its state never shows the restart).
      change(region, input.InstanceIds, (i) => {
        if (i.state !== 'running' && i.state !== 'pending') throw ec2Errors.incorrectState(i.id, 'rebooted')
      }, () => {})
    },

    TerminateInstances: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      return {
        TerminatingInstances: change(region, input.InstanceIds, (i) => {
          if (i.disableApiTermination && i.state !== 'terminated') throw ec2Errors.terminationProtected(i.id)
        }, (i) => terminateInstance(region, i)),
      }
    },
  }
}

