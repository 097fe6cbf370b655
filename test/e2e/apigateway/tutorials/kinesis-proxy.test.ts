// Walks the developer guide's "Tutorial: Create a REST API as an Amazon Kinesis proxy" as a user would: the
// tutorial's API (its Swagger definition, imported with the AWS CLI's `import-rest-api`), deployed to `test`,
// then every method the tutorial tests, compared with the status and bodies the guide prints — ids, sequence
// numbers and timestamps differ, shapes and the documented values (hash key ranges, the shard "some key" lands
// on, the base64 the templates make) must not.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { GetExportCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, deploy, invoke } from '../../../helpers/apigateway.ts'
import { awsCli } from '../../../helpers/aws-cli.ts'
import { advance, useNimbus } from '../../../helpers/nimbus.ts'
import { kinesisProxyApi } from './kinesis-proxy-api.ts'

const nimbus = useNimbus()

async function importWithCli(definition: unknown): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-kinesis-proxy-'))
  try {
    writeFileSync(join(dir, 'api.json'), JSON.stringify(definition))
    const api = await awsCli<{ id: string; name: string }>(nimbus.current, 'apigateway', 'import-rest-api', '--body', `fileb://${join(dir, 'api.json')}`)
    assert.equal(api.name, 'KinesisProxy')
    return api.id
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('the Kinesis proxy tutorial', () => {
  it('lists, creates, describes and deletes streams, puts and gets records through the imported API, as the guide shows', async () => {
    const apiId = await importWithCli(kinesisProxyApi)
    const client = apiGatewayClient(nimbus.current)
    const paths = (await client.send(new GetResourcesCommand({ restApiId: apiId }))).items!.map((r) => r.path).sort()
    assert.deepEqual(paths, ['/', '/streams', '/streams/{stream-name}', '/streams/{stream-name}/record', '/streams/{stream-name}/records',
      '/streams/{stream-name}/sharditerator'])
    await deploy(client, apiId, 'test')
    // Content-Length always: Node's client sends a DELETE's body neither chunked nor measured otherwise.
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body)
      return invoke(nimbus.current, 'path', apiId, 'test', path, {
        method, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }, body: text,
      })
    }

    // GET /streams: ListStreams with the `{}` template.
    const none = await call('GET', '/streams')
    assert.equal(none.status, 200)
    assert.equal(none.headers['content-type'], 'application/json')
    assert.deepEqual(none.json(), { StreamNames: [], HasMoreStreams: false, StreamSummaries: [] })

    // POST /streams/{stream-name}: CreateStream with 5 shards, "200 OK response is returned with no data".
    const created = await call('POST', '/streams/myStream', { ShardCount: 5 })
    assert.equal(created.status, 200)
    assert.deepEqual(created.json(), {})
    await advance(nimbus.current, 500)
    const listed = (await call('GET', '/streams')).json() as { StreamNames: string[]; HasMoreStreams: boolean }
    assert.deepEqual([listed.StreamNames, listed.HasMoreStreams], [['myStream'], false])

    // GET /streams/{stream-name}: DescribeStream, the guide's hash key ranges for five shards.
    const described = await call('GET', '/streams/myStream')
    assert.equal(described.status, 200)
    const description = (described.json() as { StreamDescription: Record<string, unknown> }).StreamDescription
    const shards = description['Shards'] as { ShardId: string; HashKeyRange: { StartingHashKey: string; EndingHashKey: string } }[]
    assert.deepEqual([description['StreamName'], description['StreamStatus'], description['HasMoreShards'], description['RetentionPeriodHours']],
      ['myStream', 'ACTIVE', false, 24])
    assert.equal(description['StreamARN'], 'arn:aws:kinesis:us-east-1:000000000000:stream/myStream')
    assert.deepEqual(shards[0], { ...shards[0], ShardId: 'shardId-000000000000',
      HashKeyRange: { StartingHashKey: '0', EndingHashKey: '68056473384187692692674921486353642290' } })
    assert.deepEqual(shards[4], { ...shards[4], ShardId: 'shardId-000000000004',
      HashKeyRange: { StartingHashKey: '272225893536750770770699685945414569164', EndingHashKey: '340282366920938463463374607431768211455' } })

    // PUT /streams/{stream-name}/record: PutRecord; "some key" hashes to the guide's shardId-000000000004.
    const one = await call('PUT', '/streams/myStream/record', { Data: 'some data', PartitionKey: 'some key' })
    assert.equal(one.status, 200)
    const put = one.json() as { SequenceNumber: string; ShardId: string }
    assert.equal(put.ShardId, 'shardId-000000000004')
    assert.match(put.SequenceNumber, /^\d{56}$/)

    // PUT /streams/{stream-name}/records: PutRecords with the guide's two records.
    const many = await call('PUT', '/streams/myStream/records', { records: [
      { data: 'some data', 'partition-key': 'some key' }, { data: 'some other data', 'partition-key': 'some key' }] })
    assert.equal(many.status, 200)
    const batch = many.json() as { FailedRecordCount: number; Records: { SequenceNumber: string; ShardId: string }[] }
    assert.equal(batch.FailedRecordCount, 0)
    assert.deepEqual(batch.Records.map((r) => r.ShardId), ['shardId-000000000004', 'shardId-000000000004'])

    // GET /streams/{stream-name}/sharditerator?shard-id=…, then GET /streams/{stream-name}/records with Shard-Iterator.
    const iterator = await call('GET', '/streams/myStream/sharditerator?shard-id=shardId-000000000004')
    assert.equal(iterator.status, 200)
    const { ShardIterator } = iterator.json() as { ShardIterator: string }
    const read = await call('GET', '/streams/myStream/records', undefined, { 'shard-iterator': ShardIterator })
    assert.equal(read.status, 200)
    const records = read.json() as { Records: { Data: string; PartitionKey: string; SequenceNumber: string }[]; NextShardIterator: string }
    // $input.json('$.Data') is JSON text: PutRecord's data keeps its quotes; PutRecords' $elem.data is the bare string.
    assert.deepEqual(records.Records.map((r) => [r.Data, r.PartitionKey]),
      [[b64('"some data"'), 'some key'], [b64('some data'), 'some key'], [b64('some other data'), 'some key']])
    assert.deepEqual(records.Records.map((r) => r.SequenceNumber), [put.SequenceNumber, ...batch.Records.map((r) => r.SequenceNumber)])
    assert.equal(typeof records.NextShardIterator, 'string')

    // GET on a missing stream: only a `default` integration response, so Kinesis's error body comes back as 200.
    const missing = await call('GET', '/streams/nope')
    assert.equal(missing.status, 200)
    assert.equal((missing.json() as { __type: string }).__type, 'com.amazonaws.kinesis#ResourceNotFoundException')
    // DELETE selects `4\d{2}` → 400 and maps Kinesis's Content-Type onto the method response.
    const notDeleted = await call('DELETE', '/streams/nope', {})
    assert.equal(notDeleted.status, 400)
    assert.equal(notDeleted.headers['content-type'], 'application/x-amz-json-1.1')
    assert.match((notDeleted.json() as { message: string }).message, /Stream nope under account 000000000000 not found/)
    const deleted = await call('DELETE', '/streams/myStream', {})
    assert.equal(deleted.status, 200)
    assert.equal(deleted.headers['content-type'], 'application/x-amz-json-1.1')
    assert.deepEqual(deleted.json(), {})

    // The guide's definition is AWS's export of the tutorial's API: exporting it again gives each operation the same
    // consumes (request models' and templates' media types) and produces (response models').
    const exported = await client.send(new GetExportCommand({ restApiId: apiId, stageName: 'test', exportType: 'swagger',
      parameters: { extensions: 'integrations' }, accepts: 'application/json' }))
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8')) as typeof kinesisProxyApi
    const mediaTypes = (d: typeof kinesisProxyApi) => Object.entries(d.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, { consumes?: string[]; produces?: string[] }>).map(([verb, op]) => [path, verb, op.consumes, op.produces]))
    assert.deepEqual(mediaTypes(doc), mediaTypes(kinesisProxyApi))
    assert.deepEqual([doc.basePath, doc.info.title], ['/test', 'KinesisProxy'])
  })
})
