// HTTP APIs' first-class AWS service integrations end to end: SQS SendMessage / ReceiveMessage /
// DeleteMessage / PurgeQueue, EventBridge PutEvents and Kinesis PutRecord by IntegrationSubtype with
// RequestParameters mapped from the request (body, headers, query string, path, context, stage
// variables), the control plane's checks, and a call that can't be made.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetIntegrationCommand } from '@aws-sdk/client-apigatewayv2'
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis'
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { apiGatewayV2Client, invokeHttpApi } from '../../helpers/apigatewayv2.ts'
import { activeStream, kinesisClient } from '../../helpers/kinesis.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const logged: string[] = []
const nimbus = useNimbus({ log: (line) => { logged.push(line) } })
const role = 'arn:aws:iam::000000000000:role/http-api'

/** An HTTP API with a `$default` AutoDeploy stage (variables given) and one route per entry. */
async function httpApi(routes: { routeKey: string; subtype: string; parameters: Record<string, string> }[], variables?: Record<string, string>) {
  const client = apiGatewayV2Client(nimbus.current)
  const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
  const ids: string[] = []
  for (const route of routes) {
    const integration = await client.send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationSubtype: route.subtype, PayloadFormatVersion: '1.0',
      CredentialsArn: role, RequestParameters: route.parameters,
    }))
    ids.push(integration.IntegrationId!)
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: route.routeKey, Target: `integrations/${integration.IntegrationId}` }))
  }
  await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true, StageVariables: variables }))
  return { apiId: api.ApiId!, integrationIds: ids, client }
}

