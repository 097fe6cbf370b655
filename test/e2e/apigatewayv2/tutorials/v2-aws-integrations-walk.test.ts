// "Create AWS service integrations for HTTP APIs", walked with the AWS CLI as the guide writes it:
// `create-integration --integration-subtype SQS-SendMessage --integration-type AWS_PROXY
// --payload-format-version 1.0 --credentials-arn … --request-parameters '{"QueueUrl":
// "$request.header.queueUrl", "MessageBody": "$request.body.message"}'`, a route, an auto-deployed
// stage, then requests whose answers have the shape AWS's samples print: SQS's JSON form of its query
// response, members alphabetical and absent ones `null`.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs'
import { invokeHttpApi } from '../../../helpers/apigatewayv2.ts'
import { awsCli } from '../../../helpers/aws-cli.ts'
import { testCredentials, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('HTTP API AWS service integrations, as the guide shows them', () => {
  it('SQS-SendMessage from a header and a body field; ReceiveMessage and DeleteMessage answer in the same form', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('http-api-queue') }))
    const cli = (...args: string[]) => awsCli<Record<string, unknown>>(nimbus.current, 'apigatewayv2', ...args)
    const { ApiId } = await cli('create-api', '--name', 'sqs-api', '--protocol-type', 'HTTP') as { ApiId: string }
    const integration = await cli('create-integration', '--api-id', ApiId, '--integration-subtype', 'SQS-SendMessage', '--integration-type', 'AWS_PROXY',
      '--payload-format-version', '1.0', '--credentials-arn', 'arn:aws:iam::000000000000:role/apigateway-sqs',
      '--request-parameters', '{"QueueUrl": "$request.header.queueUrl", "MessageBody": "$request.body.message"}')
    assert.deepEqual({ ...integration, IntegrationId: 'id' }, {
      ConnectionType: 'INTERNET', CredentialsArn: 'arn:aws:iam::000000000000:role/apigateway-sqs', IntegrationId: 'id', IntegrationMethod: 'POST',
      IntegrationSubtype: 'SQS-SendMessage', IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '1.0',
      RequestParameters: { QueueUrl: '$request.header.queueUrl', MessageBody: '$request.body.message' }, TimeoutInMillis: 30000,
    })
    await cli('create-route', '--api-id', ApiId, '--route-key', 'POST /send', '--target', `integrations/${integration['IntegrationId'] as string}`)
    const receive = await cli('create-integration', '--api-id', ApiId, '--integration-subtype', 'SQS-ReceiveMessage', '--integration-type', 'AWS_PROXY',
      '--payload-format-version', '1.0', '--request-parameters', JSON.stringify({ QueueUrl: QueueUrl! }))
    await cli('create-route', '--api-id', ApiId, '--route-key', 'GET /receive', '--target', `integrations/${receive['IntegrationId'] as string}`)
    const remove = await cli('create-integration', '--api-id', ApiId, '--integration-subtype', 'SQS-DeleteMessage', '--integration-type', 'AWS_PROXY',
      '--payload-format-version', '1.0', '--request-parameters', JSON.stringify({ QueueUrl: QueueUrl!, ReceiptHandle: '$request.querystring.handle' }))
    await cli('create-route', '--api-id', ApiId, '--route-key', 'DELETE /receive', '--target', `integrations/${remove['IntegrationId'] as string}`)
    await cli('create-stage', '--api-id', ApiId, '--stage-name', '$default', '--auto-deploy')

    const empty = await invokeHttpApi(nimbus.current, ApiId, '/receive')
    assert.equal(empty.status, 200)
    assert.match(empty.text, /^\{"ReceiveMessageResponse":\{"ReceiveMessageResult":\{"messages":null\},"ResponseMetadata":\{"RequestId":"[^"]+"\}\}\}$/)

    const sent = await invokeHttpApi(nimbus.current, ApiId, '/send', {
      method: 'POST', headers: { queueUrl: QueueUrl!, 'content-type': 'application/json' }, body: '{"message": "Hello"}',
    })
    assert.equal(sent.status, 200)
    assert.equal(sent.headers['content-type'], 'application/json')
    assert.match(sent.text, new RegExp('^\\{"SendMessageResponse":\\{"ResponseMetadata":\\{"RequestId":"[^"]+"\\},"SendMessageResult":\\{'
      + '"MD5OfMessageAttributes":null,"MD5OfMessageBody":"8b1a9953c4611296a827abf8c47804d7","MD5OfMessageSystemAttributes":null,'
      + '"MessageId":"[0-9a-f-]{36}","SequenceNumber":null\\}\\}\\}$'))

    const received = await invokeHttpApi(nimbus.current, ApiId, '/receive')
    const body = received.json() as { ReceiveMessageResponse: { ReceiveMessageResult: { messages: Record<string, unknown>[] } } }
    const [message] = body.ReceiveMessageResponse.ReceiveMessageResult.messages
    assert.deepEqual(Object.keys(message!), ['Attributes', 'Body', 'MD5OfBody', 'MD5OfMessageAttributes', 'MessageAttributes', 'MessageId', 'ReceiptHandle'])
    assert.equal(message!['Body'], 'Hello')
    assert.equal(message!['MD5OfBody'], '8b1a9953c4611296a827abf8c47804d7')
    assert.equal(message!['MD5OfMessageAttributes'], null)

    const deleted = await invokeHttpApi(nimbus.current, ApiId, `/receive?handle=${encodeURIComponent(message!['ReceiptHandle'] as string)}`, { method: 'DELETE' })
    assert.equal(deleted.status, 200)
    assert.match(deleted.text, /^\{"DeleteMessageResponse":\{"ResponseMetadata":\{"RequestId":"[^"]+"\}\}\}$/)

    // The header the mapping reads is missing: AWS answers 500.
    const missing = await invokeHttpApi(nimbus.current, ApiId, '/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message": "Hello"}' })
    assert.equal(missing.status, 500)
    assert.deepEqual(missing.json(), { message: 'Internal Server Error' })
  })
})
