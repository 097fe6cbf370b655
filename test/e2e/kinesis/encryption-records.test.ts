// Server-side encryption applies to records by when they were written, as AWS documents it
// (StartStreamEncryption: "Once the status of the stream is ACTIVE, encryption begins for records
// written to the stream"; StopStreamEncryption: once ACTIVE, "records written to the stream are no
// longer encrypted"). PutRecord/PutRecords answer the record's own EncryptionType, and GetRecords and
// SubscribeToShard show `EncryptionType: KMS` only on the records that were written encrypted —
// also after a restart on the same data dir. And a key may be applied 25 times in a rolling 24 hours.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, PutRecordCommand, PutRecordsCommand,
  StartStreamEncryptionCommand, StopStreamEncryptionCommand,
} from '@aws-sdk/client-kinesis'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

const put = async (k: KinesisClient, name: string, data: string) =>
  (await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from(data) }))).EncryptionType

/** Every record of the stream's one shard: its data and the EncryptionType GetRecords gives it. */
async function readAll(k: KinesisClient, name: string): Promise<[string, string | undefined][]> {
  const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
  const { Records } = await k.send(new GetRecordsCommand({ ShardIterator }))
  return Records!.map((r) => [Buffer.from(r.Data!).toString(), r.EncryptionType])
}

describe('server-side encryption, record by record', () => {
  it('encrypts what is written once ACTIVE again, and keeps earlier records as they were written', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    assert.equal(await put(k, name, 'before'), 'NONE')
    await k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }))
    // UPDATING: writes go on, not yet encrypted.
    assert.equal(await put(k, name, 'updating'), 'NONE')
    await advance(nimbus.current, 500)
    assert.equal(await put(k, name, 'encrypted'), 'KMS')
    const batch = await k.send(new PutRecordsCommand({ StreamName: name, Records: [{ PartitionKey: 'p', Data: Buffer.from('batch') }] }))
    assert.equal(batch.EncryptionType, 'KMS')
    // A new key on an encrypted stream: records go on being encrypted, UPDATING included.
    await k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/other' }))
    assert.equal(await put(k, name, 'rekeying'), 'KMS')
    await advance(nimbus.current, 500)
    await k.send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/other' }))
    // Still encrypted until the stream is ACTIVE again.
    assert.equal(await put(k, name, 'stopping'), 'KMS')
    await advance(nimbus.current, 500)
    assert.equal(await put(k, name, 'after'), 'NONE')
    assert.deepEqual(await readAll(k, name), [
      ['before', undefined], ['updating', undefined], ['encrypted', 'KMS'], ['batch', 'KMS'], ['rekeying', 'KMS'],
      ['stopping', 'KMS'], ['after', undefined],
    ])
  })

  it('remembers which records were encrypted across a restart on the same data dir', async () => {
    const durable = await durableNimbus('kinesis-encryption')
    let k = kinesisClient(durable.nimbus)
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }))
    await advance(durable.nimbus, 500)
    await put(k, name, 'plain')
    await k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }))
    await advance(durable.nimbus, 500)
    await put(k, name, 'secret')
    await durable.restart()
    k = kinesisClient(durable.nimbus)
    assert.equal(await put(k, name, 'secret too'), 'KMS')
    assert.deepEqual(await readAll(k, name), [['plain', undefined], ['secret', 'KMS'], ['secret too', 'KMS']])
    await durable.stop()
  })
})

describe('StartStreamEncryption: 25 keys a rolling 24 hours', () => {
  it('the 26th within 24 hours of the clock is LimitExceededException; a day after the first, one more goes through', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    for (let i = 0; i < 25; i++) {
      await k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: `alias/key-${i}` }))
      await advance(nimbus.current, 60_000)
    }
    const refused = await sdkError(k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/one-more' })))
    assert.deepEqual(refused, { name: 'LimitExceededException', status: 400,
      message: `Stream ${name} under account 000000000000 has already had a KMS key applied 25 times in the last 24 hours.` })
    // Stopping isn't applying a key.
    await k.send(new StopStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/key-24' }))
    await advance(nimbus.current, 24 * 3_600_000 - 25 * 60_000 + 1)
    await k.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: 'KMS', KeyId: 'alias/one-more' }))
  })
})
