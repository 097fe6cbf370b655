// What identifies DynamoDB Streams to the gateway before its code loads (services/lazy.ts). It shares
// DynamoDB's signing name; the gateway tells the two apart by the X-Amz-Target prefix.
import type { ServiceDescriptor } from '../service.ts'

export const dynamodbStreamsDescriptor: ServiceDescriptor = {
  name: 'dynamodbstreams',
  signingName: 'dynamodb',
  protocols: ['json'],
  targetPrefix: 'DynamoDBStreams_20120810',
  apiVersion: '2012-08-10',
}
