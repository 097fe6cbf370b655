// Dynamic partitioning end to end: JQ partition keys (MetadataExtraction) and Lambda partition
// keys into `!{partitionKeyFromQuery:…}` / `!{partitionKeyFromLambda:…}` prefixes, one object per
// partition, AppendDelimiterToRecord and RecordDeAggregation composing with them, records whose keys
// can't be had in the `partitioning-failed` error output — and the rules CreateDeliveryStream enforces.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, PutRecordBatchCommand, type ProcessingConfiguration, type Processor } from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes, streamTo, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const dynamic = { Enabled: true, RetryOptions: { DurationInSeconds: 300 } }
const hints = { SizeInMBs: 64, IntervalInSeconds: 60 }
const jq = (query: string): Processor => ({
  Type: 'MetadataExtraction', Parameters: [
    { ParameterName: 'MetadataExtractionQuery', ParameterValue: query }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }],
})
const newline: Processor = { Type: 'AppendDelimiterToRecord', Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }] }
const processing = (...processors: Processor[]): ProcessingConfiguration => ({ Enabled: true, Processors: processors })
const records = (...items: Array<string | object>) => items.map((i) => ({ Data: Buffer.from(typeof i === 'string' ? i : JSON.stringify(i)) }))

/** `<stream>-1-yyyy-MM-dd-HH-mm-ss-<uuid>` for records that arrived at `at` (UTC). */
const objectName = (name: string, at: number) =>
  `${name}-1-${new Date(at).toISOString().slice(0, 19).replace(/[T:]/g, '-')}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
const year = (at: number) => String(new Date(at).getUTCFullYear())

/** Advances the clock and waits for `batches` buffers to be delivered (health counts a buffer's objects as one delivery). */
async function deliverAfter(ms: number, batches: number): Promise<void> {
  const delivered = firehoseHealth(nimbus.current).deliveredObjects
  await advance(nimbus.current, ms)
  await deliveriesSettled(nimbus.current, delivered + batches)
}

describe('Firehose dynamic partitioning', () => {
  it('writes one object per JQ partition key, delimited, and unparseable records to partitioning-failed', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: hints, DynamicPartitioningConfiguration: dynamic,
      ProcessingConfiguration: processing(jq('{customer: .customer_id, device: .device.type | ascii_downcase}'), newline),
      Prefix: 'data/customer=!{partitionKeyFromQuery:customer}/device=!{partitionKeyFromQuery:device}/!{timestamp:yyyy}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy}/',
    })
    const at = nimbus.current.clock.now()
    await firehose.send(new PutRecordBatchCommand({
      DeliveryStreamName: name, Records: records(
        { customer_id: 'c1', device: { type: 'Phone' }, n: 1 }, { customer_id: 42, device: { type: 'tv' }, n: 2 },
        'not json', { customer_id: 'c1', device: { type: 'PHONE' }, n: 3 }, { device: { type: 'tv' } }, { customer_id: 'c1', device: 'flat' }),
    }))
    await deliverAfter(59_999, 0)
    assert.deepEqual(await listKeys(s3, bucket), [], 'nothing before the buffer interval')
    const described = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))
    assert.deepEqual(described.DeliveryStreamDescription!.Destinations![0]!.ExtendedS3DestinationDescription!.DynamicPartitioningConfiguration,
      { Enabled: true, RetryOptions: { DurationInSeconds: 300 } })
    await deliverAfter(1, 1)
    const keys = (await listKeys(s3, bucket)).sort()
    assert.equal(keys.length, 3)
    assert.match(keys[0]!, new RegExp(`^data/customer=42/device=tv/${year(at)}/${objectName(name, at)}$`))
    assert.match(keys[1]!, new RegExp(`^data/customer=c1/device=phone/${year(at)}/${objectName(name, at)}$`))
    assert.match(keys[2]!, new RegExp(`^errors/partitioning-failed/${year(at)}/${objectName(name, at)}$`))
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(), '{"customer_id":42,"device":{"type":"tv"},"n":2}\n')
    assert.equal((await objectBytes(s3, bucket, keys[1]!)).toString(),
      '{"customer_id":"c1","device":{"type":"Phone"},"n":1}\n{"customer_id":"c1","device":{"type":"PHONE"},"n":3}\n')
    const errors = (await objectBytes(s3, bucket, keys[2]!)).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(errors.map((e) => [e.errorCode, Buffer.from(e.rawData as string, 'base64').toString()]), [
      ['DynamicPartitioning.MetadataExtractionFailed', 'not json'],
      ['DynamicPartitioning.MetadataExtractionFailed', '{"device":{"type":"tv"}}'],
      ['DynamicPartitioning.MetadataExtractionFailed', '{"customer_id":"c1","device":"flat"}'],
    ])
    assert.deepEqual(Object.keys(errors[0]!), ['attemptsMade', 'arrivalTimestamp', 'errorCode', 'errorMessage', 'attemptEndingTimestamp', 'rawData'])
    assert.equal(errors[0]!.errorMessage, 'Non JSON record provided')
    assert.equal(errors[0]!.arrivalTimestamp, at)
    assert.match(errors[1]!.errorMessage as string, /!\{partitionKeyFromQuery:customer\}/)
    assert.match(errors[2]!.errorMessage as string, /Cannot index string with "type"/)
  })

  it("runs full jq queries (generators, if, comparisons) and fails records whose query gives no object or several", async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: hints, DynamicPartitioningConfiguration: dynamic,
      ProcessingConfiguration: processing(jq('{team: .teams[] | ascii_downcase, size: (if (.items | length) > 2 then "big" else "small" end)}'), newline),
      Prefix: 'team=!{partitionKeyFromQuery:team}/size=!{partitionKeyFromQuery:size}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    await firehose.send(new PutRecordBatchCommand({
      DeliveryStreamName: name, Records: records(
        { teams: ['Red'], items: [1, 2, 3] }, { teams: ['blue'], items: [] }, { teams: ['red', 'blue'], items: [1] }, { teams: [], items: [] }),
    }))
    await deliverAfter(60_000, 1)
    const keys = (await listKeys(s3, bucket)).sort()
    assert.equal(keys.length, 3)
    assert.match(keys[0]!, /^err\/partitioning-failed\//)
    assert.match(keys[1]!, /^team=blue\/size=small\//)
    assert.match(keys[2]!, /^team=red\/size=big\//)
    assert.equal((await objectBytes(s3, bucket, keys[2]!)).toString(), '{"teams":["Red"],"items":[1,2,3]}\n')
    const errors = (await objectBytes(s3, bucket, keys[0]!)).toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    assert.deepEqual(errors.map((e) => e.errorCode), ['DynamicPartitioning.MetadataExtractionFailed', 'DynamicPartitioning.MetadataExtractionFailed'])
    assert.match(errors[0]!.errorMessage as string, /the query produced 2 outputs; exactly one is needed/)
    assert.match(errors[1]!.errorMessage as string, /the query produced 0 outputs; exactly one is needed/)
  })

  it('buffers each partition on its own: a partition is due IntervalInSeconds after its own oldest record', async () => {
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: hints, DynamicPartitioningConfiguration: dynamic, ProcessingConfiguration: processing(jq('{k: .k}'), newline),
      Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    const t0 = nimbus.current.clock.now()
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records({ k: 'a', i: 1 }) }))
    await advance(nimbus.current, 30_000)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records({ k: 'b', i: 2 }, { k: 'a', i: 3 }) }))
    await deliverAfter(30_000, 1)
    const first = await listKeys(s3, bucket)
    assert.equal(first.length, 1)
    assert.match(first[0]!, new RegExp(`^k=a/${objectName(name, t0)}$`))
    assert.equal((await objectBytes(s3, bucket, first[0]!)).toString(), '{"k":"a","i":1}\n{"k":"a","i":3}\n')
    assert.equal(firehoseHealth(nimbus.current).pendingRecords, 1, "partition b waits for its own interval")
    await deliverAfter(29_999, 0)
    assert.equal((await listKeys(s3, bucket)).length, 1)
    await deliverAfter(1, 1)
    const second = (await listKeys(s3, bucket)).filter((k) => k.startsWith('k=b/'))
    assert.match(second[0]!, new RegExp(`^k=b/${objectName(name, t0 + 30_000)}$`))
    assert.equal((await objectBytes(s3, bucket, second[0]!)).toString(), '{"k":"b","i":2}\n')
  })

  it('keeps partition buffers and a partition batch waiting for a retry across a restart', async () => {
    const n = await durableNimbus('firehose-dp')
    let { firehose, s3 } = clients(n.nimbus)
    await streamTo(n.nimbus, 'parts', 'later-dp', {
      BufferingHints: hints, DynamicPartitioningConfiguration: dynamic,
      ProcessingConfiguration: processing(jq('{k: .k}'), newline), Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'parts', Records: records({ k: 'a', i: 1 }) }))
    await advance(n.nimbus, 30_000)
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'parts', Records: records({ k: 'b', i: 2 }, { k: 'a', i: 3 }) }))
    // Partition a is cut at 60 s and fails (no bucket yet); b (seq between a's records) keeps buffering.
    await advance(n.nimbus, 30_000)
    await deliveriesSettled(n.nimbus)
    assert.equal(firehoseHealth(n.nimbus).failedAttempts, 1)

    await n.restart()
    ;({ firehose, s3 } = clients(n.nimbus))
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 3)
    await s3.send(new CreateBucketCommand({ Bucket: 'later-dp' }))
    await advance(n.nimbus, 30_000)
    await deliveriesSettled(n.nimbus, 1)
    const keys = (await listKeys(s3, 'later-dp')).sort()
    assert.deepEqual(keys.map((k) => k.split('/')[0]), ['k=b'], 'b is due 60 s after its record; a retries 60 s after its failure')
    assert.equal((await objectBytes(s3, 'later-dp', keys[0]!)).toString(), '{"k":"b","i":2}\n')
    await advance(n.nimbus, 30_000)
    await deliveriesSettled(n.nimbus, 2)
    const a = (await listKeys(s3, 'later-dp')).find((k) => k.startsWith('k=a/'))!
    assert.equal((await objectBytes(s3, 'later-dp', a)).toString(), '{"k":"a","i":1}\n{"k":"a","i":3}\n')
    assert.equal(firehoseHealth(n.nimbus).pendingRecords, 0)
  })

  it('de-aggregates JSON and DELIMITED records before extracting keys', async () => {
    const json = await streamToBucket(nimbus.current, {
      BufferingHints: hints, DynamicPartitioningConfiguration: dynamic,
      ProcessingConfiguration: processing({ Type: 'RecordDeAggregation', Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }] },
        jq('{k: .k}'), newline),
      Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    await json.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: json.name, Records: records('{"k":"x","i":1}{"k":"y","i":2}\n {"k":"x","i":3}') }))
    const delimited = await streamToBucket(nimbus.current, {
      BufferingHints: hints, DynamicPartitioningConfiguration: dynamic,
      ProcessingConfiguration: processing({ Type: 'RecordDeAggregation', Parameters: [
        { ParameterName: 'SubRecordType', ParameterValue: 'DELIMITED' }, { ParameterName: 'Delimiter', ParameterValue: Buffer.from('##').toString('base64') }] },
      jq('{k: .k}')),
      Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    await delimited.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: delimited.name, Records: records('{"k":"x"}##{"k":"y"}##{"k":"x"}##') }))
    await deliverAfter(60_000, 2)
    const jsonKeys = (await listKeys(json.s3, json.bucket)).sort()
    assert.deepEqual(jsonKeys.map((k) => k.split('/')[0]), ['k=x', 'k=y'])
    assert.equal((await objectBytes(json.s3, json.bucket, jsonKeys[0]!)).toString(), '{"k":"x","i":1}\n{"k":"x","i":3}\n')
    assert.equal((await objectBytes(json.s3, json.bucket, jsonKeys[1]!)).toString(), '{"k":"y","i":2}\n')
    const delimitedKeys = (await listKeys(delimited.s3, delimited.bucket)).sort()
    assert.deepEqual(delimitedKeys.map((k) => k.split('/')[0]), ['k=x', 'k=y'])
    assert.equal((await objectBytes(delimited.s3, delimited.bucket, delimitedKeys[0]!)).toString(), '{"k":"x"}{"k":"x"}')
  })

  it('partitions by the keys a transformation Lambda returns in metadata.partitionKeys', async () => {
    const fn = await createFunction(lambdaClient(nimbus.current), `
