// What identifies CloudWatch (metrics, alarms, dashboards) to the gateway before its code loads (services/lazy.ts).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const cloudWatchConsoleCatalog: ConsoleCatalog = {
  label: 'CloudWatch',
  resourceTypes: [{ type: 'alarm', label: 'Alarms', columns: [{ key: 'state', label: 'State' }, { key: 'kind', label: 'Kind' },
    { key: 'metric', label: 'Metric' }, { key: 'threshold', label: 'Threshold' }, { key: 'updated', label: 'State updated' }] }],
}

export const cloudWatchDescriptor: ServiceDescriptor = {
  name: 'cloudwatch',
  signingName: 'monitoring',
  // Current SDKs (v3 3.11xx, botocore 1.43) send awsJson 1.0 with awsQueryCompatible; the CLI v1,
  // older SDKs and hand-written form posts speak query; botocore's model lists Smithy RPC v2 CBOR
  // first (SDKs that pick it: POST /service/GraniteServiceVersion20100801/operation/<Op>).
  protocols: ['json', 'query', 'rpc-v2-cbor'],
  targetPrefix: 'GraniteServiceVersion20100801',
  apiVersion: '2010-08-01',
  consoleCatalog: cloudWatchConsoleCatalog,
}
