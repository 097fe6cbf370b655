// AWS/Logs metrics on the manual clock: IncomingBytes/IncomingLogEvents per LogGroupName and for the
// account, and a subscription filter's ForwardedLogEvents/ForwardedBytes and DeliveryErrors per
// LogGroupName, DestinationType and FilterName.
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import { GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch'
import { PutLogEventsCommand, PutSubscriptionFilterCommand } from '@aws-sdk/client-cloudwatch-logs'
import { CreateStreamCommand, DeleteStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis'
import { advanceTo, cloudWatchClient, minuteNow } from '../../helpers/cloudwatch.ts'
import { logsClient, newStream } from '../../helpers/logs.ts'
import { advance, testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const minute = 60_000
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`

async function sums(metric: string, dimensions: { Name: string; Value: string }[], start: number): Promise<number[]> {
  const out = await cloudWatchClient(nimbus.current).send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/Logs', MetricName: metric, Dimensions: dimensions, StartTime: new Date(start), EndTime: new Date(start + 5 * minute),
    Period: 60, Statistics: ['Sum'],
  }))
  return out.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()).map((d) => d.Sum!)
}

describe('AWS/Logs metrics', () => {
  it('counts incoming events and bytes per group and account, and what a subscription filter forwarded or failed to', async () => {
    const logs = logsClient(nimbus.current)
    const kinesis = new KinesisClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const stream = uniqueName('cwl-metrics')
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(nimbus.current, 500)
    const { group, stream: logStream } = await newStream(logs, '/app/metrics')
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', destinationArn: streamArn(stream),
      roleArn: 'arn:aws:iam::000000000000:role/cwl-to-kinesis' }))
    const t = minuteNow(nimbus.current) + minute
    await advanceTo(nimbus.current, t + 1000)
    const before = await sums('IncomingLogEvents', [], t)
    const now = nimbus.current.clock.now()
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: logStream, logEvents: [
      { timestamp: now, message: 'INFO ünï' }, { timestamp: now, message: 'ERROR one' }, { timestamp: now, message: 'ERROR two' },
    ] }))
    await advance(nimbus.current, 0)
    // The destination goes away: the next message's attempt fails (its 2 events are DeliveryErrors).
    await kinesis.send(new DeleteStreamCommand({ StreamName: stream }))
    await advance(nimbus.current, 1000)
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: logStream, logEvents: [
      { timestamp: now + 1000, message: 'ERROR three' }, { timestamp: now + 1000, message: 'ERROR four' },
    ] }))
    await advance(nimbus.current, 0)
    await advanceTo(nimbus.current, t + minute + 1000)

    const byGroup = [{ Name: 'LogGroupName', Value: group }]
    assert.deepEqual(await sums('IncomingLogEvents', byGroup, t), [5])
    // UTF-8 message bytes: "INFO ünï" is 10 bytes.
    assert.deepEqual(await sums('IncomingBytes', byGroup, t), [10 + 9 + 9 + 11 + 10])
    const account = await sums('IncomingLogEvents', [], t)
    assert.equal(account.length, 1)
    assert.ok(account[0]! >= 5 && (before.length === 0 || account[0]! >= before[0]! + 5))

    const filter = [...byGroup, { Name: 'DestinationType', Value: 'Kinesis' }, { Name: 'FilterName', Value: 'errors' }]
    assert.deepEqual(await sums('ForwardedLogEvents', filter, t), [2])
    const forwardedBytes = await sums('ForwardedBytes', filter, t)
    assert.equal(forwardedBytes.length, 1)
    // The record is the gzip-compressed message: about its size (the gzip header's fields may differ).
    const approx = gzipSync(JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '000000000000', logGroup: group, logStream, subscriptionFilters: ['errors'],
      logEvents: [{ id: '0'.repeat(56), timestamp: now, message: 'ERROR one' }, { id: '0'.repeat(56), timestamp: now, message: 'ERROR two' }] })).length
    assert.ok(Math.abs(forwardedBytes[0]! - approx) < 40, `${forwardedBytes[0]} ≈ ${approx}`)
    const errors = await sums('DeliveryErrors', filter, t)
    assert.ok(errors.length >= 1 && errors.every((n) => n % 2 === 0) && errors[0]! >= 2, String(errors))

    const listed = await cloudWatchClient(nimbus.current).send(new ListMetricsCommand({ Namespace: 'AWS/Logs', Dimensions: [{ Name: 'LogGroupName', Value: group }] }))
    const names = new Set(listed.Metrics!.map((m) => m.MetricName))
    for (const name of ['IncomingBytes', 'IncomingLogEvents', 'ForwardedBytes', 'ForwardedLogEvents', 'DeliveryErrors']) assert.ok(names.has(name), name)
    assert.ok(!names.has('DeliveryThrottling'))
  })
})
