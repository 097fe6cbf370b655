// A DynamoDB SDK client for a test Nimbus, and creating tables that are ACTIVE (the clock moved past CREATING).
import { type CreateTableCommandInput, CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Nimbus } from '../../src/index.ts'
import { advance, testCredentials, uniqueName } from './nimbus.ts'

export function dynamoClient(nimbus: Nimbus, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** Tables stay CREATING this long on the clock (src/services/dynamodb/limits.ts). */
export const transitionMs = 1_000

/** A hash (S) + range (N) table, or the given definition, created and made ACTIVE; returns its name. */
export async function activeTable(nimbus: Nimbus, client: DynamoDBClient, input: Partial<CreateTableCommandInput> = {}): Promise<string> {
  const TableName = input.TableName ?? uniqueName('t')
  await client.send(new CreateTableCommand({
    TableName,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...input,
  }))
  await advance(nimbus, transitionMs)
  return TableName
}
