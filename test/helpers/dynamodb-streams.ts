// A DynamoDB Streams SDK client for a test Nimbus, and reading a stream's one shard from an iterator type.
import { DynamoDBStreamsClient, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials } from './nimbus.ts'

export function streamsClient(nimbus: Nimbus, region = 'us-east-1'): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** Every record of the stream's shard from TRIM_HORIZON (one GetRecords page). */
export async function allRecords(client: DynamoDBStreamsClient, StreamArn: string): Promise<_Record[]> {
  const shard = (await client.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription!.Shards![0]!
  const it = await client.send(new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))
  return (await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records ?? []
}
