// Request validation for WebSocket APIs, end to end as AWS's guide sets it up: a model, a route whose
// ModelSelectionExpression picks one of its RequestModels (else `$default`), a message that doesn't
// conform answered with the "Bad request body" frame and never reaching the integration.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateApiCommand, CreateIntegrationCommand, CreateIntegrationResponseCommand, CreateModelCommand, CreateRouteCommand, CreateRouteResponseCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { openSocket, pathFormUrl } from '../../helpers/websocket.ts'

const nimbus = useNimbus()

const emailModel = JSON.stringify({
  $schema: 'http://json-schema.org/draft-04/schema#', title: 'emailModel', type: 'object',
  properties: { action: { type: 'string' }, email: { type: 'string', pattern: '^[^@]+@[^@]+$' } }, required: ['email'],
})
const textModel = JSON.stringify({ type: 'object', properties: { text: { type: 'string', maxLength: 5 } }, required: ['text'] })

/** A WebSocket API with a two-way MOCK route `sendMessage` validating by `$request.body.kind`. */
async function validatingApi(requestModels: Record<string, string>): Promise<string> {
  const client = apiGatewayV2Client(nimbus.current)
  const { ApiId } = await client.send(new CreateApiCommand({ Name: uniqueName('ws'), ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
  await client.send(new CreateModelCommand({ ApiId, Name: 'emailModel', ContentType: 'application/json', Schema: emailModel }))
  await client.send(new CreateModelCommand({ ApiId, Name: 'textModel', Schema: textModel }))
  const { IntegrationId } = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', RequestTemplates: { $default: '{"statusCode": 200}' } }))
  await client.send(new CreateIntegrationResponseCommand({ ApiId, IntegrationId, IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"ok": true}' } }))
  const route = await client.send(new CreateRouteCommand({
    ApiId, RouteKey: 'sendMessage', Target: `integrations/${IntegrationId}`, RouteResponseSelectionExpression: '$default',
    ModelSelectionExpression: '$request.body.kind', RequestModels: requestModels,
  }))
  await client.send(new CreateRouteResponseCommand({ ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }))
  await client.send(new CreateStageCommand({ ApiId, StageName: 'production', AutoDeploy: true }))
  return ApiId!
}

describe('WebSocket API request validation', { timeout: 60_000 }, () => {
  it('answers a message that breaks the selected model with the Bad request body frame, without calling the integration', async () => {
    const apiId = await validatingApi({ email: 'emailModel', text: 'textModel', $default: 'emailModel' })
    const socket = await openSocket(pathFormUrl(nimbus.current, apiId, 'production'))
    const ask = async (message: unknown) => {
      socket.send(JSON.stringify(message))
      return socket.next()
    }
    const refused = await ask({ action: 'sendMessage', kind: 'email', email: 'not-an-address' })
    assert.match(refused, /^\{"message": "Invalid request body", "connectionId":"[^"]+", "requestId":"[^"]+"\}$/)
    assert.equal(await ask({ action: 'sendMessage', kind: 'email', email: 'me@example.com' }), '{"ok": true}')
    // The expression selects textModel by the message's own `kind`.
    assert.equal(await ask({ action: 'sendMessage', kind: 'text', text: 'hi' }), '{"ok": true}')
    assert.match(await ask({ action: 'sendMessage', kind: 'text', text: 'far too long' }), /"message": "Invalid request body"/)
    // No model for the key: the `$default` one.
    assert.match(await ask({ action: 'sendMessage', kind: 'other' }), /"message": "Invalid request body"/)
    assert.equal(await ask({ action: 'sendMessage', email: 'a@b' }), '{"ok": true}')
    socket.socket.close()
    await socket.closed
  })

  it('fails the validation when no model matches and there is no $default, and refuses a route naming an unknown model', async () => {
    const apiId = await validatingApi({ text: 'textModel' })
    const socket = await openSocket(pathFormUrl(nimbus.current, apiId, 'production'))
    socket.send(JSON.stringify({ action: 'sendMessage', kind: 'email', email: 'me@example.com' }))
    assert.match(await socket.next(), /"message": "Invalid request body"/)
    socket.send(JSON.stringify({ action: 'sendMessage', kind: 'text', text: 'ok' }))
    assert.equal(await socket.next(), '{"ok": true}')
    socket.socket.close()
    await socket.closed
    const error = await sdkError(apiGatewayV2Client(nimbus.current).send(new CreateRouteCommand({
      ApiId: apiId, RouteKey: 'other', RequestModels: { $default: 'noSuchModel' }, ModelSelectionExpression: '$default',
    })))
    assert.equal(error.name, 'BadRequestException')
  })
})
