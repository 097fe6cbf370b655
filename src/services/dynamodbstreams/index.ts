// DynamoDB Streams: the API that reads DynamoDB's table streams (kept by DynamoDB, read through its port).
import { ServiceModel } from '../../protocol/model.ts'
import type { DynamoDbPort } from '../dynamodb/port.ts'
import { defineService, type OperationTable, type ServiceDefinition } from '../service.ts'
import { dynamodbStreamsDescriptor } from './descriptor.ts'
import { streamsErrors } from './errors.ts'
import { model } from './generated/model.ts'
import type { DynamoDbStreamsOperations } from './generated/types.ts'
import { streamOperations } from './operations.ts'

export interface DynamoDbStreamsDeps {
  dynamodb: DynamoDbPort
}

/** Stateless: the streams and their records are DynamoDB's (durable with its rows). */
export function createDynamoDbStreams(deps: DynamoDbStreamsDeps): { definition: ServiceDefinition; port: Record<string, never> } {
  const operations = streamOperations(deps.dynamodb) satisfies OperationTable<DynamoDbStreamsOperations>
  const definition = defineService({
    name: dynamodbStreamsDescriptor.name,
    signingName: dynamodbStreamsDescriptor.signingName,
    model: new ServiceModel(model),
    protocols: dynamodbStreamsDescriptor.protocols,
    operations,
    errors: { missingParameter: streamsErrors.missingParameter },
    reset: () => {},
    stop: () => {},
    health: () => ({ status: 'running' }),
  })
  return { definition, port: {} }
}
