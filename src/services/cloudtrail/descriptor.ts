// What identifies CloudTrail to the gateway before its code loads (services/lazy.ts).
import type { ServiceDescriptor } from '../service.ts'

export const cloudTrailDescriptor: ServiceDescriptor = {
  name: 'cloudtrail',
  signingName: 'cloudtrail',
  protocols: ['json'],
  targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
  apiVersion: '2013-11-01',
}
