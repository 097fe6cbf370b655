// DescribeInstanceAttribute (every attribute AWS names) and ModifyInstanceAttribute: termination and
// stop protection, the shutdown behaviour, source/destination check, type, user data, EBS
// optimisation and ENA (the last four while stopped, as AWS requires), groups, and the
// DeleteOnTermination of the instance's attached volumes — by member or by Attribute and Value.
import type { OperationTable } from '../../service.ts'
import { instanceMappings } from '../block-devices.ts'
import { knownInstanceType } from '../catalog.ts'
import { creditsOf, isBurstable } from '../credit-specification.ts'
import { ec2Errors } from '../errors.ts'
import type { Ec2Operations, ModifyInstanceAttributeRequest } from '../generated/types.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { regionOf } from './common.ts'
import { namedInstances } from './instances.ts'

const asBool = (value: string | undefined) => (value === undefined ? undefined : value === 'true')

/** A boolean attribute from its member (`{Value}`) or from the Attribute/Value form. */
function flag(input: ModifyInstanceAttributeRequest, member: { Value?: boolean } | undefined, name: string): boolean | undefined {
  return member?.Value ?? (input.Attribute === name ? asBool(input.Value) : undefined)
}

/** Changes AWS makes to a stopped instance only ("… is not in the 'stopped' state"). */
function whileStopped(i: InstanceRecord): void {
  if (i.state !== 'stopped') throw ec2Errors.incorrectStateFor(i.id, i.state)
}

/** DeleteOnTermination of the volumes attached at the devices named. */
function setDeleteOnTermination(region: RegionState, i: InstanceRecord, mappings: NonNullable<ModifyInstanceAttributeRequest['BlockDeviceMappings']>): void {
  const changes = mappings.map((m) => {
    const device = m.DeviceName ?? ''
    const volume = [...region.attachedVolumes.of(i.id)].find((v) => v.attachment?.device === device)
    if (volume === undefined) throw ec2Errors.noDeviceMapped(device)
    return { volume, deleteOnTermination: m.Ebs?.DeleteOnTermination }
  })
  for (const { volume, deleteOnTermination } of changes) {
    if (deleteOnTermination === undefined) continue
    volume.attachment!.deleteOnTermination = deleteOnTermination
    region.save(volume)
    const entry = i.devices?.find((d) => d.volumeId === volume.id)
    if (entry !== undefined) entry.deleteOnTermination = deleteOnTermination
  }
}

export function instanceAttributeOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeInstanceAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const [i] = namedInstances(region, [input.InstanceId])
      const base = { InstanceId: i!.id }
      switch (input.Attribute) {
        case 'disableApiTermination': return { ...base, DisableApiTermination: { Value: i!.disableApiTermination } }
        case 'disableApiStop': return { ...base, DisableApiStop: { Value: i!.disableApiStop === true } }
        case 'instanceType': return { ...base, InstanceType: { Value: i!.type } }
        case 'userData': return { ...base, UserData: i!.userData === undefined ? {} : { Value: i!.userData } }
        case 'groupSet': return { ...base, Groups: i!.groupIds.map((id) => ({ GroupId: id, GroupName: region.groups.get(id)?.name })) }
        case 'ebsOptimized': return { ...base, EbsOptimized: { Value: i!.ebsOptimized } }
        case 'enaSupport': return { ...base, EnaSupport: { Value: i!.enaSupport ?? true } }
        case 'sourceDestCheck': return { ...base, SourceDestCheck: { Value: i!.sourceDestCheck ?? true } }
        case 'instanceInitiatedShutdownBehavior': return { ...base, InstanceInitiatedShutdownBehavior: { Value: i!.shutdownBehavior ?? 'stop' } }
        case 'rootDeviceName': return { ...base, RootDeviceName: { Value: i!.rootDevice ?? '/dev/xvda' } }
        case 'blockDeviceMapping': return { ...base, BlockDeviceMappings: i!.state === 'terminated' ? [] : instanceMappings(region, i!) }
        // HVM instances on Nitro: no kernel or ramdisk ids, no product codes, ENA rather than Intel's SR-IOV.
        case 'kernel': return { ...base, KernelId: {} }
        case 'ramdisk': return { ...base, RamdiskId: {} }
        case 'productCodes': return { ...base, ProductCodes: [] }
        case 'sriovNetSupport': return { ...base, SriovNetSupport: {} }
        case 'enclaveOptions': return { ...base, EnclaveOptions: { Enabled: false } }
        default: throw ec2Errors.invalidParameterValue(`Value (${String(input.Attribute as string)}) for parameter attribute is invalid. Unknown attribute.`)
      }
    },

    ModifyInstanceAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const [i] = namedInstances(region, [input.InstanceId])
      const instance = i!
      const termination = flag(input, input.DisableApiTermination, 'disableApiTermination')
      const stop = flag(input, input.DisableApiStop, 'disableApiStop')
      const sourceDestCheck = flag(input, input.SourceDestCheck, 'sourceDestCheck')
      const ebsOptimized = flag(input, input.EbsOptimized, 'ebsOptimized')
      const ena = flag(input, input.EnaSupport, 'enaSupport')
      const type = input.InstanceType?.Value ?? (input.Attribute === 'instanceType' ? input.Value : undefined)
      const behaviour = input.InstanceInitiatedShutdownBehavior?.Value ?? (input.Attribute === 'instanceInitiatedShutdownBehavior' ? input.Value : undefined)
      // Everything is checked before anything changes.
      if (behaviour !== undefined && behaviour !== 'stop' && behaviour !== 'terminate') {
        throw ec2Errors.invalidParameterValue(`Value (${behaviour}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are: stop, terminate.`)
      }
      if (type !== undefined && !knownInstanceType(type)) throw ec2Errors.invalidInstanceType(type)
      if (type !== undefined || input.UserData?.Value !== undefined || ebsOptimized !== undefined || ena !== undefined) whileStopped(instance)
      for (const id of input.Groups ?? []) if (region.groups.get(id) === undefined) throw ec2Errors.groupNotFound(id)
      if (input.BlockDeviceMappings !== undefined && input.BlockDeviceMappings.length > 0) setDeleteOnTermination(region, instance, input.BlockDeviceMappings)
      if (termination !== undefined) instance.disableApiTermination = termination
      if (stop !== undefined) instance.disableApiStop = stop
      if (sourceDestCheck !== undefined) instance.sourceDestCheck = sourceDestCheck
      if (ebsOptimized !== undefined) instance.ebsOptimized = ebsOptimized
      if (ena !== undefined) instance.enaSupport = ena
      if (type !== undefined) {
        // A burstable instance keeps its credit option across a resize (AWS reports it still).
        if (isBurstable(instance.type)) instance.cpuCredits ??= creditsOf(instance)
        instance.type = type
      }
      if (behaviour !== undefined) instance.shutdownBehavior = behaviour
      if (input.UserData?.Value !== undefined) instance.userData = Buffer.from(input.UserData.Value).toString('base64')
      if (input.Groups !== undefined && input.Groups.length > 0) instance.groupIds = [...input.Groups]
      region.save(instance)
    },
  }
}
