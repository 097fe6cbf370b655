// What identifies SNS to the gateway before its code loads (services/lazy.ts). A query request
// naming SNS's version, or an unversioned one (a SubscribeURL, an UnsubscribeURL) whose Action
// only SNS has, loads it.
import type { ServiceDescriptor } from '../service.ts'

export const snsDescriptor: ServiceDescriptor = {
  name: 'sns',
  signingName: 'sns',
  protocols: ['query'],
  apiVersion: '2010-03-31',
}
