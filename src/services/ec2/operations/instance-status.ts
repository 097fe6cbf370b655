// DescribeInstanceStatus (system and instance status checks, set by the simulation hook) and the
// instance attributes Nimbus keeps: disableApiTermination, instanceType, userData, groupSet.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { knownInstanceType } from '../catalog.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { stateOf } from '../instance-view.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State } from '../store.ts'
import { regionOf } from './common.ts'
import { namedInstances } from './instances.ts'
import { zonesOf } from '../regions.ts'

/** A check's summary: "ok"/"impaired" while running (with its reachability detail), "not-applicable" otherwise. */
function summary(instance: InstanceRecord, status: 'ok' | 'impaired') {
  if (instance.state !== 'running') return { Status: 'not-applicable' as const, Details: [] }
  const failed = status === 'impaired'
  return {
    Status: status,
    Details: [{ Name: 'reachability' as const, Status: failed ? 'failed' as const : 'passed' as const, ImpairedSince: failed ? new Date(instance.since) : undefined }],
  }
}

export function instanceStatusOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    DescribeInstanceStatus: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const named = input.InstanceIds !== undefined && input.InstanceIds.length > 0
      if (named && input.MaxResults !== undefined) {
        throw ec2Errors.invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults')
      }
      const match = compileFilters<InstanceRecord>(input.Filters, {
        'availability-zone': (i) => [i.zone],
        'instance-state-name': (i) => [i.state],
        'instance-state-code': (i) => [String(stateOf(i).Code)],
        'system-status.status': (i) => [summary(i, i.systemStatus).Status],
        'system-status.reachability': (i) => [summary(i, i.systemStatus).Details[0]?.Status],
        'instance-status.status': (i) => [summary(i, i.instanceStatus).Status],
        'instance-status.reachability': (i) => [summary(i, i.instanceStatus).Details[0]?.Status],
      })
      const all = named ? namedInstances(region, input.InstanceIds!) : region.allInstances()
      // Without IncludeAllInstances, only running instances are listed.
      const listed = all.filter((i) => (input.IncludeAllInstances === true || i.state === 'running') && match(i))
      const page = paginate(listed, input.MaxResults, input.NextToken)
      const zoneIds = new Map(zonesOf(region.region).map((z) => [z.name, z.id]))
      return {
        InstanceStatuses: page.items.map((i) => ({
          InstanceId: i.id, AvailabilityZone: i.zone, AvailabilityZoneId: zoneIds.get(i.zone), InstanceState: stateOf(i),
          SystemStatus: summary(i, i.systemStatus), InstanceStatus: summary(i, i.instanceStatus),
          AttachedEbsStatus: i.state === 'running' ? { Status: 'ok' as const, Details: [{ Name: 'reachability' as const, Status: 'passed' as const }] } : undefined,
        })),
        NextToken: page.nextToken,
      }
    },

    DescribeInstanceAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const [i] = namedInstances(region, [input.InstanceId])
      const base = { InstanceId: i!.id }
      switch (input.Attribute) {
        case 'disableApiTermination': return { ...base, DisableApiTermination: { Value: i!.disableApiTermination } }
        case 'instanceType': return { ...base, InstanceType: { Value: i!.type } }
        case 'userData': return { ...base, UserData: i!.userData === undefined ? {} : { Value: i!.userData } }
        case 'groupSet': return { ...base, Groups: i!.groupIds.map((id) => ({ GroupId: id, GroupName: region.groups.get(id)?.name })) }
        case 'ebsOptimized': return { ...base, EbsOptimized: { Value: i!.ebsOptimized } }
        case 'sourceDestCheck': return { ...base, SourceDestCheck: { Value: i!.sourceDestCheck ?? true } }
        case 'disableApiStop': return { ...base, DisableApiStop: { Value: false } }
        case 'instanceInitiatedShutdownBehavior': return { ...base, InstanceInitiatedShutdownBehavior: { Value: 'stop' } }
        case 'rootDeviceName': return { ...base, RootDeviceName: { Value: '/dev/xvda' } }
        default: throw ec2Errors.invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`)
      }
    },

    ModifyInstanceAttribute: (input, ctx) => {
      const region = regionOf(state, input, ctx)
      const [i] = namedInstances(region, [input.InstanceId])
      const instance = i!
      const flag = input.DisableApiTermination?.Value ??
        (input.Attribute === 'disableApiTermination' && input.Value !== undefined ? input.Value === 'true' : undefined)
      if (flag !== undefined) instance.disableApiTermination = flag
      const type = input.InstanceType?.Value ?? (input.Attribute === 'instanceType' ? input.Value : undefined)
      if (type !== undefined) {
        if (!knownInstanceType(type)) throw ec2Errors.invalidInstanceType(type)
        // AWS changes the type of a stopped instance only.
        if (instance.state !== 'stopped') throw ec2Errors.incorrectStateFor(instance.id, instance.state)
        instance.type = type
      }
      if (input.UserData?.Value !== undefined) {
        if (instance.state !== 'stopped') throw ec2Errors.incorrectStateFor(instance.id, instance.state)
        instance.userData = Buffer.from(input.UserData.Value).toString('base64')
      }
      if (input.Groups !== undefined && input.Groups.length > 0) {
        for (const id of input.Groups) {
          const group = region.groups.get(id)
          if (group === undefined) throw ec2Errors.groupNotFound(id)
        }
        instance.groupIds = [...input.Groups]
      }
      region.save(instance)
    },
  }
}
