// What identifies DynamoDB to the gateway before its code loads (services/lazy.ts).
import type { ServiceDescriptor } from '../service.ts'

export const dynamodbDescriptor: ServiceDescriptor = {
  name: 'dynamodb',
  signingName: 'dynamodb',
  protocols: ['json'],
  targetPrefix: 'DynamoDB_20120810',
  apiVersion: '2012-08-10',
}
