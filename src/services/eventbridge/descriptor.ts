// What identifies EventBridge to the gateway before its code loads (services/lazy.ts).
import type { ServiceDescriptor } from '../service.ts'

export const eventBridgeDescriptor: ServiceDescriptor = {
  name: 'eventbridge',
  signingName: 'events',
  protocols: ['json'],
  targetPrefix: 'AWSEvents',
  apiVersion: '2015-10-07',
}
