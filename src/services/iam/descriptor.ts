// What identifies IAM to the gateway before its code loads (services/lazy.ts): query requests
// signed for `iam` or carrying Version 2010-05-08. IAM is global: clients sign for us-east-1.
import type { ServiceDescriptor } from '../service.ts'

export const iamDescriptor: ServiceDescriptor = {
  name: 'iam',
  signingName: 'iam',
  protocols: ['query'],
  apiVersion: '2010-05-08',
}
