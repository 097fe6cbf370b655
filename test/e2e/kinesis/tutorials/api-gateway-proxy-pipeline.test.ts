// API Gateway's "Tutorial: Create a REST API as an Amazon Kinesis proxy", walked with the SDKs on the
// manual clock, and the pipeline issue 14 draws behind it: Client → API Gateway → Kinesis Data Streams
// → Firehose → S3. The tutorial's methods and mapping templates as it writes them: GET /streams
// (ListStreams), POST /streams/{stream-name} (CreateStream, ShardCount 5), PUT …/record (PutRecord,
// `$util.base64Encode($input.json('$.Data'))`), PUT …/records (PutRecords, a #foreach over the body's
// records with `$elem.partition-key`), GET …/sharditerator?shard-id= and GET …/records with a
// Shard-Iterator header; then a Kinesis-sourced Firehose stream delivers what was put into S3.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeliveryStreamCommand } from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { apiGatewayClient, createApi, createPath, deploy, invoke, nonProxyMethod } from '../../../helpers/apigateway.ts'
import { advance, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { clients, deliveriesSettled, listKeys, objectBytes } from '../../firehose/firehose-helpers.ts'

const nimbus = useNimbus()
const role = 'arn:aws:iam::000000000000:role/apigAwsProxyRole'
const jsonType = { 'integration.request.header.Content-Type': "'application/x-amz-json-1.1'" }
const kinesisAction = (action: string) => ({
  type: 'AWS' as const, integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:kinesis:action/${action}`, credentials: role,
  requestParameters: jsonType,
})
const ok = [{ statusCode: '200', selectionPattern: '' }]

const templates = {
  createStream: `{
    "ShardCount": 5,
    "StreamName": "$input.params('stream-name')"
}`,
  putRecord: `{
    "StreamName": "$input.params('stream-name')",
    "Data": "$util.base64Encode($input.json('$.Data'))",
    "PartitionKey": "$input.path('$.PartitionKey')"
}`,
  putRecords: `{
    "StreamName": "$input.params('stream-name')",
    "Records": [
       #foreach($elem in $input.path('$.records'))
          {
            "Data": "$util.base64Encode($elem.data)",
            "PartitionKey": "$elem.partition-key"
          }#if($foreach.hasNext),#end
        #end
    ]
}`,
  shardIterator: `{
    "ShardId": "$input.params('shard-id')",
    "ShardIteratorType": "TRIM_HORIZON",
    "StreamName": "$input.params('stream-name')"
}`,
  getRecords: `{
    "ShardIterator": "$input.params('Shard-Iterator')"
}`,
}

describe('API Gateway tutorial: a REST API as a Kinesis proxy, feeding Firehose → S3', () => {
  it('creates a stream, puts records and reads them through the API, and Firehose delivers them to S3', async () => {
    const apig = apiGatewayClient(nimbus.current)
    const api = await createApi(apig)
    const streams = await createPath(apig, api, '/streams')
    const named = await createPath(apig, { id: api.id, root: streams }, '/{stream-name}')
    const sub = async (part: string) => createPath(apig, { id: api.id, root: named }, `/${part}`)
    const [record, records, iterator] = [await sub('record'), await sub('records'), await sub('sharditerator')]
    const method = (resourceId: string, httpMethod: string) => ({ restApiId: api.id, resourceId, httpMethod })
    await nonProxyMethod(apig, method(streams, 'GET'), { ...kinesisAction('ListStreams'), requestTemplates: { 'application/json': '{}' } }, ok)
    await nonProxyMethod(apig, method(named, 'POST'), { ...kinesisAction('CreateStream'), requestTemplates: { 'application/json': templates.createStream } }, ok)
    await nonProxyMethod(apig, method(record, 'PUT'), { ...kinesisAction('PutRecord'), requestTemplates: { 'application/json': templates.putRecord } }, ok)
    await nonProxyMethod(apig, method(records, 'PUT'), { ...kinesisAction('PutRecords'), requestTemplates: { 'application/json': templates.putRecords } }, ok)
    await nonProxyMethod(apig, method(iterator, 'GET'), { ...kinesisAction('GetShardIterator'), requestTemplates: { 'application/json': templates.shardIterator } }, ok)
    await nonProxyMethod(apig, method(records, 'GET'), { ...kinesisAction('GetRecords'), requestTemplates: { 'application/json': templates.getRecords } }, ok)
    await deploy(apig, api.id, 'test')
    const call = (httpMethod: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      invoke(nimbus.current, 'path', api.id, 'test', path, {
        method: httpMethod, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body),
      })

    const stream = uniqueName('MyStream')
    const created = await call('POST', `/streams/${stream}`, {})
    assert.deepEqual([created.status, created.text], [200, '{}'])
    await advance(nimbus.current, 500)
    const listed = await call('GET', '/streams')
    assert.equal(listed.status, 200)
    assert.ok((listed.json() as { StreamNames: string[] }).StreamNames.includes(stream))

    // A Firehose stream reading the Kinesis stream, created before the records go in.
    const { firehose, s3 } = clients(nimbus.current)
    const bucket = uniqueName('proxy-pipeline').toLowerCase()
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: uniqueName('from-proxy'), DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`, RoleARN: role },
      ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } },
    }))
    await advance(nimbus.current, 5_000)

    const put = await call('PUT', `/streams/${stream}/record`, { Data: 'some data', PartitionKey: 'some key' })
    assert.equal(put.status, 200)
    const single = put.json() as { ShardId: string; SequenceNumber: string }
    assert.match(single.SequenceNumber, /^\d{56}$/)
    const batch = await call('PUT', `/streams/${stream}/records`, { records: [
      { data: 'some data', 'partition-key': 'some key' }, { data: 'some other data', 'partition-key': 'some key' },
    ] })
    assert.equal(batch.status, 200)
    const putRecords = batch.json() as { FailedRecordCount: number; Records: Array<{ ShardId: string }> }
    assert.equal(putRecords.FailedRecordCount, 0)
    // One partition key: one shard for all three.
    assert.deepEqual(putRecords.Records.map((r) => r.ShardId), [single.ShardId, single.ShardId])

    const it1 = await call('GET', `/streams/${stream}/sharditerator?shard-id=${single.ShardId}`)
    assert.equal(it1.status, 200)
    const { ShardIterator } = it1.json() as { ShardIterator: string }
    const got = await call('GET', `/streams/${stream}/records`, undefined, { 'Shard-Iterator': ShardIterator })
    assert.equal(got.status, 200)
    const data = (got.json() as { Records: Array<{ Data: string; PartitionKey: string }> }).Records
      .map((r) => [Buffer.from(r.Data, 'base64').toString(), r.PartitionKey])
    // $input.json('$.Data') is the JSON of the value (quoted); $elem.data the bare string.
    assert.deepEqual(data, [['"some data"', 'some key'], ['some data', 'some key'], ['some other data', 'some key']])

    await advance(nimbus.current, 1_000)
    await advance(nimbus.current, 60_000)
    await deliveriesSettled(nimbus.current, 1)
    const keys = await listKeys(s3, bucket)
    assert.equal(keys.length, 1)
    assert.equal((await objectBytes(s3, bucket, keys[0]!)).toString(), '"some data"some datasome other data')
  })
})
