// What identifies SNS to the gateway before its code loads (services/lazy.ts). A query request
// naming SNS's version, or an unversioned one (a SubscribeURL, an UnsubscribeURL) whose Action
// only SNS has, loads it.
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const snsConsoleCatalog: ConsoleCatalog = {
  label: 'SNS',
  resourceTypes: [
    { type: 'topic', label: 'Topics', columns: [{ key: 'kind', label: 'Type' }, { key: 'subscriptions', label: 'Subscriptions' },
      { key: 'displayName', label: 'Display name' }] },
    { type: 'subscription', label: 'Subscriptions', columns: [{ key: 'protocol', label: 'Protocol' }, { key: 'endpoint', label: 'Endpoint' },
      { key: 'topic', label: 'Topic' }, { key: 'status', label: 'Status' }, { key: 'filtered', label: 'Filter policy' }] },
  ],
}

export const snsDescriptor: ServiceDescriptor = {
  name: 'sns',
  signingName: 'sns',
  protocols: ['query'],
  apiVersion: '2010-03-31',
  consoleCatalog: snsConsoleCatalog,
}
