// EC2's port methods for Auto Scaling: launching instances the way RunInstances does (from a
// launch configuration's or template's data), and the subnets and zones a group may span.
import { isAwsError } from '../../protocol/errors.ts'
import type { OperationContext } from '../service.ts'
import { instanceOperations } from './operations/instances.ts'
import type { Ec2LaunchData, Ec2Port } from './port.ts'
import { zonesOf } from './regions.ts'
import type { Ec2State } from './store.ts'

export function launchPort(state: Ec2State): Pick<Ec2Port, 'launch' | 'launchTemplateData' | 'subnet' | 'zones'> {
  const run = instanceOperations(state).RunInstances!
  return {
    launch: (account, region, data: Ec2LaunchData, count, placement) => {
      // The request RunInstances would get, answered in the caller's account and region.
      const ctx = { caller: { account, region, accessKeyId: account }, requestId: '', clock: state.clock, protocol: 'ec2',
        host: '', signal: new AbortController().signal } as unknown as OperationContext
      // AWS's own services may set `aws:` tags (Auto Scaling's aws:autoscaling:groupName); a RunInstances caller may not.
      const tags = data.tags ?? []
      const userTags = tags.filter((t) => !t.Key.toLowerCase().startsWith('aws:'))
      const systemTags = tags.filter((t) => t.Key.toLowerCase().startsWith('aws:'))
      try {
        const out = run({
          ImageId: data.imageId, InstanceType: data.instanceType as never, KeyName: data.keyName, SecurityGroupIds: data.securityGroupIds,
          UserData: data.userData, MinCount: count, MaxCount: count, SubnetId: placement.subnetId,
          Placement: placement.subnetId === undefined && placement.availabilityZone !== undefined ? { AvailabilityZone: placement.availabilityZone } : undefined,
          Monitoring: data.monitoring === undefined ? undefined : { Enabled: data.monitoring },
          TagSpecifications: userTags.length > 0 ? [{ ResourceType: 'instance', Tags: userTags }] : undefined,
        }, ctx) as { Instances?: { InstanceId?: string }[] }
        const instanceIds = (out.Instances ?? []).map((i) => i.InstanceId!)
        for (const id of instanceIds) {
          const found = state.findInstance(id)
          if (found === undefined || systemTags.length === 0) continue
          found.instance.tags.unshift(...systemTags.map((t) => ({ ...t })))
          found.region.save(found.instance)
        }
        return { ok: true, instanceIds }
      } catch (error) {
        if (isAwsError(error)) return { ok: false, code: error.code, message: error.message }
        throw error
      }
    },
    // Launch templates are the ec2-fleet slice's; until then none exists.
    launchTemplateData: (_account, _region, spec) => ({ ok: false, code: 'InvalidLaunchTemplateName.NotFoundException',
      message: `The specified launch template, with template name ${spec.LaunchTemplateName ?? spec.LaunchTemplateId}, does not exist.` }),
    subnet: (account, region, subnetId) => {
      const subnet = state.region(account, region).subnets.get(subnetId)
      return subnet === undefined ? undefined : { subnetId: subnet.id, availabilityZone: subnet.zone, vpcId: subnet.vpcId }
    },
    zones: (region) => zonesOf(region).map((z) => z.name),
  }
}
