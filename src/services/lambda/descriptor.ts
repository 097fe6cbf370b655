// What identifies Lambda to the gateway before its code loads (services/lazy.ts): the control
// plane loads on the first Lambda request or the first call on its port (SNS, S3, EventBridge).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const lambdaConsoleCatalog: ConsoleCatalog = {
  label: 'Lambda',
  resourceTypes: [{
    type: 'function', label: 'Functions',
    columns: [{ key: 'runtime', label: 'Runtime' }, { key: 'handler', label: 'Handler' }, { key: 'memory', label: 'Memory (MB)' },
      { key: 'timeout', label: 'Timeout (s)' }, { key: 'versions', label: 'Versions' }, { key: 'lastModified', label: 'Last modified' }],
  }],
}

export const lambdaDescriptor: ServiceDescriptor = {
  name: 'lambda',
  signingName: 'lambda',
  protocols: ['rest-json'],
  apiVersion: '2015-03-31',
  // Unsigned requests (presigned or hand-made) are told apart by their versioned path: every
  // resource prefix of the model (descriptor.test.ts keeps the list complete), so an operation
  // Nimbus lacks answers Lambda's not-implemented error instead of falling through to S3.
  pathPrefixes: ['/2014-11-13/functions', '/2015-03-31/event-source-mappings', '/2015-03-31/functions',
    '/2016-08-19/account-settings', '/2017-03-31/tags', '/2017-10-31/functions', '/2018-10-31/layers', '/2019-09-25/functions',
    '/2019-09-30/functions', '/2020-04-22/code-signing-configs', '/2020-06-30/functions', '/2021-07-20/functions',
    '/2021-10-31/functions', '/2021-11-15/functions', '/2024-08-31/functions', '/2025-11-30/capacity-providers',
    '/2025-11-30/functions', '/2025-12-01/durable-execution-callbacks', '/2025-12-01/durable-executions', '/2025-12-01/functions'],
  consoleCatalog: lambdaConsoleCatalog,
}
