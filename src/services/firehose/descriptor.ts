// What identifies Amazon Data Firehose to the gateway before its code loads (services/lazy.ts).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const firehoseConsoleCatalog: ConsoleCatalog = {
  label: 'Data Firehose',
  resourceTypes: [{ type: 'delivery-stream', label: 'Delivery streams', columns: [{ key: 'status', label: 'Status' }, { key: 'type', label: 'Source' },
    { key: 'buffered', label: 'Records waiting' }, { key: 'bucket', label: 'Bucket' }, { key: 'created', label: 'Created' }] }],
}

export const firehoseDescriptor: ServiceDescriptor = {
  name: 'firehose',
  signingName: 'firehose',
  protocols: ['json'],
  targetPrefix: 'Firehose_20150804',
  apiVersion: '2015-08-04',
  consoleCatalog: firehoseConsoleCatalog,
}
