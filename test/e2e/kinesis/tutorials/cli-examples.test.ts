// The AWS CLI's Kinesis examples (the CLI reference's "Examples" for each command), run with the CLI
// (v1, botocore's JSON 1.1 client) on the manual clock, their outputs compared with the documented
// ones: put-records with the shorthand records, enable/disable-enhanced-monitoring, increase/decrease
// -stream-retention-period (and the decrease that would lengthen it), start/stop-stream-encryption
// with the AWS-managed key, describe-limits and list-streams.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { awsCli, awsCliError } from '../../../helpers/aws-cli.ts'
import { advance, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()
const aws = <T = Record<string, unknown>>(...args: string[]) => awsCli<T>(nimbus.current, ...args)

describe('AWS CLI examples for Kinesis', () => {
  it('runs the documented commands and answers their documented shapes', async () => {
    const name = uniqueName('samplestream')
    await aws('kinesis', 'create-stream', '--stream-name', name, '--shard-count', '3')
    await advance(nimbus.current, 500)

    const put = await aws<{ FailedRecordCount: number; Records: Array<{ SequenceNumber: string; ShardId: string }>; EncryptionType: string }>(
      'kinesis', 'put-records', '--stream-name', name, '--records',
      'Data=blob1,PartitionKey=partitionkey1', 'Data=blob2,PartitionKey=partitionkey2', 'Data=blob3,PartitionKey=partitionkey3')
    assert.equal(put.FailedRecordCount, 0)
    assert.equal(put.Records.length, 3)
    for (const r of put.Records) assert.deepEqual(Object.keys(r).sort(), ['SequenceNumber', 'ShardId'])

    const enabled = await aws('kinesis', 'enable-enhanced-monitoring', '--stream-name', name, '--shard-level-metrics', 'IncomingBytes', 'OutgoingBytes')
    assert.deepEqual({ ...enabled, StreamARN: undefined }, {
      StreamName: name, CurrentShardLevelMetrics: [], DesiredShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'], StreamARN: undefined,
    })
    const disabled = await aws('kinesis', 'disable-enhanced-monitoring', '--stream-name', name, '--shard-level-metrics', 'OutgoingBytes')
    assert.deepEqual([disabled.CurrentShardLevelMetrics, disabled.DesiredShardLevelMetrics], [['IncomingBytes', 'OutgoingBytes'], ['IncomingBytes']])

    // Retention: the examples raise it to 48 hours and bring it back; a "decrease" to more is refused.
    assert.deepEqual(await aws('kinesis', 'increase-stream-retention-period', '--stream-name', name, '--retention-period-hours', '48'), {})
    const summary = async () => (await aws<{ StreamDescriptionSummary: Record<string, unknown> }>('kinesis', 'describe-stream-summary', '--stream-name', name))
      .StreamDescriptionSummary
    assert.equal((await summary()).RetentionPeriodHours, 48)
    assert.match(await awsCliError(nimbus.current, 'kinesis', 'decrease-stream-retention-period', '--stream-name', name, '--retention-period-hours', '72'),
      /InvalidArgumentException/)
    assert.deepEqual(await aws('kinesis', 'decrease-stream-retention-period', '--stream-name', name, '--retention-period-hours', '24'), {})
    assert.equal((await summary()).RetentionPeriodHours, 24)

    // Encryption with the AWS-managed key, as the example gives it; UPDATING while it is applied.
    assert.deepEqual(await aws('kinesis', 'start-stream-encryption', '--encryption-type', 'KMS', '--key-id', 'alias/aws/kinesis', '--stream-name', name), {})
    assert.equal((await summary()).StreamStatus, 'UPDATING')
    await advance(nimbus.current, 500)
    const encrypted = await summary()
    assert.deepEqual([encrypted.StreamStatus, encrypted.EncryptionType, encrypted.KeyId], ['ACTIVE', 'KMS', 'alias/aws/kinesis'])
    const after = await aws<{ EncryptionType: string }>('kinesis', 'put-record', '--stream-name', name, '--partition-key', 'k', '--data', 'secret')
    assert.equal(after.EncryptionType, 'KMS')
    assert.deepEqual(await aws('kinesis', 'stop-stream-encryption', '--encryption-type', 'KMS', '--key-id', 'alias/aws/kinesis', '--stream-name', name), {})
    await advance(nimbus.current, 500)
    assert.equal((await summary()).EncryptionType, 'NONE')

    const limits = await aws<Record<string, number>>('kinesis', 'describe-limits')
    assert.deepEqual(Object.keys(limits).sort(), ['OnDemandStreamCount', 'OnDemandStreamCountLimit', 'OpenShardCount', 'ShardLimit'])
    assert.ok(limits.OpenShardCount! >= 3)
    const listed = await aws<{ StreamNames: string[] }>('kinesis', 'list-streams')
    assert.ok(listed.StreamNames.includes(name))
  })
})
