// What identifies EC2 Auto Scaling to the gateway before its code loads (services/lazy.ts): query
// requests signed for `autoscaling` or carrying Version 2011-01-01.
import type { ServiceDescriptor } from '../service.ts'

export const autoScalingDescriptor: ServiceDescriptor = {
  name: 'autoscaling',
  signingName: 'autoscaling',
  // Auto Scaling speaks only awsQuery (botocore 1.43 and SDK v3 3.11xx alike).
  protocols: ['query'],
  apiVersion: '2011-01-01',
}
