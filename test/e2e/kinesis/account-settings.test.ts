// The account's minimum throughput billing commitment (Describe/UpdateAccountSettings: 24 hours at
// least, a disable before then pending until the earliest end, on the clock) and on-demand warm
// throughput (CreateStream's WarmThroughputMiBps, UpdateStreamWarmThroughput: UPDATING, then current
// reaches target), with @aws-sdk/client-kinesis; both kept across a restart on a data dir.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateStreamCommand, DescribeAccountSettingsCommand, DescribeStreamSummaryCommand, PutRecordCommand, UpdateAccountSettingsCommand,
  UpdateStreamModeCommand, UpdateStreamWarmThroughputCommand,
} from '@aws-sdk/client-kinesis'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { activeStream, kinesisClient, streamArn } from '../../helpers/kinesis.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const hour = 3_600_000

describe('account settings: minimum throughput billing commitment', () => {
  it('DISABLED to start; enabled for at least 24 hours of the clock; a disable before then ends it at the earliest end', async () => {
    // Each region has its own settings: this test's region is its own.
    const k = kinesisClient(nimbus.current, 'eu-central-1')
    assert.deepEqual((await k.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment, { Status: 'DISABLED' })
    const start = nimbus.current.clock.now()
    const enabled = await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }))
    assert.deepEqual(enabled.MinimumThroughputBillingCommitment, {
      Status: 'ENABLED', StartedAt: new Date(start), EarliestAllowedEndAt: new Date(start + 24 * hour) })
    await advance(nimbus.current, hour)
    const pending = await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'DISABLED' } }))
    assert.equal(pending.MinimumThroughputBillingCommitment!.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END')
    // Enabling again cancels the pending disable (the commitment keeps its start).
    const again = await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }))
    assert.deepEqual(again.MinimumThroughputBillingCommitment, {
      Status: 'ENABLED', StartedAt: new Date(start), EarliestAllowedEndAt: new Date(start + 24 * hour) })
    await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'DISABLED' } }))
    await advance(nimbus.current, 23 * hour)
    assert.deepEqual((await k.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment, {
      Status: 'DISABLED', StartedAt: new Date(start), EndedAt: new Date(start + 24 * hour), EarliestAllowedEndAt: new Date(start + 24 * hour) })
    // Another region of the same account is untouched.
    const other = kinesisClient(nimbus.current, 'eu-north-1')
    assert.equal((await other.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment!.Status, 'DISABLED')
    // After the 24 hours a disable is immediate.
    const later = nimbus.current.clock.now()
    await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }))
    await advance(nimbus.current, 25 * hour)
    const off = await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'DISABLED' } }))
    assert.deepEqual(off.MinimumThroughputBillingCommitment, { Status: 'DISABLED', StartedAt: new Date(later),
      EarliestAllowedEndAt: new Date(later + 24 * hour), EndedAt: new Date(later + 25 * hour) })
  })

  it('an unknown status is the model\'s ValidationException', async () => {
    const k = kinesisClient(nimbus.current)
    const bad = await sdkError(k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'PAUSED' as 'ENABLED' } })))
    assert.equal(bad.name, 'ValidationException')
    assert.match(bad.message, /Value 'PAUSED' at 'minimumThroughputBillingCommitment.status' failed to satisfy constraint: Member must satisfy enum value set/)
  })
})

