// Firehose across restarts on one data dir (in process): streams with their settings, version, tags
// and encryption; records acknowledged but not yet delivered (they were on disk before the answer)
// delivered after the restart at their original due time; a failing delivery's retry time kept.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import {
  CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, ListTagsForDeliveryStreamCommand, PutRecordBatchCommand, UpdateDestinationCommand,
} from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamTo } from './firehose-helpers.ts'

const role = 'arn:aws:iam::000000000000:role/firehose'
const records = (...lines: string[]) => lines.map((l) => ({ Data: Buffer.from(l) }))

describe('Firehose durability', () => {
  it('keeps streams and buffered records across a restart and delivers them at the original due time', async () => {
    const n = await durableNimbus('firehose')
    let { firehose, s3 } = clients(n.nimbus)
    await s3.send(new CreateBucketCommand({ Bucket: 'durable-fh' }))
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'keep', Tags: [{ Key: 'team', Value: 'data' }],
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::durable-fh', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 120 } },
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
    }))
    await advance(n.nimbus, 5_000)
    await firehose.send(new UpdateDestinationCommand({
      DeliveryStreamName: 'keep', CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { CompressionFormat: 'UNCOMPRESSED', Prefix: 'in/' },
    }))
    const before = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'keep' }))).DeliveryStreamDescription
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'keep', Records: records('a\n', 'b\n') }))
    await advance(n.nimbus, 60_000)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'keep', Records: records('c\n') }))

    await n.restart()
    ;({ firehose, s3 } = clients(n.nimbus))
    assert.deepEqual((await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'keep' }))).DeliveryStreamDescription, before)
    assert.deepEqual((await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName: 'keep' }))).Tags, [{ Key: 'team', Value: 'data' }])
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 3)
    await advance(n.nimbus, 59_999)
    await deliveriesSettled(n.nimbus)
    assert.deepEqual(await listKeys(s3, 'durable-fh'), [], 'due 120 s after the oldest record, not after the restart')
    await advance(n.nimbus, 1)
    await deliveriesSettled(n.nimbus, 1)
    const [key] = await listKeys(s3, 'durable-fh')
    assert.match(key!, /^in\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/keep-2-/)
    assert.equal((await objectBytes(s3, 'durable-fh', key!)).toString(), 'a\nb\nc\n')

    // Delivered records are gone from the store: another restart delivers nothing twice.
    await n.restart()
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 0)
  })

  it('retries a failed delivery on the clock, across a restart, until the bucket exists', async () => {
    const n = await durableNimbus('firehose')
    let { firehose, s3 } = clients(n.nimbus)
    await streamTo(n.nimbus, 'retry', 'later-fh', { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'retry', Records: records('x') }))
    await advance(n.nimbus, 60_000)
    await deliveriesSettled(n.nimbus)
    assert.equal(firehoseHealth(n.nimbus).failedAttempts, 1)
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 1)

    await n.restart()
    ;({ firehose, s3 } = clients(n.nimbus))
    await s3.send(new CreateBucketCommand({ Bucket: 'later-fh' }))
    await advance(n.nimbus, 59_999)
    await deliveriesSettled(n.nimbus)
    assert.deepEqual(await listKeys(s3, 'later-fh'), [])
    await advance(n.nimbus, 1)
    await deliveriesSettled(n.nimbus, 1)
    const [key] = await listKeys(s3, 'later-fh')
    assert.equal((await objectBytes(s3, 'later-fh', key!)).toString(), 'x')
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 0)
  })

  it('keeps an HTTP endpoint stream and a batch waiting for its retry across a restart (same request id)', async () => {
    const ids: string[] = []
    let ok = false
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const { requestId } = JSON.parse(Buffer.concat(chunks).toString()) as { requestId: string }
        ids.push(requestId)
        // AWS's response contract: application/json, the requestId echoed, a numeric timestamp.
        res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' }).end(JSON.stringify({ requestId, timestamp: 0 }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const n = await durableNimbus('firehose')
      let { firehose } = clients(n.nimbus)
      await firehose.send(new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'to-http',
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, AccessKey: 'k' },
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 }, RetryOptions: { DurationInSeconds: 600 },
          S3Configuration: { RoleARN: role, BucketARN: 'arn:aws:s3:::http-backup' },
        },
      }))
      await advance(n.nimbus, 5_000)
      const before = (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'to-http' }))).DeliveryStreamDescription
      await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'to-http', Records: records('x') }))
      await deliveriesSettled(n.nimbus)
      assert.equal(ids.length, 1)

      await n.restart()
      ;({ firehose } = clients(n.nimbus))
      assert.deepEqual((await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'to-http' }))).DeliveryStreamDescription, before)
      assert.equal(firehoseHealth(n.nimbus).pendingRecords, 1)
      ok = true
      await advance(n.nimbus, 999)
      await deliveriesSettled(n.nimbus)
      assert.equal(ids.length, 1, 'the retry is due 1 s after the failed attempt, as stored')
      await advance(n.nimbus, 1)
      await deliveriesSettled(n.nimbus, 1)
      assert.equal(ids.length, 2)
      assert.equal(ids[1], ids[0])
      assert.equal(firehoseHealth(n.nimbus).pendingRecords, 0)
    } finally {
      server.close()
    }
  })
})
