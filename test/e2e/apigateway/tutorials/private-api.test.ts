// Walks "Tutorial: Create a private REST API" up to where it needs a VPC: the API created PRIVATE with the AWS CLI,
// a MOCK method, a first deployment refused without a resource policy (AWS's BadRequestException), the tutorial's
// policy — deny unless the request comes through the VPC endpoint, allow otherwise — attached, then deployed. No
// request reaches Nimbus through a VPC endpoint, so the invoke URL answers the policy's explicit deny.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateDeploymentCommand, UpdateRestApiCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient, invoke, mockMethod } from '../../../helpers/apigateway.ts'
import { awsCli } from '../../../helpers/aws-cli.ts'
import { useNimbus } from '../../../helpers/nimbus.ts'
import { sdkError } from '../../../helpers/sdk-error.ts'

const nimbus = useNimbus()

const vpce = 'vpce-0123456789abcdef0'
const policy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { StringNotEquals: { 'aws:SourceVpce': vpce } } },
    { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
  ],
})

describe('the private REST API tutorial', () => {
  it('refuses to deploy a PRIVATE API without a resource policy, deploys it with the tutorial\'s, and the policy denies public callers', async () => {
    const api = await awsCli<{ id: string; rootResourceId: string; endpointConfiguration: { types: string[] } }>(nimbus.current,
      'apigateway', 'create-rest-api', '--name', 'private-api-tutorial', '--endpoint-configuration', 'types=PRIVATE')
    assert.deepEqual(api.endpointConfiguration.types, ['PRIVATE'])
    const client = apiGatewayClient(nimbus.current)
    await mockMethod(client, api.id, api.rootResourceId, 'GET', 200, '{"message": "Hello from a private API"}')

    const refused = await sdkError(client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test' })))
    assert.equal(refused.name, 'BadRequestException')
    assert.equal(refused.message, 'Private REST API doesn\'t have a resource policy attached to it')
    assert.equal(refused.status, 400)

    await client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/policy', value: policy }] }))
    const deployed = await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'test' }))
    assert.match(deployed.id!, /^[a-z0-9]{6}$/)
    const outside = await invoke(nimbus.current, 'path', api.id, 'test', '/')
    assert.equal(outside.status, 403)
    assert.deepEqual(outside.json(), { Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:000000000000:${api.id}/test/GET/ with an explicit deny` })
  })
})
