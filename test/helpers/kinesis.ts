// Kinesis test helpers: a client for a started Nimbus, and streams made ACTIVE by stepping the clock.
import { CreateStreamCommand, KinesisClient, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis'
import type { Nimbus } from '../../src/index.ts'
import { advance, testCredentials, uniqueName } from './nimbus.ts'

export function kinesisClient(nimbus: Nimbus, region = 'us-east-1'): KinesisClient {
  return new KinesisClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** CREATING lasts 500 ms of the clock: creates the stream and steps past it. */
export async function activeStream(nimbus: Nimbus, client: KinesisClient, shards = 1, name = uniqueName('ks')): Promise<string> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }))
  await advance(nimbus, 500)
  return name
}

export const streamArn = (name: string, region = 'us-east-1', account = '000000000000'): string =>
  `arn:aws:kinesis:${region}:${account}:stream/${name}`

/** The stream's open shards (no EndingSequenceNumber), every ListShards page. */
export async function openShards(k: KinesisClient, name: string): Promise<Shard[]> {
  const all: Shard[] = []
  let token: string | undefined
  do {
    const page = await k.send(new ListShardsCommand(token === undefined ? { StreamName: name } : { NextToken: token }))
    all.push(...page.Shards!)
    token = page.NextToken
  } while (token !== undefined)
  return all.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined)
}
