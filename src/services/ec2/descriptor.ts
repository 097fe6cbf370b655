// What identifies EC2 to the gateway before its code loads (services/lazy.ts).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const ec2ConsoleCatalog: ConsoleCatalog = {
  label: 'EC2',
  resourceTypes: [
    { type: 'instance', label: 'Instances', columns: [{ key: 'state', label: 'State' }, { key: 'type', label: 'Type' }, { key: 'zone', label: 'Zone' },
      { key: 'image', label: 'Image' }, { key: 'privateIp', label: 'Private IP' }, { key: 'launched', label: 'Launched' }] },
    { type: 'vpc', label: 'VPCs', columns: [{ key: 'cidr', label: 'CIDR' }, { key: 'default', label: 'Default' }, { key: 'subnets', label: 'Subnets' }] },
  ],
}

export const ec2Descriptor: ServiceDescriptor = {
  name: 'ec2',
  signingName: 'ec2',
  protocols: ['ec2'],
  apiVersion: '2016-11-15',
  consoleCatalog: ec2ConsoleCatalog,
}