exports.handler = async (event) => ({ records: event.records.map((r) => {
  const doc = JSON.parse(Buffer.from(r.data, 'base64').toString())
  if (doc.fail) return { recordId: r.recordId, result: 'ProcessingFailed', data: r.data }
  return { recordId: r.recordId, result: 'Ok', data: Buffer.from(JSON.stringify({ ...doc, seen: true })).toString('base64'),
    metadata: doc.region ? { partitionKeys: { region: doc.region } } : undefined }
}) })`)
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: hints, DynamicPartitioningConfiguration: dynamic,
      ProcessingConfiguration: processing({ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: `arn:aws:lambda:us-east-1:000000000000:function:${fn}` }] }, newline),
      Prefix: 'region=!{partitionKeyFromLambda:region}/', ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
    })
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records({ region: 'eu' }, { region: 'us' }, { fail: 1 }, { none: 1 }, { region: 'eu', i: 2 }) }))
    // The function's failures are written when it answers (60 s, the processor's buffer); the partitions 60 s later.
    await deliverAfter(60_000, 1)
    assert.deepEqual((await listKeys(s3, bucket)).map((k) => k.split('/').slice(0, 2).join('/')), ['err/processing-failed'])
    await deliverAfter(60_000, 1)
    const keys = (await listKeys(s3, bucket)).sort()
    assert.deepEqual(keys.map((k) => k.split('/').slice(0, 2).join('/')), ['err/partitioning-failed', 'err/processing-failed', `region=eu/${keys[2]!.split('/')[1]}`, `region=us/${keys[3]!.split('/')[1]}`])
    assert.match(keys[2]!, new RegExp(`^region=eu/${name}-1-`))
    assert.equal((await objectBytes(s3, bucket, keys[2]!)).toString(), '{"region":"eu","seen":true}\n{"region":"eu","i":2,"seen":true}\n')
    const partitioning = JSON.parse((await objectBytes(s3, bucket, keys[0]!)).toString()) as Record<string, string>
    assert.equal(Buffer.from(partitioning.rawData!, 'base64').toString(), '{"none":1,"seen":true}')
    const processing_ = JSON.parse((await objectBytes(s3, bucket, keys[1]!)).toString()) as Record<string, string>
    assert.equal(processing_.errorCode, 'Lambda.ProcessingFailedStatus')
  })

  it("enforces dynamic partitioning's rules at CreateDeliveryStream", async () => {
    const { firehose } = clients(nimbus.current)
    const create = (extra: Record<string, unknown>) => sdkError(firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: uniqueName('dp'),
      ExtendedS3DestinationConfiguration: {
        RoleARN: role, BucketARN: 'arn:aws:s3:::b', BufferingHints: hints, DynamicPartitioningConfiguration: dynamic,
        ProcessingConfiguration: processing(jq('{k: .k}')), Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/', ...extra,
      },
    })))
    const small = await create({ BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 60 } })
    assert.deepEqual(small, { name: 'InvalidArgumentException', status: 400,
      message: 'BufferingHints.SizeInMBs must be at least 64 when dynamic partitioning is enabled.' })
    const zero = await create({ BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 } })
    assert.match(zero.message, /IntervalInSeconds must be at least 60/)
    const noKey = await create({ Prefix: 'plain/!{timestamp:yyyy}/' })
    assert.equal(noKey.message, 'Ths supplied prefix(es) do not satisfy the following constraint: ' +
      'Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression when dynamic partitioning is enabled')
    const noError = await create({ ErrorOutputPrefix: undefined })
    assert.equal(noError.message, 'Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot be null or empty when Prefix contains expressions')
    const engine = await create({ ProcessingConfiguration: processing({ Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{k:.k}' }] }) })
    assert.match(engine.message, /JsonParsingEngine must be JQ-1\.6/)
    const badQuery = await create({ ProcessingConfiguration: processing(jq('{k: .k')) })
    assert.equal(badQuery.message, "Invalid MetadataExtractionQuery {k: .k: syntax error: expected '}' at end of query")
    const noExtraction = await create({ ProcessingConfiguration: processing(newline) })
    assert.match(noExtraction.message, /partitionKeyFromQuery expressions require a MetadataExtraction processor/)
    const withoutDynamic = await create({ DynamicPartitioningConfiguration: { Enabled: false } })
    assert.equal(withoutDynamic.message, 'MetadataExtraction processor is only supported when dynamic partitioning is enabled.')
    const retry = await create({ DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 7201 } } })
    assert.equal(retry.name, 'ValidationException')
  })
})
