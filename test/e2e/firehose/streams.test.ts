// The control plane with @aws-sdk/client-firehose: create (extended and legacy S3), CREATING →
// ACTIVE on the clock, describe, list with pagination, delete, UpdateDestination's version check,
// tags, encryption on the clock, and AWS's errors for bad input and unsupported destinations.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand, DescribeDeliveryStreamCommand, ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand, PutRecordCommand, StartDeliveryStreamEncryptionCommand, StopDeliveryStreamEncryptionCommand,
  TagDeliveryStreamCommand, UntagDeliveryStreamCommand, UpdateDestinationCommand,
} from '@aws-sdk/client-firehose'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const s3Config = (bucket = 'b') => ({ RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}` })

describe('Firehose delivery streams', () => {
  it('creates a stream CREATING, ACTIVE 5 s later on the clock, described with AWS defaults under both S3 keys', async () => {
    const { firehose } = clients(nimbus.current)
    const name = uniqueName('create')
    const created = await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Config() }))
    assert.equal(created.DeliveryStreamARN, `arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`)
    const first = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(first.DeliveryStreamStatus, 'CREATING')
    assert.equal(first.DeliveryStreamType, 'DirectPut')
    assert.equal(first.VersionId, '1')
    assert.equal(first.CreateTimestamp?.getTime(), nimbus.current.clock.now())
    assert.equal(first.HasMoreDestinations, false)
    assert.deepEqual(first.DeliveryStreamEncryptionConfiguration, { Status: 'DISABLED' })
    const destination = first.Destinations![0]!
    assert.equal(destination.DestinationId, 'destinationId-000000000001')
    assert.deepEqual(destination.ExtendedS3DestinationDescription, {
      ...s3Config(), BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 }, CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' }, CloudWatchLoggingOptions: { Enabled: false }, S3BackupMode: 'Disabled',
    })
    assert.equal(destination.S3DestinationDescription?.BucketARN, 'arn:aws:s3:::b')
    const early = await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('x') } })))
    assert.equal(early.name, 'ResourceNotFoundException')
    await advance(nimbus.current, 4_999)
    assert.equal((await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!.DeliveryStreamStatus, 'CREATING')
    await advance(nimbus.current, 1)
    assert.equal((await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!.DeliveryStreamStatus, 'ACTIVE')
    const put = await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('x') } }))
    assert.ok(put.RecordId !== undefined && put.RecordId.length > 20)
    assert.equal(put.Encrypted, false)
  })

  it('accepts the legacy S3DestinationConfiguration and rejects a taken name', async () => {
    const { firehose } = clients(nimbus.current)
    const name = uniqueName('legacy')
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, S3DestinationConfiguration: { ...s3Config(), CompressionFormat: 'GZIP' } }))
    const d = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(d.Destinations![0]!.S3DestinationDescription?.CompressionFormat, 'GZIP')
    const again = await sdkError(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, S3DestinationConfiguration: s3Config() })))
    assert.deepEqual(again, { name: 'ResourceInUseException', message: `Firehose ${name} under accountId 000000000000 already exists.`, status: 400 })
  })

  it('lists names in order with Limit, ExclusiveStartDeliveryStreamName and HasMoreDeliveryStreams; deletes', async () => {
    const { firehose } = clients(nimbus.current)
    const prefix = uniqueName('list')
    for (const n of ['c', 'a', 'b']) {
      await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: `${prefix}-${n}`, ExtendedS3DestinationConfiguration: s3Config() }))
    }
    const all = (await firehose.send(new ListDeliveryStreamsCommand({ Limit: 10_000 }))).DeliveryStreamNames!.filter((n) => n.startsWith(prefix))
    assert.deepEqual(all, [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`])
    const page = await firehose.send(new ListDeliveryStreamsCommand({ Limit: 1, ExclusiveStartDeliveryStreamName: `${prefix}-a` }))
    assert.deepEqual(page.DeliveryStreamNames, [`${prefix}-b`])
    assert.equal(page.HasMoreDeliveryStreams, true)
    const last = await firehose.send(new ListDeliveryStreamsCommand({ ExclusiveStartDeliveryStreamName: `${prefix}-b` }))
    assert.ok(last.DeliveryStreamNames!.includes(`${prefix}-c`))
    await advance(nimbus.current, 5_000) // ACTIVE: a stream still CREATING can't be deleted (user-pass.test.ts)
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: `${prefix}-b` }))
    // AWS: a deleted stream "goes into the DELETING state" first; it is still listed and its name is taken.
    const deleting = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: `${prefix}-b` }))).DeliveryStreamDescription!
    assert.equal(deleting.DeliveryStreamStatus, 'DELETING')
    assert.ok((await firehose.send(new ListDeliveryStreamsCommand({ Limit: 10_000 }))).DeliveryStreamNames!.includes(`${prefix}-b`))
    const taken = await sdkError(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: `${prefix}-b`, ExtendedS3DestinationConfiguration: s3Config() })))
    assert.equal(taken.name, 'ResourceInUseException')
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: `${prefix}-b` }))
    const refused = await sdkError(firehose.send(new PutRecordCommand({ DeliveryStreamName: `${prefix}-b`, Record: { Data: Buffer.from('x') } })))
    assert.equal(refused.name, 'ResourceNotFoundException')
    await advance(nimbus.current, 5_000)
    assert.ok(!(await firehose.send(new ListDeliveryStreamsCommand({ Limit: 10_000 }))).DeliveryStreamNames!.includes(`${prefix}-b`))
    const gone = await sdkError(firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: `${prefix}-b` })))
    assert.deepEqual(gone, { name: 'ResourceNotFoundException', message: `Firehose ${prefix}-b under account 000000000000 not found.`, status: 400 })
  })

  it('UpdateDestination checks CurrentDeliveryStreamVersionId and bumps the version', async () => {
    const { firehose } = clients(nimbus.current)
    const name = uniqueName('update')
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Config() }))
    const update = (version: string) => firehose.send(new UpdateDestinationCommand({
      DeliveryStreamName: name, CurrentDeliveryStreamVersionId: version, DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 }, CompressionFormat: 'Snappy' },
    }))
    await update('1')
    const stale = await sdkError(update('1'))
    assert.equal(stale.name, 'ConcurrentModificationException')
    assert.equal(stale.status, 400)
    const d = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!
    assert.equal(d.VersionId, '2')
    assert.ok(d.LastUpdateTimestamp instanceof Date)
    const s3 = d.Destinations![0]!.ExtendedS3DestinationDescription!
    assert.deepEqual(s3.BufferingHints, { SizeInMBs: 64, IntervalInSeconds: 0 })
    assert.equal(s3.CompressionFormat, 'Snappy')
    assert.equal(s3.BucketARN, 'arn:aws:s3:::b', 'what the update leaves out is kept')
  })

  it('tags: add, replace, list in pages, remove', async () => {
    const { firehose } = clients(nimbus.current)
    const name = uniqueName('tags')
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Config(), Tags: [{ Key: 'b', Value: '1' }] }))
    await firehose.send(new TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }))
    const page = await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name, Limit: 1 }))
    assert.deepEqual(page.Tags, [{ Key: 'a', Value: '2' }])
    assert.equal(page.HasMoreTags, true)
    const rest = await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name, ExclusiveStartTagKey: 'a' }))
    assert.deepEqual(rest.Tags, [{ Key: 'b', Value: '3' }])
    await firehose.send(new UntagDeliveryStreamCommand({ DeliveryStreamName: name, TagKeys: ['a'] }))
    assert.deepEqual((await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: name }))).Tags, [{ Key: 'b', Value: '3' }])
    const reserved = await sdkError(firehose.send(new TagDeliveryStreamCommand({ DeliveryStreamName: name, Tags: [{ Key: 'aws:x', Value: '1' }] })))
    assert.equal(reserved.name, 'ValidationException')
  })

  it('encryption: ENABLING → ENABLED and DISABLING → DISABLED on the clock; Encrypted on puts', async () => {
    const { firehose } = clients(nimbus.current)
    const name = uniqueName('enc')
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: s3Config() }))
    const encryption = async () =>
      (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!.DeliveryStreamEncryptionConfiguration
    const key = 'arn:aws:kms:us-east-1:000000000000:key/abc'
    await firehose.send(new StartDeliveryStreamEncryptionCommand({
      DeliveryStreamName: name, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: key },
    }))
    assert.deepEqual(await encryption(), { KeyARN: key, KeyType: 'CUSTOMER_MANAGED_CMK', Status: 'ENABLING' })
    await advance(nimbus.current, 5_000)
    assert.equal((await encryption())?.Status, 'ENABLED')
    const put = await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('x') } }))
    assert.equal(put.Encrypted, true)
    await firehose.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName: name }))
    assert.equal((await encryption())?.Status, 'DISABLING')
    await advance(nimbus.current, 5_000)
    assert.deepEqual(await encryption(), { Status: 'DISABLED' })
    const noKey = await sdkError(firehose.send(new StartDeliveryStreamEncryptionCommand({
      DeliveryStreamName: name, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' },
    })))
    assert.equal(noKey.name, 'InvalidArgumentException')
  })
})