describe('HTTP API first-class AWS service integrations', () => {
  it('sends, receives, deletes and purges SQS messages by subtype', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('http-q') }))
    const { apiId, integrationIds, client } = await httpApi([
      { routeKey: 'POST /messages', subtype: 'SQS-SendMessage',
        parameters: { QueueUrl: '$stageVariables.queue', MessageBody: '$request.body.text', DelaySeconds: '0',
          MessageAttributes: '{"source": {"DataType": "String", "StringValue": "http-api"}}' } },
      { routeKey: 'GET /messages', subtype: 'SQS-ReceiveMessage',
        parameters: { QueueUrl: '$stageVariables.queue', MaxNumberOfMessages: '$request.querystring.max', MessageAttributeNames: 'All' } },
      { routeKey: 'DELETE /messages', subtype: 'SQS-DeleteMessage', parameters: { QueueUrl: '$stageVariables.queue', ReceiptHandle: '$request.header.x-receipt' } },
      { routeKey: 'POST /purge', subtype: 'SQS-PurgeQueue', parameters: { QueueUrl: '$stageVariables.queue' } },
    ], { queue: QueueUrl! })
    const stored = await client.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: integrationIds[0] }))
    assert.equal(stored.IntegrationSubtype, 'SQS-SendMessage')
    assert.equal(stored.RequestParameters?.MessageBody, '$request.body.text')
    assert.equal(stored.CredentialsArn, role)

    const sent = await invokeHttpApi(nimbus.current, apiId, '/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hello"}' })
    assert.equal(sent.status, 200)
    assert.ok(sent.headers['apigw-requestid'])
    const result = (sent.json() as { SendMessageResponse: { SendMessageResult: { MessageId: string; MD5OfMessageBody: string } } }).SendMessageResponse.SendMessageResult
    assert.match(result.MessageId, /^[0-9a-f-]{36}$/)
    assert.equal(result.MD5OfMessageBody, '5d41402abc4b2a76b9719d911017c592')

    const received = await invokeHttpApi(nimbus.current, apiId, '/messages?max=5')
    assert.equal(received.status, 200)
    const messages = (received.json() as { ReceiveMessageResponse: { ReceiveMessageResult: { messages: { Body: string; ReceiptHandle: string; MessageAttributes: Record<string, { StringValue: string }> }[] } } })
      .ReceiveMessageResponse.ReceiveMessageResult.messages
    assert.equal(messages.length, 1)
    assert.equal(messages[0]!.Body, 'hello')
    assert.equal(messages[0]!.MessageAttributes.source!.StringValue, 'http-api')

    const deleted = await invokeHttpApi(nimbus.current, apiId, '/messages', { method: 'DELETE', headers: { 'x-receipt': messages[0]!.ReceiptHandle } })
    assert.equal(deleted.status, 200)
    const attributes = async () => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!
    assert.equal((await attributes()).ApproximateNumberOfMessagesNotVisible, '0')

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'to purge' }))
    const purged = await invokeHttpApi(nimbus.current, apiId, '/purge', { method: 'POST' })
    assert.equal(purged.status, 200)
    assert.equal((await attributes()).ApproximateNumberOfMessages, '0')
  })

  it('puts EventBridge events and Kinesis records by subtype, and answers 500 when a required value is missing', async () => {
    const events = new EventBridgeClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials })
    const bus = uniqueName('http-bus')
    await events.send(new CreateEventBusCommand({ Name: bus }))
    const kinesis = kinesisClient(nimbus.current)
    const stream = await activeStream(nimbus.current, kinesis)
    const { apiId } = await httpApi([
      { routeKey: 'POST /events/{kind}', subtype: 'EventBridge-PutEvents',
        parameters: { EventBusName: bus, Source: 'my.http.api', DetailType: '$request.path.kind', Detail: '$request.body' } },
      { routeKey: 'POST /records', subtype: 'Kinesis-PutRecord',
        parameters: { StreamName: stream, Data: '$request.body.payload', PartitionKey: '$context.requestId' } },
    ])
    const put = await invokeHttpApi(nimbus.current, apiId, '/events/order', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1}' })
    assert.equal(put.status, 200)
    const answer = put.json() as { FailedEntryCount: number; Entries: { EventId: string }[] }
    assert.equal(answer.FailedEntryCount, 0)
    assert.ok(answer.Entries[0]!.EventId)

    const record = await invokeHttpApi(nimbus.current, apiId, '/records', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payload":{"n":7}}' })
    assert.equal(record.status, 200)
    const { ShardId, SequenceNumber } = record.json() as { ShardId: string; SequenceNumber: string }
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }))
    assert.equal(Records?.[0]?.SequenceNumber, SequenceNumber)
    assert.equal(Buffer.from(Records![0]!.Data!).toString(), '{"n":7}')

    // The body has no `payload`: the required Data has no value.
    const missing = await invokeHttpApi(nimbus.current, apiId, '/records', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    assert.equal(missing.status, 500)
    assert.deepEqual(missing.json(), { message: 'Internal Server Error' })
    // The console names what the request lacked, so the user needn't guess which mapping came out empty.
    assert.ok(logged.some((line) => line.includes(`apigatewayv2 ${apiId}: Kinesis-PutRecord integration`)
      && line.includes('(route POST /records): no value for the required Data (from $request.body.payload); answering 500')), logged.join('\n'))
  })

  it('refuses a subtype without its required parameters, an unknown subtype, and a Step Functions one', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('http'), ProtocolType: 'HTTP' }))
    const create = (subtype: string, parameters: Record<string, string>) => client.send(new CreateIntegrationCommand({
      ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationSubtype: subtype, PayloadFormatVersion: '1.0', RequestParameters: parameters,
    }))
    const missing = await sdkError(create('SQS-SendMessage', { QueueUrl: 'https://sqs/q' }))
    assert.equal(missing.name, 'BadRequestException')
    assert.match(missing.message, /MessageBody/)
    const unknown = await sdkError(create('SQS-Nothing', {}))
    assert.equal(unknown.name, 'BadRequestException')
    const steps = await sdkError(create('StepFunctions-StartExecution', { StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:s' }))
    assert.equal(steps.status, 501)
  })
})
