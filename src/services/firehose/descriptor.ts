// What identifies Amazon Data Firehose to the gateway before its code loads (services/lazy.ts).
import type { ServiceDescriptor } from '../service.ts'

export const firehoseDescriptor: ServiceDescriptor = {
  name: 'firehose',
  signingName: 'firehose',
  protocols: ['json'],
  targetPrefix: 'Firehose_20150804',
  apiVersion: '2015-08-04',
}
