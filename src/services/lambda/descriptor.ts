// What identifies Lambda to the gateway before its code loads (services/lazy.ts): the control
// plane loads on the first Lambda request or the first call on its port (SNS, S3, EventBridge).
import type { ServiceDescriptor } from '../service.ts'

export const lambdaDescriptor: ServiceDescriptor = {
  name: 'lambda',
  signingName: 'lambda',
  protocols: ['rest-json'],
  apiVersion: '2015-03-31',
  // Unsigned requests (presigned or hand-made) are told apart by their versioned path.
  pathPrefixes: ['/2015-03-31/functions', '/2014-11-13/functions', '/2016-08-19/account-settings', '/2017-03-31/tags',
    '/2017-10-31/functions', '/2018-10-31/layers', '/2019-09-25/functions', '/2019-09-30/functions', '/2015-03-31/event-source-mappings'],
}
