// The EC2 port's implementation over the state (port.ts is the contract).
import { isAwsError } from '../../protocol/errors.ts'
import type { RunInstancesRequest } from './generated/types.ts'
import { findTemplate, findVersion, launchDataOf, templateTags } from './launch-templates.ts'
import { startInstance, stopInstance, terminateInstance } from './instance-actions.ts'
import { allocate } from './fleet/allocation.ts'
import { poolOption } from './fleet/pools.ts'
import { runInstances } from './run.ts'
import { spotListeners } from './spot/interruptions.ts'
import { launchSpot } from './spot/requests.ts'
import { logValues } from './metric-log.ts'
import { ec2MetricSource } from './metric-source.ts'
import { placementPort } from './port-placement.ts'
import type { Ec2InstanceAction, Ec2InstanceView, Ec2LaunchData, Ec2Port } from './port.ts'
import type { InstanceRecord } from './resources.ts'
import type { Ec2State, RegionState } from './store.ts'

function view(region: RegionState, i: InstanceRecord): Ec2InstanceView {
  return {
    account: region.account, region: region.region, instanceId: i.id, instanceType: i.type, imageId: i.imageId, state: i.state,
    launchTime: i.launchTime, cpuPercent: i.cpuPercent, systemStatus: i.systemStatus, instanceStatus: i.instanceStatus,
    tags: i.tags.map((t) => ({ ...t })),
  }
}

/** An AWS error as the port reports it; anything else is a bug and is thrown on. */
function failure(error: unknown): { ok: false; code: string; message: string } {
  if (isAwsError(error)) return { ok: false, code: error.code, message: error.message }
  throw error
}

/** The port's launch data as a RunInstances request for `count` instances (all or none). */
function requestOf(data: Ec2LaunchData, count: number, placement: { subnetId?: string; availabilityZone?: string }): RunInstancesRequest {
  const tags = (data.tags ?? []).filter((t) => !t.Key.startsWith('aws:'))
  return {
    ImageId: data.imageId, InstanceType: data.instanceType as RunInstancesRequest['InstanceType'], KeyName: data.keyName,
    SecurityGroupIds: data.securityGroupIds, UserData: data.userData, MinCount: count, MaxCount: count,
    SubnetId: placement.subnetId, Placement: placement.availabilityZone === undefined ? undefined : { AvailabilityZone: placement.availabilityZone },
    Monitoring: data.monitoring === undefined ? undefined : { Enabled: data.monitoring },
    DisableApiTermination: data.disableApiTermination, EbsOptimized: data.ebsOptimized,
    IamInstanceProfile: data.iamInstanceProfile, MetadataOptions: data.metadataOptions as RunInstancesRequest['MetadataOptions'],
    TagSpecifications: tags.length === 0 ? undefined : [{ ResourceType: 'instance', Tags: tags }],
    BlockDeviceMappings: data.blockDeviceMappings as RunInstancesRequest['BlockDeviceMappings'],
  }
}

export function createEc2Port(state: Ec2State): Ec2Port {
  return {
    instance: (id) => {
      const found = state.findInstance(id)
      return found === undefined ? undefined : view(found.region, found.instance)
    },
    instances: (account, region) => state.allRegions()
      .filter((r) => (account === undefined || r.account === account) && (region === undefined || r.region === region))
      .flatMap((r) => r.allInstances().map((i) => view(r, i))),
    act: (id: string, action: Ec2InstanceAction) => {
      const found = state.findInstance(id)
      if (found === undefined) return false
      const { region, instance } = found
      const before = instance.state
      if (action === 'stop') stopInstance(region, instance)
      else if (action === 'start') startInstance(region, instance)
      else if (action === 'terminate') {
        if (instance.disableApiTermination) return false
        terminateInstance(region, instance)
      } else if (instance.state !== 'running') return false
      else if (action === 'recover') {
        // AWS moves the instance to healthy hardware (same id, IPs, volumes): its status checks pass again.
        instance.systemStatus = 'ok'
        instance.instanceStatus = 'ok'
        logValues(instance, region.now)
      }
      region.save(instance)
      return action === 'reboot' || action === 'recover' || instance.state !== before
    },
    launchTemplateData: (account, regionName, spec) => {
      try {
        const region = state.region(account, regionName)
        const template = findTemplate(region, spec)
        const version = findVersion(template, spec.Version)
        return { ok: true, id: template.id, name: template.name, version: version.number, data: launchDataOf(template, version) }
      } catch (error) {
        return failure(error)
      }
    },
    launch: (account, regionName, data, count, placement) => {
      try {
        const region = state.region(account, regionName)
        const lt = data.launchTemplate
        const systemTags = [...(lt === undefined ? [] : templateTags(lt.id, lt.version)), ...(data.tags ?? []).filter((t) => t.Key.startsWith('aws:'))]
        const request = requestOf(data, count, placement)
        const extras = { launchTemplate: lt, systemTags }
        const instances = data.spot === undefined ? runInstances(region, request, account, extras).instances
          : launchSpot(state, region, request, account, extras, { maxPrice: data.spot.maxPrice, requestType: 'one-time', interruptionBehavior: 'terminate' }, 'run-instances')
        return { ok: true, instanceIds: instances.map((i) => i.id) }
      } catch (error) {
        return failure(error)
      }
    },
    onSpotSignal: (listener) => {
      const listeners = spotListeners.get(state) ?? []
      listeners.push(listener)
      spotListeners.set(state, listeners)
    },
    spotAllocation: (region, pools, units, strategy, poolsToUse) => allocate(
      pools.map((p) => poolOption(state, region, { zone: p.availabilityZone, instanceType: p.instanceType, weight: p.weight ?? 1, priority: p.priority }, p.maxPrice, 'spot')),
      units, strategy, poolsToUse),
    spotPrice: (region, zone, type) => state.market(region).price(zone, type, state.clock.now()),
    metrics: ec2MetricSource(state),
    ...placementPort(state),
  }
}
