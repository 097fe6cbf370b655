// HTTP APIs' Get* lists page as the API reference documents: MaxResults items at a time and a
// NextToken while more remain (boto3's paginators rely on it); a bad token is refused.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, it } from 'node:test'
import { CreateApiCommand, CreateRouteCommand, GetApisCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { awsCliEnv } from '../../helpers/aws-cli.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()

describe('HTTP API list pages', () => {
  it('pages GetApis and GetRoutes by MaxResults and NextToken, by hand with the SDK and with boto3\'s paginator', async () => {
    const client = apiGatewayV2Client(nimbus.current)
    const names = [uniqueName('a'), uniqueName('b'), uniqueName('c')]
    const ids: string[] = []
    for (const Name of names) ids.push((await client.send(new CreateApiCommand({ Name, ProtocolType: 'HTTP' }))).ApiId!)
    const first = await client.send(new GetApisCommand({ MaxResults: '2' }))
    assert.deepEqual(first.Items!.map((a) => a.Name), names.slice(0, 2))
    assert.ok(first.NextToken !== undefined)
    const second = await client.send(new GetApisCommand({ MaxResults: '2', NextToken: first.NextToken }))
    assert.deepEqual(second.Items!.map((a) => a.Name), names.slice(2))
    assert.equal(second.NextToken, undefined)
    const all: string[] = []
    // The JS SDK has no paginator for apigatewayv2 (its model declares none): a loop as users write it.
    let token: string | undefined
    do {
      const p = await client.send(new GetApisCommand({ MaxResults: '1', NextToken: token }))
      all.push(...p.Items!.map((a) => a.Name!))
      token = p.NextToken
    } while (token !== undefined)
    assert.deepEqual(all, names)

    for (const key of ['GET /a', 'GET /b', 'GET /c']) await client.send(new CreateRouteCommand({ ApiId: ids[0], RouteKey: key }))
    const routes = await client.send(new GetRoutesCommand({ ApiId: ids[0], MaxResults: '1' }))
    assert.equal(routes.Items!.length, 1)
    assert.ok(routes.NextToken !== undefined)
    const boto3 = `import boto3
c = boto3.client('apigatewayv2', endpoint_url='${nimbus.current.endpoint}', region_name='us-east-1')
keys = [r['RouteKey'] for page in c.get_paginator('get_routes').paginate(ApiId='${ids[0]}', PaginationConfig={'PageSize': 1}) for r in page['Items']]
print(','.join(sorted(keys)))`
    const { stdout } = await promisify(execFile)('python3', ['-c', boto3], { env: awsCliEnv })
    assert.equal(stdout.trim(), 'GET /a,GET /b,GET /c')

    const bad = await sdkError(client.send(new GetApisCommand({ NextToken: 'not-a-token' })))
    assert.deepEqual([bad.name, bad.status], ['BadRequestException', 400])
  })
})
