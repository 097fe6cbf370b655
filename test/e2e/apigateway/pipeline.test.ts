// The architecture notes' pipeline, "Client → API Gateway → Kinesis → Firehose → S3", end to end on
// the manual clock: clients POST JSON with plain fetch to a REST API whose VTL template turns each
// into a Kinesis PutRecord; a Firehose delivery stream reading that stream (KinesisStreamAsSource)
// buffers the records and writes them to S3 once its 60 s interval has passed.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose'
import { CreateStreamCommand } from '@aws-sdk/client-kinesis'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { apiGatewayClient, createApi, createPath, deploy, nonProxyMethod } from '../../helpers/apigateway.ts'
import { kinesisClient } from '../../helpers/kinesis.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { clients, deliveriesSettled, firehoseHealth, listKeys, objectBytes } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/pipeline'

// One line per click: the body as compact JSON and a line break ($util.urlDecode gives the template one).
const putRecord = [
  "#set($nl = $util.urlDecode('%0A'))",
  '{',
  '  "StreamName": "$stageVariables.stream",',
  '  "Data": "$util.base64Encode("$input.json(\'$\')$nl")",',
  '  "PartitionKey": "$input.path(\'$.user\')"',
  '}',
].join('\n')

describe('Client → API Gateway → Kinesis → Firehose → S3', () => {
  it('delivers what clients POST to the API as one S3 object once Firehose’s buffer interval passes', async () => {
    const n = nimbus.current
    const stream = uniqueName('clicks')
    await kinesisClient(n).send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }))
    await advance(n, 500)
    const { firehose, s3 } = clients(n)
    const bucket = uniqueName('clicks-archive').toLowerCase()
    const deliveryStream = uniqueName('clicks-to-s3')
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: deliveryStream, DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`, RoleARN: role },
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } },
    }))
    await advance(n, 5_000)

    const client = apiGatewayClient(n)
    const api = await createApi(client)
    await nonProxyMethod(client, { restApiId: api.id, resourceId: await createPath(client, api, '/clicks'), httpMethod: 'POST' }, {
      type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:kinesis:action/PutRecord', credentials: role,
      passthroughBehavior: 'NEVER', requestTemplates: { 'application/json': putRecord },
    }, [{ statusCode: '200', responseTemplates: { 'application/json': '{"accepted": true, "seq": "$input.path(\'$.SequenceNumber\')"}' } }])
    await deploy(client, api.id, 'prod', { stream })

    const clicks = Array.from({ length: 5 }, (_, i) => ({ user: `u${i % 2}`, page: `/page/${i}` }))
    for (const click of clicks) {
      const res = await fetch(`${n.endpoint}/restapis/${api.id}/prod/_user_request_/clicks`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(click),
      })
      assert.equal(res.status, 200)
      const body = await res.json() as { accepted: boolean; seq: string }
      assert.equal(body.accepted, true)
      assert.match(body.seq, /^\d+$/)
    }

    await advance(n, 1_000)
    assert.equal(firehoseHealth(n).pendingRecords, 5, 'Firehose read the five records on its next poll')
    await advance(n, 59_999)
    await deliveriesSettled(n)
    assert.deepEqual(await listKeys(s3, bucket), [], 'nothing is written before the 60 s interval')
    await advance(n, 1)
    await deliveriesSettled(n, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    const lines = (await objectBytes(s3, bucket, keys[0]!)).toString().split('\n').filter((l) => l !== '')
    assert.deepEqual(lines.map((l) => JSON.parse(l) as unknown), clicks, 'one shard: the records in the order clients sent them')
  })
})
