// What identifies DynamoDB to the gateway before its code loads (services/lazy.ts).
import type { ConsoleCatalog } from '../console-view.ts'
import type { ServiceDescriptor } from '../service.ts'

/** What the web console lists of it (services/console-view.ts): known before the service loads. */
export const dynamodbConsoleCatalog: ConsoleCatalog = {
  label: 'DynamoDB',
  resourceTypes: [{ type: 'table', label: 'Tables', columns: [{ key: 'status', label: 'Status' }, { key: 'items', label: 'Items' },
    { key: 'partitionKey', label: 'Partition key' }, { key: 'sortKey', label: 'Sort key' }, { key: 'billing', label: 'Billing' },
    { key: 'created', label: 'Created' }] }],
}

export const dynamodbDescriptor: ServiceDescriptor = {
  name: 'dynamodb',
  signingName: 'dynamodb',
  protocols: ['json'],
  targetPrefix: 'DynamoDB_20120810',
  apiVersion: '2012-08-10',
  consoleCatalog: dynamodbConsoleCatalog,
}
