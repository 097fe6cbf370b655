// What identifies Kinesis Data Streams to the gateway before its code loads (services/lazy.ts).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const kinesisConsoleCatalog: ConsoleCatalog = {
  label: 'Kinesis',
  resourceTypes: [{ type: 'stream', label: 'Data streams', columns: [{ key: 'status', label: 'Status' }, { key: 'mode', label: 'Mode' },
    { key: 'openShards', label: 'Open shards' }, { key: 'records', label: 'Records retained' }, { key: 'retentionHours', label: 'Retention (h)' },
    { key: 'created', label: 'Created' }] }],
}

export const kinesisDescriptor: ServiceDescriptor = {
  name: 'kinesis',
  signingName: 'kinesis',
  // awsJson 1.1 for the JS/Python/Go SDKs and the CLI; its CBOR flavour for the Java SDK and KCL.
  protocols: ['json', 'cbor'],
  targetPrefix: 'Kinesis_20131202',
  apiVersion: '2013-12-02',
  consoleCatalog: kinesisConsoleCatalog,
}
