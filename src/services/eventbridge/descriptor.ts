// What identifies EventBridge to the gateway before its code loads (services/lazy.ts).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const eventBridgeConsoleCatalog: ConsoleCatalog = {
  label: 'EventBridge',
  resourceTypes: [
    { type: 'bus', label: 'Event buses', columns: [{ key: 'rules', label: 'Rules' }, { key: 'created', label: 'Created' }] },
    { type: 'rule', label: 'Rules', columns: [{ key: 'bus', label: 'Bus' }, { key: 'state', label: 'State' }, { key: 'trigger', label: 'Trigger' },
      { key: 'targets', label: 'Targets' }] },
  ],
}

export const eventBridgeDescriptor: ServiceDescriptor = {
  name: 'eventbridge',
  signingName: 'events',
  protocols: ['json'],
  targetPrefix: 'AWSEvents',
  apiVersion: '2015-10-07',
  consoleCatalog: eventBridgeConsoleCatalog,
}
