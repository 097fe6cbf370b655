// What identifies CloudWatch Logs to the gateway before its code loads (services/lazy.ts).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const logsConsoleCatalog: ConsoleCatalog = {
  label: 'CloudWatch Logs',
  resourceTypes: [{ type: 'log-group', label: 'Log groups', columns: [{ key: 'streams', label: 'Streams' },
    { key: 'storedBytes', label: 'Stored bytes' }, { key: 'retentionDays', label: 'Retention (days)' }, { key: 'lastEvent', label: 'Last event' }] }],
}

export const logsDescriptor: ServiceDescriptor = {
  name: 'logs',
  signingName: 'logs',
  protocols: ['json'],
  targetPrefix: 'Logs_20140328',
  apiVersion: '2014-03-28',
  consoleCatalog: logsConsoleCatalog,
}
