// Firehose checked against AWS's documentation the way a client would see it: refusals carry only
// AWS-style text (Nimbus's own "[R]" marks for recalled wordings stay in the source, never on the wire),
// ListDeliveryStreams pages as documented, and boto3 parses every answer strictly.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand, ListDeliveryStreamsCommand, PutRecordCommand, UpdateDestinationCommand } from '@aws-sdk/client-firehose'
import { runBoto3 } from '../../helpers/boto3.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, deliveriesSettled, listKeys, objectBytes, streamToBucket } from './firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/firehose'
const extended = (extra: Record<string, unknown> = {}) => ({ ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::b', ...extra } })

describe('Firehose as clients see it', () => {
  it('refusals name the problem in plain text, with no "[R]" marker in the message', async () => {
    const { firehose, name } = await streamToBucket(nimbus.current)
    const create = (input: Record<string, unknown>) =>
      firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: uniqueName('conf'), ...input }))
    const refusals = [
      await sdkError(firehose.send(new UpdateDestinationCommand({ DeliveryStreamName: name, CurrentDeliveryStreamVersionId: '1',
        DestinationId: 'destinationId-000000000009', ExtendedS3DestinationUpdate: { Prefix: 'x/' } }))),
      await sdkError(create(extended({ Prefix: 'a/!{foo:bar}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' }))),
      await sdkError(create(extended({ Prefix: 'a/!{firehose:foo}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' }))),
      await sdkError(create(extended({ Prefix: 'a/!{timestamp:yyyy/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' }))),
      await sdkError(create(extended({ ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda' }] } }))),
    ]
    assert.deepEqual(refusals[0], { name: 'InvalidArgumentException', status: 400, message: 'Destination Id destinationId-000000000009 not found.' })
    assert.equal(refusals[1]!.message, 'Ths supplied prefix(es) do not satisfy the following constraint: Unsupported namespace: foo')
    for (const r of refusals) {
      assert.equal(r.name, 'InvalidArgumentException')
      assert.doesNotMatch(r.message, /\[R\]/)
    }
  })

  it('ListDeliveryStreams pages with Limit and ExclusiveStartDeliveryStreamName until HasMoreDeliveryStreams is false', async () => {
    const { firehose } = clients(nimbus.current)
    const names: string[] = []
    for (let i = 0; i < 3; i++) names.push((await streamToBucket(nimbus.current)).name)
    const seen: string[] = []
    let start: string | undefined
    for (;;) {
      const page = await firehose.send(new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: start }))
      assert.ok(page.DeliveryStreamNames!.length <= 2)
      seen.push(...page.DeliveryStreamNames!)
      if (!page.HasMoreDeliveryStreams) break
      start = page.DeliveryStreamNames!.at(-1)
    }
    for (const n of names) assert.ok(seen.includes(n), `${n} listed`)
    assert.deepEqual(seen, [...seen].sort())
  })

  it('boto3 parses Describe (timestamps), PutRecordBatch (blobs) and an error', async () => {
    const { name } = await streamToBucket(nimbus.current)
    const script = `import boto3, botocore, json, sys
f = boto3.client('firehose', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
d = f.describe_delivery_stream(DeliveryStreamName=sys.argv[2])['DeliveryStreamDescription']
b = f.put_record_batch(DeliveryStreamName=sys.argv[2], Records=[{'Data': bytes([0, 255])}, {'Data': b'x'}])
try:
    f.describe_delivery_stream(DeliveryStreamName='missing-stream')
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps([d['DeliveryStreamStatus'], d['CreateTimestamp'].year > 2000, b['FailedPutCount'], len(b['RequestResponses']), err]))
`
    const stdout = await runBoto3(script, nimbus.current.endpoint, name)
    assert.deepEqual(JSON.parse(stdout), ['ACTIVE', true, 0, 2,
      ['ResourceNotFoundException', 'Firehose missing-stream under account 000000000000 not found.']])
  })
})

describe("the dynamic partitioning guide's example", () => {
  it('partitions the sample record by customer_id, device and the strftime fields of event_timestamp', async () => {
    const query = '{customer_id: .customer_id, device: .type.device, year: .event_timestamp| strftime("%Y"), ' +
      'month: .event_timestamp| strftime("%m"), day: .event_timestamp| strftime("%d"), hour: .event_timestamp| strftime("%H")}'
    const { firehose, s3, bucket, name } = await streamToBucket(nimbus.current, {
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 }, DynamicPartitioningConfiguration: { Enabled: true },
      Prefix: 'data/customer_id=!{partitionKeyFromQuery:customer_id}/device=!{partitionKeyFromQuery:device}/year=!{partitionKeyFromQuery:year}/' +
        'month=!{partitionKeyFromQuery:month}/day=!{partitionKeyFromQuery:day}/hour=!{partitionKeyFromQuery:hour}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
      ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction', Parameters: [
        { ParameterName: 'MetadataExtractionQuery', ParameterValue: query }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }] },
    })
    const record = '{"type": {"device": "mobile", "event": "user_clicked_submit_button"}, "customer_id": "1234567890", ' +
      '"event_timestamp": 1565382027, "region": "sample_value"}'
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from(record) } }))
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    assert.match(keys[0]!, new RegExp(`^data/customer_id=1234567890/device=mobile/year=2019/month=08/day=09/hour=20/${name}-1-`))
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(), record)
  })
})
