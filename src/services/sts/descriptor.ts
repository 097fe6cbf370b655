// What identifies STS to the gateway before its code loads (services/lazy.ts): query requests
// signed for `sts` or carrying Version 2011-06-15.
import type { ServiceDescriptor } from '../service.ts'

export const stsDescriptor: ServiceDescriptor = {
  name: 'sts',
  signingName: 'sts',
  protocols: ['query'],
  apiVersion: '2011-06-15',
}
