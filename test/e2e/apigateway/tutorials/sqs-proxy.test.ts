// Walks the knowledge center's "integrate an API Gateway REST API with Amazon SQS" both ways it gives: the AWS query
// protocol (path override `{account}/{queue}`, `Content-Type: 'application/x-www-form-urlencoded'`, the template
// `Action=SendMessage&MessageBody=$input.body`) and the AWS JSON protocol (path `/`, `Content-Type:
// 'application/x-amz-json-1.0'`, `X-Amz-Target: 'AmazonSQS.SendMessage'`, a JSON template naming the QueueUrl). SQS
// answers XML to the first and JSON to the second; the message arrives as the client posted it.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { apiGatewayClient, createApi, createPath, deploy, invoke, nonProxyMethod } from '../../../helpers/apigateway.ts'
import { testCredentials, uniqueName, useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('the SQS proxy walk-through', () => {
  it('sends the posted body to a queue by the query protocol and by the JSON protocol', async () => {
    const sqs = new SQSClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 })
    const queue = uniqueName('tutq')
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queue }))
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    const credentials = 'arn:aws:iam::000000000000:role/apigateway-sqs'
    const query = await createPath(client, api, 'query')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: query, httpMethod: 'POST' }, {
      type: 'AWS', integrationHttpMethod: 'POST', uri: `arn:aws:apigateway:us-east-1:sqs:path/000000000000/${queue}`, credentials,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
      requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$input.body' }, passthroughBehavior: 'NEVER',
    }, [{ statusCode: '200' }])
    const json = await createPath(client, api, 'json')
    await nonProxyMethod(client, { restApiId: api.id, resourceId: json, httpMethod: 'POST' }, {
      type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:sqs:path//', credentials,
      requestParameters: { 'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
        'integration.request.header.X-Amz-Target': "'AmazonSQS.SendMessage'" },
      requestTemplates: { 'application/json': `{"QueueUrl": "${QueueUrl}", "MessageBody": "$util.escapeJavaScript($input.body)"}` },
      passthroughBehavior: 'NEVER',
    }, [{ statusCode: '200' }])
    await deploy(client, api.id, 'prod')
    const post = (path: string, body: string) => invoke(nimbus.current, 'path', api.id, 'prod', path,
      { method: 'POST', body, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } })

    const viaQuery = await post('/query', 'hello-from-query')
    assert.equal(viaQuery.status, 200)
    const md5 = createHash('md5').update('hello-from-query').digest('hex')
    assert.match(viaQuery.text, new RegExp('<SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><SendMessageResult>' +
      `<MD5OfMessageBody>${md5}</MD5OfMessageBody><MessageId>`))
    const viaJson = await post('/json', '{"hello":"world"}')
    assert.equal(viaJson.status, 200)
    assert.deepEqual(Object.keys(viaJson.json() as object).sort(), ['MD5OfMessageBody', 'MessageId'])

    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))
    assert.deepEqual(received.Messages?.map((m) => m.Body).sort(), ['hello-from-query', '{"hello":"world"}'])
  })
})
