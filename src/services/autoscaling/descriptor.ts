// What identifies EC2 Auto Scaling to the gateway before its code loads (services/lazy.ts): query
// requests signed for `autoscaling` or carrying Version 2011-01-01.
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const autoScalingConsoleCatalog: ConsoleCatalog = {
  label: 'Auto Scaling',
  resourceTypes: [
    { type: 'group', label: 'Auto Scaling groups', columns: [{ key: 'min', label: 'Min' }, { key: 'desired', label: 'Desired' },
      { key: 'max', label: 'Max' }, { key: 'inService', label: 'In service' }, { key: 'instances', label: 'Instances' },
      { key: 'zones', label: 'Zones' }, { key: 'created', label: 'Created' }] },
  ],
}

export const autoScalingDescriptor: ServiceDescriptor = {
  name: 'autoscaling',
  signingName: 'autoscaling',
  // Auto Scaling speaks only awsQuery (botocore 1.43 and SDK v3 3.11xx alike).
  protocols: ['query'],
  apiVersion: '2011-01-01',
  consoleCatalog: autoScalingConsoleCatalog,
}
