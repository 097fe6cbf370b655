// What the web console shows of EC2 (services/console-view.ts): instances on the clock (their state
// settled as DescribeInstances settles it) and VPCs with their subnets; an instance's detail is what
// DescribeInstances answers for it.
import { type ConsoleDetail, type ConsoleItem, type ConsoleView, isoTime } from '../console-view.ts'
import { instanceView } from './instance-view.ts'
import type { InstanceRecord, VpcRecord } from './resources.ts'
import type { Ec2State, RegionState } from './store.ts'

export function ec2Console(state: Ec2State): ConsoleView {
  const instances = () => state.allRegions().flatMap((region) => region.allInstances().map((instance) => ({ region, instance })))
  const vpcs = () => state.allRegions().flatMap((region) => [...region.vpcs.values()].map((vpc) => ({ region, vpc })))
  return {
    list: (type) => type === 'instance' ? instances().map(({ region, instance }) => instanceItem(region, instance))
      : type === 'vpc' ? vpcs().map(({ region, vpc }) => vpcItem(region, vpc)) : [],
    detail: (type, id) => {
      if (type === 'instance') {
        const found = state.findInstance(id.slice(id.lastIndexOf('/') + 1))
        return found === undefined ? undefined : instanceDetail(found.region, found.instance)
      }
      const found = type === 'vpc' ? vpcs().find(({ vpc }) => vpc.id === id || id.endsWith(`/${vpc.id}`)) : undefined
      return found === undefined ? undefined : vpcDetail(found.region, found.vpc)
    },
  }
}

const nameTag = (tags: Array<{ Key?: string; Value?: string }>) => tags.find((t) => t.Key === 'Name')?.Value

function instanceItem(region: RegionState, i: InstanceRecord): ConsoleItem {
  const arn = `arn:aws:ec2:${region.region}:${region.account}:instance/${i.id}`
  return { id: i.id, name: nameTag(i.tags) ?? i.id, arn, account: region.account, region: region.region,
    fields: { state: i.state, type: i.type, zone: i.zone, image: i.imageId, privateIp: i.privateIp, launched: isoTime(i.launchTime) } }
}

function instanceDetail(region: RegionState, i: InstanceRecord): ConsoleDetail {
  return {
    item: instanceItem(region, i),
    sections: [
      { title: 'Instance', kind: 'json', data: instanceView(region, i) },
      { title: 'Simulation', kind: 'kv', data: { CPUUtilization: i.cpuPercent, SystemStatus: i.systemStatus, InstanceStatus: i.instanceStatus,
        StateSince: isoTime(i.since) } },
      { title: 'Tags', kind: 'kv', data: Object.fromEntries(i.tags.map((t) => [t.Key ?? '', t.Value ?? ''])) },
    ],
    links: [{ label: 'VPC', service: 'ec2', type: 'vpc', id: i.vpcId }],
  }
}

function vpcItem(region: RegionState, vpc: VpcRecord): ConsoleItem {
  return { id: vpc.id, name: nameTag(vpc.tags) ?? vpc.id, arn: `arn:aws:ec2:${region.region}:${region.account}:vpc/${vpc.id}`,
    account: region.account, region: region.region, fields: { cidr: vpc.cidr, default: vpc.isDefault,
      subnets: [...region.subnets.values()].filter((s) => s.vpcId === vpc.id).length } }
}

function vpcDetail(region: RegionState, vpc: VpcRecord): ConsoleDetail {
  const subnets = [...region.subnets.values()].filter((s) => s.vpcId === vpc.id)
  return {
    item: vpcItem(region, vpc),
    sections: [
      { title: 'Subnets', kind: 'table', data: { columns: [{ key: 'id', label: 'Subnet' }, { key: 'cidr', label: 'CIDR' }, { key: 'zone', label: 'Zone' }],
        rows: subnets.map((s) => ({ id: s.id, cidr: s.cidr, zone: s.zone })) } },
      { title: 'Instances', kind: 'table', data: { columns: [{ key: 'id', label: 'Instance' }, { key: 'state', label: 'State' }],
        rows: region.allInstances().filter((i) => i.vpcId === vpc.id).map((i) => ({ id: i.id, state: i.state })) } },
    ],
  }
}
