// What identifies CloudWatch Logs to the gateway before its code loads (services/lazy.ts).
import type { ServiceDescriptor } from '../service.ts'

export const logsDescriptor: ServiceDescriptor = {
  name: 'logs',
  signingName: 'logs',
  protocols: ['json'],
  targetPrefix: 'Logs_20140328',
  apiVersion: '2014-03-28',
}
