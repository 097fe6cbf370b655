// Buffered delivery into S3 on the manual clock: interval and size thresholds, concatenation as
// sent, AWS's object key (default time prefix + `<stream>-<version>-<time>-<uuid>`), custom
// prefixes with timestamps, compression (GZIP, ZIP, Snappy, Hadoop-Snappy) and the version bump.
import assert from 'node:assert/strict'
import { gunzipSync, inflateRawSync } from 'node:zlib'
import { describe, it } from 'node:test'
import { DescribeDeliveryStreamCommand, PutRecordBatchCommand, PutRecordCommand, UpdateDestinationCommand } from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { snappyDecompress, snappyUnframe } from '../../../src/services/firehose/snappy.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

// 2026-03-04 05:06:07 UTC: every field of the default key differs.
const start = Date.UTC(2026, 2, 4, 5, 6, 7)
const logged: string[] = []
const nimbus = useNimbus({ clockStart: start, log: (line) => { logged.push(line) } })
const text = (s: string) => new TextEncoder().encode(s)

describe('Firehose → S3 buffering', () => {
  it('delivers on the interval, exactly on the clock, records concatenated as sent under the default key', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    const arrival = nimbus.current.clock.now()
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('one\n') } }))
    await advance(nimbus.current, 30_000)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: text('two\n') }, { Data: text('three') }] }))
    await advance(nimbus.current, 29_999)
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(await listKeys(s3, bucket), [], 'nothing before the oldest record is 60 s old')
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    const t = new Date(arrival)
    const p = (n: number) => String(n).padStart(2, '0')
    const prefix = `${t.getUTCFullYear()}/${p(t.getUTCMonth() + 1)}/${p(t.getUTCDate())}/${p(t.getUTCHours())}/`
    const time = `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}-${p(t.getUTCHours())}-${p(t.getUTCMinutes())}-${p(t.getUTCSeconds())}`
    assert.match(keys[0]!, new RegExp(`^${prefix}${name}-1-${time}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`))
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(), 'one\ntwo\nthree')
  })

  it('delivers as soon as the buffer reaches SizeInMBs, without the clock moving', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } })
    const record = new Uint8Array(1000).fill(97)
    const batch = Array.from({ length: 500 }, () => ({ Data: record }))
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: batch }))
    await deliveriesSettled(nimbus.current)
    assert.deepEqual(await listKeys(s3, bucket), [], '500,000 bytes stay buffered')
    const before = firehoseHealth(nimbus.current).deliveredObjects
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: batch }))
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: batch }))
    await deliveriesSettled(nimbus.current, before + 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    // The buffer is cut at the record that reached 1 MiB; the rest stays for the next object.
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).length, 1_049_000)
    assert.equal(firehoseHealth(nimbus.current).pendingRecords >= 451, true)
  })

  it('GZIP objects end in .gz and decompress to the records', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      CompressionFormat: 'GZIP', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
    })
    const lines = Array.from({ length: 100 }, (_, i) => `{"n":${i}}\n`)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: lines.map((l) => ({ Data: text(l) })) }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const [key] = await listKeys(s3, bucket)
    assert.match(key!, /\.gz$/)
    assert.equal(gunzipSync(await objectBytes(s3, bucket, key!)).toString(), lines.join(''))
  })

  it('ZIP, Snappy (framed) and HADOOP_SNAPPY objects hold the records', async () => {
    const body = 'abcabcabcabcabcabc-hello-hello-hello\n'.repeat(50)
    const decode: Record<string, (b: Buffer) => string> = {
      ZIP: (b) => inflateRawSync(b.subarray(30 + b.readUInt16LE(26), 30 + b.readUInt16LE(26) + b.readUInt32LE(18))).toString(),
      Snappy: (b) => snappyUnframe(b).toString(),
      HADOOP_SNAPPY: (b) => snappyDecompress(b.subarray(8, 8 + b.readUInt32BE(4))).toString(),
    }
    const ext: Record<string, string> = { ZIP: '.zip', Snappy: '.snappy', HADOOP_SNAPPY: '.hsnappy' }
    for (const format of ['ZIP', 'Snappy', 'HADOOP_SNAPPY'] as const) {
      const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
        CompressionFormat: format, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
      })
      const delivered = firehoseHealth(nimbus.current).deliveredObjects
      await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text(body) } }))
      await deliveriesSettled(nimbus.current, delivered + 1)
      const [key] = await listKeys(s3, bucket)
      assert.ok(key!.endsWith(ext[format]!), key)
      const bytes = await objectBytes(s3, bucket, key!)
      assert.ok(bytes.length < body.length, `${format} compresses`)
      assert.equal(decode[format]!(bytes), body, format)
    }
  })

  it('S3BackupMode Enabled writes the source records to the backup bucket under its own prefix and compression', async () => {
    const { s3: s3c } = clients(nimbus.current)
    const backup = `backup-${Date.now()}`
    await s3c.send(new CreateBucketCommand({ Bucket: backup }))
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 }, CompressionFormat: 'GZIP', S3BackupMode: 'Enabled',
      S3BackupConfiguration: { RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${backup}`, Prefix: 'raw/' },
    })
    const delivered = firehoseHealth(nimbus.current).deliveredObjects
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: text('a') }, { Data: text('b') }] }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, delivered + 1)
    const [main] = await listKeys(s3, bucket)
    assert.equal(gunzipSync(await objectBytes(s3, bucket, main!)).toString(), 'ab')
    const [raw] = await listKeys(s3, backup)
    assert.match(raw!, new RegExp(`^raw/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-`))
    assert.equal((await objectBytes(s3, backup, raw!)).toString(), 'ab')
  })

  it('retries a delivery to a missing bucket every 60 s on the clock and gives the records up after 24 hours', async () => {
    const { firehose, name } = await streamToBucket(nimbus.current, { BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } })
    await firehose.send(new UpdateDestinationCommand({
      DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { BucketARN: 'arn:aws:s3:::no-such-bucket-fh' },
    }))
    const failed = firehoseHealth(nimbus.current).failedAttempts
    const pending = firehoseHealth(nimbus.current).pendingRecords
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('lost') } }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    assert.equal(firehoseHealth(nimbus.current).failedAttempts, failed + 1)
    await advance(nimbus.current, 59_999)
    await deliveriesSettled(nimbus.current)
    assert.equal(firehoseHealth(nimbus.current).failedAttempts, failed + 1, 'the retry waits 60 s')
    await advance(nimbus.current, 1)
    await deliveriesSettled(nimbus.current)
    assert.equal(firehoseHealth(nimbus.current).failedAttempts, failed + 2)
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, pending + 1)
    // The console says so once, at the first failure (not at each of the day's 1,440 retries).
    const said = logged.filter((line) => line.startsWith(`firehose: ${name}: writing 1 records failed (`))
    assert.equal(said.length, 1, logged.join('\n'))
    assert.match(said[0]!, /NoSuchBucket|no-such-bucket-fh/)
    assert.match(said[0]!, /; retrying every 60 s of the clock for 24 hours$/)
    // The next attempt comes after 24 hours since the first: it fails and the record is given up.
    await advance(nimbus.current, 24 * 3_600_000)
    await deliveriesSettled(nimbus.current)
    // (Other tests' buffers are due within 900 s and delivered meanwhile: nothing is left anywhere.)
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 0)
  })

  it('custom prefixes evaluate timestamps, random strings and FileExtension; the version in the name follows UpdateDestination', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      Prefix: "logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/!{timestamp:'day='dd}/r=!{firehose:random-string}/",
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/', FileExtension: '.json', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
    })
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('x') } }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    const d = new Date(nimbus.current.clock.now() - 60_000)
    const p = (n: number) => String(n).padStart(2, '0')
    const [key] = await listKeys(s3, bucket)
    assert.match(key!, new RegExp(`^logs/year=${d.getUTCFullYear()}/month=${p(d.getUTCMonth() + 1)}/day=${p(d.getUTCDate())}/r=[0-9a-f-]{11}/${name}-1-.*\\.json$`))

    const { DeliveryStreamDescription: before } = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))
    assert.equal(before!.VersionId, '1')
    await firehose.send(new UpdateDestinationCommand({
      DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001',
      ExtendedS3DestinationUpdate: { Prefix: 'plain', ErrorOutputPrefix: '' },
    }))
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: text('y') } }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current)
    const keys = await listKeys(s3, bucket)
    const plain = keys.find((k) => k.startsWith('plain'))!
    // No timestamp expression: Firehose appends `!{timestamp:yyyy/MM/dd/HH/}` to the prefix as is.
    assert.match(plain, new RegExp(`^plain\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-2-`))
  })
})
