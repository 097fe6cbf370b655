// "Tutorial: Create a WebSocket chat app with a WebSocket API, Lambda and DynamoDB", walked as a new
// user does it: a connections table, one function per route ($connect, $disconnect, sendmessage,
// $default) in Node.js with SDK v3, the API made by CLI-style calls (routes, a deployment, a
// `production` stage), then wscat-style clients (Node's WebSocket): `{"action": "sendmessage", ...}`
// reaches the other clients through @connections PostToConnection, any other message gets the
// $default function's "Use the sendmessage route…" with GetConnection's answer, and a close removes
// the id. One change from the tutorial's code, as the README's Client quirks say: these clients use
// the path-form URL, so the events' domainName is 127.0.0.1, and the management client is created
// without `endpoint: 'https://' + domainName + '/' + stage`: it reads AWS_ENDPOINT_URL, which Nimbus
// sets for functions. The tutorial's expression itself, with host-form clients, is
// websocket-invoke-hosts.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { ScanCommand } from '@aws-sdk/client-dynamodb'
import { GetFunctionCommand } from '@aws-sdk/client-lambda'
import { apiGatewayV2Client } from '../../../helpers/apigatewayv2.ts'
import { activeTable, dynamoClient } from '../../../helpers/dynamodb.ts'
import { createFunction, lambdaClient } from '../../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../../helpers/nimbus.ts'
import { openSocket, pathFormUrl } from '../../../helpers/websocket.ts'

const nimbus = useNimbus()

const connect = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb'
const docClient = DynamoDBDocumentClient.from(new DynamoDBClient({}))
export const handler = async (event) => {
  try {
    await docClient.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { connectionId: event.requestContext.connectionId } }))
  } catch (err) {
    return { statusCode: 500 }
  }
  return { statusCode: 200 }
}`

const disconnect = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb'
const docClient = DynamoDBDocumentClient.from(new DynamoDBClient({}))
export const handler = async (event) => {
  await docClient.send(new DeleteCommand({ TableName: process.env.TABLE_NAME, Key: { connectionId: event.requestContext.connectionId } }))
  return { statusCode: 200 }
}`

const send = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
const docClient = DynamoDBDocumentClient.from(new DynamoDBClient({}))
export const handler = async (event) => {
  const connections = await docClient.send(new ScanCommand({ TableName: process.env.TABLE_NAME, ProjectionExpression: 'connectionId' }))
  const callbackAPI = new ApiGatewayManagementApiClient({ apiVersion: '2018-11-29' })
  const message = JSON.parse(event.body).message
  await Promise.all(connections.Items.map(async ({ connectionId }) => {
    if (connectionId !== event.requestContext.connectionId) {
      await callbackAPI.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: message }))
    }
  }))
  return { statusCode: 200 }
}`

const fallback = `import { ApiGatewayManagementApiClient, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
export const handler = async (event) => {
  const connectionId = event.requestContext.connectionId
  const callbackAPI = new ApiGatewayManagementApiClient({ apiVersion: '2018-11-29' })
  const connectionInfo = await callbackAPI.send(new GetConnectionCommand({ ConnectionId: connectionId }))
  connectionInfo.connectionID = connectionId
  await callbackAPI.send(new PostToConnectionCommand({
    ConnectionId: connectionId, Data: 'Use the sendmessage route to send a message. Your info:' + JSON.stringify(connectionInfo),
  }))
  return { statusCode: 200 }
}`

describe('the WebSocket chat app tutorial', { timeout: 90_000 }, () => {
  it('connects, sends to the others with sendmessage, answers other messages from $default, forgets closed connections', async () => {
    const db = dynamoClient(nimbus.current)
    const table = await activeTable(nimbus.current, db, {
      TableName: uniqueName('chat-connections'), BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
    })
    const lambda = lambdaClient(nimbus.current)
    const client = apiGatewayV2Client(nimbus.current)
    const api = await client.send(new CreateApiCommand({ Name: uniqueName('websocket-chat-app'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const ApiId = api.ApiId!
    assert.match(api.ApiEndpoint!, new RegExp(`^ws://${ApiId}\\.execute-api\\.localhost:\\d+$`))
    for (const [RouteKey, code] of [['$connect', connect], ['$disconnect', disconnect], ['sendmessage', send], ['$default', fallback]] as const) {
      const name = await createFunction(lambda, [{ path: 'index.mjs', content: code }], { Timeout: 30, Environment: { Variables: { TABLE_NAME: table } } })
      const arn = (await lambda.send(new GetFunctionCommand({ FunctionName: name }))).Configuration!.FunctionArn!
      const integration = await client.send(new CreateIntegrationCommand({
        ApiId, IntegrationType: 'AWS_PROXY', IntegrationMethod: 'POST',
        IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`,
      }))
      const route = await client.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${integration.IntegrationId}` }))
      assert.equal(route.RouteKey, RouteKey)
      assert.equal(route.AuthorizationType, 'NONE')
    }
    const deployment = await client.send(new CreateDeploymentCommand({ ApiId }))
    assert.equal(deployment.DeploymentStatus, 'DEPLOYED')
    await client.send(new CreateStageCommand({ ApiId, StageName: 'production', DeploymentId: deployment.DeploymentId }))
    assert.equal((await client.send(new GetStageCommand({ ApiId, StageName: 'production' }))).DeploymentId, deployment.DeploymentId)

    const ids = async () => ((await db.send(new ScanCommand({ TableName: table }))).Items ?? []).map((item) => item['connectionId']!.S!).sort()
    const url = pathFormUrl(nimbus.current, ApiId, 'production')
    const first = await openSocket(url)
    const second = await openSocket(url)
    const third = await openSocket(url)
    assert.equal((await ids()).length, 3)

    first.send(JSON.stringify({ action: 'sendmessage', message: 'hello, everyone!' }))
    assert.equal(await second.next(), 'hello, everyone!')
    assert.equal(await third.next(), 'hello, everyone!')

    // Anything without a matching action goes to $default, which tells the client about itself.
    second.send('hello')
    const answer = await second.next()
    const prefix = 'Use the sendmessage route to send a message. Your info:'
    assert.ok(answer.startsWith(prefix), answer)
    const info = JSON.parse(answer.slice(prefix.length)) as { ConnectedAt: string; LastActiveAt: string; Identity: Record<string, string>; connectionID: string }
    assert.ok((await ids()).includes(info.connectionID))
    assert.equal(info.Identity['SourceIp'], '127.0.0.1')
    assert.equal(typeof info.Identity['UserAgent'], 'string')
    assert.ok(!Number.isNaN(Date.parse(info.ConnectedAt)) && !Number.isNaN(Date.parse(info.LastActiveAt)))

    // Closing a client runs $disconnect, which deletes its id (best effort, after the close).
    third.socket.close()
    await third.closed
    for (let i = 0; i < 200 && (await ids()).length !== 2; i++) await new Promise((r) => setTimeout(r, 25))
    assert.equal((await ids()).length, 2)
    second.send(JSON.stringify({ action: 'sendmessage', message: 'still here?' }))
    assert.equal(await first.next(), 'still here?')
    first.socket.close()
    second.socket.close()
    await Promise.all([first.closed, second.closed])
  })
})
