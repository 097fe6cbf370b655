// The EC2 port's implementation over the state (port.ts is the contract).
import { startInstance, stopInstance, terminateInstance } from './operations/instances.ts'
import { logValues } from './metric-log.ts'
import { ec2MetricSource } from './metric-source.ts'
import { launchPort } from './port-launch.ts'
import type { Ec2InstanceAction, Ec2InstanceView, Ec2Port } from './port.ts'
import type { InstanceRecord } from './resources.ts'
import type { Ec2State, RegionState } from './store.ts'

function view(region: RegionState, i: InstanceRecord): Ec2InstanceView {
  return {
    account: region.account, region: region.region, instanceId: i.id, instanceType: i.type, imageId: i.imageId, state: i.state,
    launchTime: i.launchTime, cpuPercent: i.cpuPercent, systemStatus: i.systemStatus, instanceStatus: i.instanceStatus,
    tags: i.tags.map((t) => ({ ...t })),
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
    metrics: ec2MetricSource(state),
    ...launchPort(state),
  }
}
