// What identifies EC2 to the gateway before its code loads (services/lazy.ts).
import type { ServiceDescriptor } from '../service.ts'

export const ec2Descriptor: ServiceDescriptor = {
  name: 'ec2',
  signingName: 'ec2',
  protocols: ['ec2'],
  apiVersion: '2016-11-15',
}
