// Access logs to Amazon Data Firehose, as AWS's "Log REST API calls to Amazon Data Firehose" guide
// sets them up: a stage's destination `arn:aws:firehose:{region}:{account}:deliverystream/amazon-apigateway-{name}`
// (another name is refused), each request's line one record, delivered to the stream's S3 bucket as
// its buffering says (stepped on the manual clock) — REST and HTTP API stages alike.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { UpdateStageCommand } from '@aws-sdk/client-api-gateway'
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2'
import { CreateDeliveryStreamCommand, DeleteDeliveryStreamCommand } from '@aws-sdk/client-firehose'
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { apiGatewayClient, createApi, createPath, deploy, invoke, mockMethod } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { clients, deliveriesSettled, listKeys, objectBytes } from '../firehose/firehose-helpers.ts'

const nimbus = useNimbus()

/** An ACTIVE `amazon-apigateway-…` stream delivering to a fresh bucket every 60 s. */
async function accessLogStream(): Promise<{ arn: string; bucket: string }> {
  const { firehose, s3 } = clients(nimbus.current)
  const bucket = uniqueName('access-logs').toLowerCase()
  const name = `amazon-apigateway-${uniqueName('logs')}`
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  const created = await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: {
    RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
  } }))
  await advance(nimbus.current, 5_000)
  return { arn: created.DeliveryStreamARN!, bucket }
}

async function deliveredLines(bucket: string): Promise<string[]> {
  await advance(nimbus.current, 60_000)
  await deliveriesSettled(nimbus.current, 1)
  const { s3 } = clients(nimbus.current)
  const keys = await listKeys(s3, bucket)
  const bodies = await Promise.all(keys.map((key) => objectBytes(s3, bucket, key)))
  return bodies.map((b) => b.toString('utf8')).join('').split('\n').filter((l) => l !== '')
}

describe('API Gateway access logs to Firehose', () => {
  it('REST: needs the amazon-apigateway- name prefix; each request is a record landing in S3', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, await createPath(client, api, '/pets'), 'GET', 200, '{"ok": true}')
    await deploy(client, api.id, 'dev')
    const { arn, bucket } = await accessLogStream()
    assert.match(arn, /^arn:aws:firehose:us-east-1:000000000000:deliverystream\/amazon-apigateway-/)
    const format = '{"requestId":"$context.requestId","status":"$context.status","resourcePath":"$context.resourcePath"}'
    const wrong = await sdkError(client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/my-logs' }] })))
    assert.equal(wrong.name, 'BadRequestException')
    await client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: arn }, { op: 'replace', path: '/accessLogSettings/format', value: format }] }))
    const first = await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    const second = await invoke(nimbus.current, 'path', api.id, 'dev', '/nowhere')
    const lines = (await deliveredLines(bucket)).map((l) => JSON.parse(l) as Record<string, string>)
    assert.deepEqual(lines, [
      { requestId: String(first.headers['x-amzn-requestid']), status: '200', resourcePath: '/pets' },
      { requestId: String(second.headers['x-amzn-requestid']), status: '403', resourcePath: '-' },
    ])
    // The stream deleted under the stage: the line is lost (logged), the request served as ever.
    await clients(nimbus.current).firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: arn.split('/').pop()! }))
    const afterDelete = await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')
    assert.equal(afterDelete.status, 200, afterDelete.text)
    assert.equal((await invoke(nimbus.current, 'host', api.id, 'dev', '/pets')).status, 200)
  })

  it('HTTP API: a stage\'s AccessLogSettings to a Firehose stream', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId!, IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://127.0.0.1:9/x' }))
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId!, RouteKey: 'GET /down', Target: `integrations/${integration.IntegrationId}` }))
    const { arn, bucket } = await accessLogStream()
    const format = '$context.requestId $context.routeKey $context.status'
    const wrong = await sdkError(client.send(new CreateStageCommand({ ApiId: api.ApiId!, StageName: 'other', AccessLogSettings: {
      DestinationArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/logs', Format: format } })))
    assert.equal(wrong.name, 'BadRequestException')
    await client.send(new CreateStageCommand({ ApiId: api.ApiId!, StageName: '$default', AutoDeploy: true, AccessLogSettings: { DestinationArn: arn, Format: format } }))
    const down = await invokeHttpApi(nimbus.current, api.ApiId!, '/down')
    assert.deepEqual(await deliveredLines(bucket), [`${String(down.headers['apigw-requestid'])} GET /down 500`])
  })
})