describe('warm throughput (on-demand streams in an account with the commitment)', () => {
  it('needs an ON_DEMAND stream and the commitment; UPDATING until current reaches target; shown by DescribeStreamSummary', async () => {
    const k = kinesisClient(nimbus.current, 'ap-south-1')
    const provisioned = await activeStream(nimbus.current, k)
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }))
    await advance(nimbus.current, 500)
    const arn = streamArn(name, 'ap-south-1')
    const noCommitment = await sdkError(k.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: 100 })))
    assert.equal(noCommitment.name, 'InvalidArgumentException')
    const noWarmCreate = await sdkError(k.send(new CreateStreamCommand({ StreamName: uniqueName('ks'),
      StreamModeDetails: { StreamMode: 'ON_DEMAND' }, WarmThroughputMiBps: 10 })))
    assert.equal(noWarmCreate.name, 'InvalidArgumentException')
    await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }))
    const onProvisioned = await sdkError(k.send(new UpdateStreamWarmThroughputCommand({ StreamName: provisioned, WarmThroughputMiBps: 100 })))
    assert.equal(onProvisioned.name, 'InvalidArgumentException')
    const tooMuch = await sdkError(k.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: 10_241 })))
    assert.equal(tooMuch.name, 'LimitExceededException')
    const negative = await sdkError(k.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: -1 })))
    assert.equal(negative.message, "1 validation error detected: Value '-1' at 'warmThroughputMiBps' failed to satisfy constraint: " +
      'Member must have value greater than or equal to 0')

    const updated = await k.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: 100 }))
    assert.deepEqual([updated.StreamName, updated.StreamARN, updated.WarmThroughput], [name, arn, { TargetMiBps: 100, CurrentMiBps: 0 }])
    let summary = (await k.send(new DescribeStreamSummaryCommand({ StreamARN: arn }))).StreamDescriptionSummary!
    assert.deepEqual([summary.StreamStatus, summary.WarmThroughput], ['UPDATING', { TargetMiBps: 100, CurrentMiBps: 0 }])
    // Reads and writes go on while it scales; another change waits for ACTIVE.
    await k.send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'k', Data: Buffer.from('x') }))
    const busy = await sdkError(k.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: 50 })))
    assert.equal(busy.name, 'ResourceInUseException')
    await advance(nimbus.current, 500)
    summary = (await k.send(new DescribeStreamSummaryCommand({ StreamARN: arn }))).StreamDescriptionSummary!
    assert.deepEqual([summary.StreamStatus, summary.WarmThroughput], ['ACTIVE', { TargetMiBps: 100, CurrentMiBps: 100 }])
    // Releasing capacity: the same call with a lower value.
    const lower = await k.send(new UpdateStreamWarmThroughputCommand({ StreamARN: arn, WarmThroughputMiBps: 20 }))
    assert.deepEqual(lower.WarmThroughput, { TargetMiBps: 20, CurrentMiBps: 100 })

    // CreateStream's WarmThroughputMiBps: reached when the stream is ACTIVE.
    const warm = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: warm, StreamModeDetails: { StreamMode: 'ON_DEMAND' }, WarmThroughputMiBps: 40 }))
    await advance(nimbus.current, 500)
    summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: warm }))).StreamDescriptionSummary!
    assert.deepEqual(summary.WarmThroughput, { TargetMiBps: 40, CurrentMiBps: 40 })
    // A stream without warm throughput shows none.
    summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: provisioned }))).StreamDescriptionSummary!
    assert.equal(summary.WarmThroughput, undefined)
    // UpdateStreamMode's WarmThroughputMiBps: only with a switch to ON_DEMAND, reached when the stream is ACTIVE.
    const toProvisioned = await sdkError(k.send(new UpdateStreamModeCommand({ StreamARN: arn, StreamModeDetails: { StreamMode: 'PROVISIONED' },
      WarmThroughputMiBps: 10 })))
    assert.equal(toProvisioned.name, 'InvalidArgumentException')
    await k.send(new UpdateStreamModeCommand({ StreamARN: streamArn(provisioned, 'ap-south-1'), StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      WarmThroughputMiBps: 30 }))
    await advance(nimbus.current, 500)
    summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: provisioned }))).StreamDescriptionSummary!
    assert.deepEqual([summary.StreamStatus, summary.WarmThroughput], ['ACTIVE', { TargetMiBps: 30, CurrentMiBps: 30 }])
  })
})

describe('on a data dir', () => {
  it('the commitment and a stream\'s warm throughput survive a restart', async () => {
    const n = await durableNimbus('kinesis-settings')
    let k = kinesisClient(n.nimbus)
    const start = n.nimbus.clock.now()
    await k.send(new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }))
    const name = uniqueName('ks')
    await k.send(new CreateStreamCommand({ StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' }, WarmThroughputMiBps: 64 }))
    await advance(n.nimbus, 500)
    k.destroy()
    await n.restart()
    k = kinesisClient(n.nimbus)
    try {
      const settings = (await k.send(new DescribeAccountSettingsCommand({}))).MinimumThroughputBillingCommitment!
      assert.deepEqual([settings.Status, settings.StartedAt], ['ENABLED', new Date(start)])
      const summary = (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!
      assert.deepEqual(summary.WarmThroughput, { TargetMiBps: 64, CurrentMiBps: 64 })
    } finally {
      k.destroy()
    }
  })
})
