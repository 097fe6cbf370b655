// How GetRestApi (and the other RestApi answers) show a resource policy: plain JSON for SDK callers, and
// AWS's own text — minified, quotes and forward slashes backslash-escaped — for Terraform, whose AWS
// provider unescapes it before parsing (terraform-provider-aws#4606) and fails on plain JSON.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { APIGatewayClient, CreateRestApiCommand, GetRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway'
import { apiGatewayClient } from '../../helpers/apigateway.ts'
import { testCredentials, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke',
  Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }] }, null, 2)

describe('a REST API\'s policy as clients read it', () => {
  it('is plain JSON for the SDK and AWS\'s escaped text for Terraform', async () => {
    const sdk = apiGatewayClient(nimbus.current)
    const api = await sdk.send(new CreateRestApiCommand({ name: uniqueName('policy'), policy }))
    const plain = JSON.parse((await sdk.send(new GetRestApiCommand({ restApiId: api.id }))).policy!) as { Statement: { Resource: string }[] }
    assert.equal(plain.Statement[0]!.Resource, `arn:aws:execute-api:us-east-1:000000000000:${api.id}/*`)

    const terraform = new APIGatewayClient({ endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1,
      customUserAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.0 terraform-provider-aws/5.60.0' })
    const escaped = (await terraform.send(new GetRestApiCommand({ restApiId: api.id }))).policy!
    assert.ok(escaped.startsWith('{\\"Version\\":\\"2012-10-17\\"'), escaped)
    assert.match(escaped, /10\.0\.0\.0\\\/8/)
    // What the provider does: the text as a JSON string literal's contents.
    assert.deepEqual(JSON.parse(JSON.parse(`"${escaped}"`) as string), plain)
    const listed = (await terraform.send(new GetRestApisCommand({}))).items!.find((item) => item.id === api.id)!
    assert.equal(listed.policy, escaped)
  })
})
