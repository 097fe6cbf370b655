// Connections and API destinations as resources: ARNs, states, secrets never returned, listing and
// paging, updates, deletion, and AWS's errors for bad input (aws-behaviour.md §5.3).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateApiDestinationCommand, CreateConnectionCommand, DeauthorizeConnectionCommand, DeleteApiDestinationCommand,
  DeleteConnectionCommand, DescribeApiDestinationCommand, DescribeConnectionCommand, ListApiDestinationsCommand,
  ListConnectionsCommand, PutRuleCommand, PutTargetsCommand, UpdateApiDestinationCommand, UpdateConnectionCommand,
  type ConnectionAuthorizationType, type CreateConnectionAuthRequestParameters,
} from '@aws-sdk/client-eventbridge'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { account, ebClient, region } from './fixtures.ts'

const nimbus = useNimbus()
const eb = () => ebClient(nimbus.current)

async function connection(type: ConnectionAuthorizationType = 'API_KEY', auth?: CreateConnectionAuthRequestParameters, name = uniqueName('conn')) {
  const params = auth ?? { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'key-secret-1' } }
  const out = await eb().send(new CreateConnectionCommand({ Name: name, AuthorizationType: type, AuthParameters: params }))
  return { name, ...out }
}

describe('EventBridge connections', () => {
  it('creates connections with AWS\'s ARNs and states, and never returns their secrets', async () => {
    const secrets = ['basic-pass', 'key-secret-1', 'client-secret-1', 'hidden-header-value']
    const basic = await connection('BASIC', { BasicAuthParameters: { Username: 'user', Password: 'basic-pass' },
      InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-hidden', Value: 'hidden-header-value', IsValueSecret: true },
        { Key: 'x-shown', Value: 'visible', IsValueSecret: false }] } })
    assert.match(basic.ConnectionArn!, new RegExp(`^arn:aws:events:${region}:${account}:connection/${basic.name}/[0-9a-f-]{36}$`))
    assert.equal(basic.ConnectionState, 'AUTHORIZED')
    assert.ok(basic.CreationTime instanceof Date)
    const apiKey = await connection()
    assert.equal(apiKey.ConnectionState, 'AUTHORIZED')
    const oauth = await connection('OAUTH_CLIENT_CREDENTIALS', { OAuthParameters: { AuthorizationEndpoint: 'https://auth.example.com/token',
      HttpMethod: 'POST', ClientParameters: { ClientID: 'cid', ClientSecret: 'client-secret-1' } } })
    assert.equal(oauth.ConnectionState, 'AUTHORIZING', 'OAuth connections wait for a token')

    const described = await Promise.all([basic, apiKey, oauth].map((c) => eb().send(new DescribeConnectionCommand({ Name: c.name }))))
    for (const d of described) {
      const text = JSON.stringify(d)
      for (const secret of secrets) assert.ok(!text.includes(secret), `${d.Name} shows ${secret}`)
      assert.match(d.SecretArn!, new RegExp(`^arn:aws:secretsmanager:${region}:${account}:secret:events!connection/${d.Name}/[0-9a-f-]{36}-[A-Za-z]{6}$`))
    }
    const [b, k, o] = described
    assert.deepEqual(b!.AuthParameters?.BasicAuthParameters, { Username: 'user' })
    assert.deepEqual(b!.AuthParameters?.InvocationHttpParameters?.HeaderParameters,
      [{ Key: 'x-hidden', IsValueSecret: true }, { Key: 'x-shown', Value: 'visible', IsValueSecret: false }])
    assert.deepEqual(k!.AuthParameters?.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key' })
    assert.deepEqual(o!.AuthParameters?.OAuthParameters, { AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST',
      ClientParameters: { ClientID: 'cid' } })
    assert.equal(b!.AuthorizationType, 'BASIC')
    assert.equal(b!.ConnectionArn, basic.ConnectionArn)
  })

  it('lists by NamePrefix and ConnectionState, in pages', async () => {
    const prefix = uniqueName('page')
    for (const n of ['a', 'b', 'c']) await connection('API_KEY', undefined, `${prefix}-${n}`)
    await connection('OAUTH_CLIENT_CREDENTIALS', { OAuthParameters: { AuthorizationEndpoint: 'https://auth.example.com/token',
      HttpMethod: 'GET', ClientParameters: { ClientID: 'cid', ClientSecret: 's' } } }, `${prefix}-d`)
    const first = await eb().send(new ListConnectionsCommand({ NamePrefix: prefix, Limit: 2 }))
    assert.deepEqual(first.Connections?.map((c) => c.Name), [`${prefix}-a`, `${prefix}-b`])
    assert.ok(first.NextToken)
    const second = await eb().send(new ListConnectionsCommand({ NamePrefix: prefix, Limit: 2, NextToken: first.NextToken }))
    assert.deepEqual(second.Connections?.map((c) => c.Name), [`${prefix}-c`, `${prefix}-d`])
    assert.equal(second.NextToken, undefined)
    const authorizing = await eb().send(new ListConnectionsCommand({ NamePrefix: prefix, ConnectionState: 'AUTHORIZING' }))
    assert.deepEqual(authorizing.Connections?.map((c) => [c.Name, c.AuthorizationType]), [[`${prefix}-d`, 'OAUTH_CLIENT_CREDENTIALS']])
  })

  it('updates, deauthorizes and deletes a connection', async () => {
    const c = await connection('BASIC', { BasicAuthParameters: { Username: 'user', Password: 'old-pass' } })
    const updated = await eb().send(new UpdateConnectionCommand({ Name: c.name, Description: 'new',
      AuthParameters: { BasicAuthParameters: { Username: 'new-user' } } }))
    assert.equal(updated.ConnectionState, 'AUTHORIZED')
    const after = await eb().send(new DescribeConnectionCommand({ Name: c.name }))
    assert.deepEqual([after.Description, after.AuthParameters?.BasicAuthParameters?.Username], ['new', 'new-user'])

    const deauthorized = await eb().send(new DeauthorizeConnectionCommand({ Name: c.name }))
    assert.equal(deauthorized.ConnectionState, 'DEAUTHORIZING')
    assert.equal((await eb().send(new DescribeConnectionCommand({ Name: c.name }))).ConnectionState, 'DEAUTHORIZED')

    const deleted = await eb().send(new DeleteConnectionCommand({ Name: c.name }))
    assert.deepEqual([deleted.ConnectionArn, deleted.ConnectionState], [c.ConnectionArn, 'DELETING'])
    const gone = await sdkError(eb().send(new DescribeConnectionCommand({ Name: c.name })))
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', `Failed to describe the connection(s). Connection '${c.name}' does not exist.`])
  })

  it('refuses bad connection input with AWS\'s errors', async () => {
    const enumError = await sdkError(eb().send(new CreateConnectionCommand({ Name: uniqueName('c'),
      AuthorizationType: 'INVALID_AUTH_TYPE' as ConnectionAuthorizationType, AuthParameters: {} })))
    assert.deepEqual([enumError.name, enumError.message], ['ValidationException', "1 validation error detected: Value 'INVALID_AUTH_TYPE' "
      + "at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]"])
    const name = await sdkError(eb().send(new CreateConnectionCommand({ Name: 'Invalid Name With Spaces!', AuthorizationType: 'API_KEY',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } })))
    assert.equal(name.message, "1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy constraint: "
      + 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+')
    const mismatch = await sdkError(eb().send(new CreateConnectionCommand({ Name: uniqueName('c'), AuthorizationType: 'BASIC',
      AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } })))
    assert.equal(mismatch.name, 'ValidationException')
    const missing = await sdkError(eb().send(new CreateConnectionCommand({ Name: uniqueName('c'), AuthorizationType: 'BASIC',
      AuthParameters: { BasicAuthParameters: { Username: 'u' } as never } })))
    assert.deepEqual([missing.name, missing.message], ['ValidationException',
      "1 validation error detected: Value null at 'authParameters.basicAuthParameters.password' failed to satisfy constraint: Member must not be null"])
    const existing = await connection()
    const duplicate = await sdkError(connection('API_KEY', undefined, existing.name))
    assert.equal(duplicate.name, 'ResourceAlreadyExistsException')
    const unknown = await sdkError(eb().send(new UpdateConnectionCommand({ Name: uniqueName('nope') })))
    assert.equal(unknown.name, 'ResourceNotFoundException')
  })
})

describe('EventBridge API destinations (resources)', () => {
  it('creates, lists, updates and deletes API destinations', async () => {
    const c = await connection()
    const name = uniqueName('dest')
    const created = await eb().send(new CreateApiDestinationCommand({ Name: name, ConnectionArn: c.ConnectionArn,
      InvocationEndpoint: 'https://example.com/api/*', HttpMethod: 'POST', Description: 'first' }))
    assert.match(created.ApiDestinationArn!, new RegExp(`^arn:aws:events:${region}:${account}:api-destination/${name}/[0-9a-f-]{36}$`))
    assert.equal(created.ApiDestinationState, 'ACTIVE')
    const described = await eb().send(new DescribeApiDestinationCommand({ Name: name }))
    assert.deepEqual([described.InvocationEndpoint, described.HttpMethod, described.InvocationRateLimitPerSecond, described.ConnectionArn,
      described.Description], ['https://example.com/api/*', 'POST', 300, c.ConnectionArn, 'first'])

    const listed = await eb().send(new ListApiDestinationsCommand({ ConnectionArn: c.ConnectionArn }))
    assert.deepEqual(listed.ApiDestinations?.map((d) => d.Name), [name])
    assert.deepEqual((await eb().send(new ListApiDestinationsCommand({ NamePrefix: 'zzz-none' }))).ApiDestinations, [])

    await eb().send(new UpdateApiDestinationCommand({ Name: name, HttpMethod: 'PUT', InvocationRateLimitPerSecond: 10 }))
    const updated = await eb().send(new DescribeApiDestinationCommand({ Name: name }))
    assert.deepEqual([updated.HttpMethod, updated.InvocationRateLimitPerSecond, updated.InvocationEndpoint], ['PUT', 10, 'https://example.com/api/*'])

    await eb().send(new DeleteApiDestinationCommand({ Name: name }))
    const gone = await sdkError(eb().send(new DescribeApiDestinationCommand({ Name: name })))
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`])
  })

  it('refuses bad API destination input with AWS\'s errors', async () => {
    const both = await sdkError(eb().send(new CreateApiDestinationCommand({ Name: uniqueName('d'), ConnectionArn: 'invalid-connection-arn',
      HttpMethod: 'INVALID_METHOD' as never, InvocationEndpoint: 'invalid-endpoint' })))
    assert.deepEqual([both.name, both.message], ['ValidationException', '2 validation errors detected: '
      + "Value 'invalid-connection-arn' at 'connectionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "
      + '^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$; '
      + "Value 'INVALID_METHOD' at 'httpMethod' failed to satisfy constraint: Member must satisfy enum value set: [HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS]"])

    const unknownArn = `arn:aws:events:${region}:${account}:connection/${uniqueName('nope')}/0d9e5d4e-1f9c-4d7e-9e8e-2b0f6a3c1d2e`
    const unknown = await sdkError(eb().send(new CreateApiDestinationCommand({ Name: uniqueName('d'), ConnectionArn: unknownArn,
      HttpMethod: 'POST', InvocationEndpoint: 'https://example.com/x' })))
    assert.equal(unknown.name, 'ResourceNotFoundException')

    const c = await connection()
    const spaces = await sdkError(eb().send(new CreateApiDestinationCommand({ Name: uniqueName('d'), ConnectionArn: c.ConnectionArn,
      HttpMethod: 'POST', InvocationEndpoint: 'https://example.com/a b' })))
    assert.match(spaces.message, /^1 validation error detected: Value 'https:\/\/example.com\/a b' at 'invocationEndpoint' failed to satisfy constraint: Member must satisfy regular expression pattern/)
    const notUrl = await sdkError(eb().send(new CreateApiDestinationCommand({ Name: uniqueName('d'), ConnectionArn: c.ConnectionArn,
      HttpMethod: 'POST', InvocationEndpoint: 'invalid-endpoint' })))
    assert.deepEqual([notUrl.name, notUrl.message], ['ValidationException', 'Parameter InvocationEndpoint is not valid. Reason: Invalid HTTPS endpoint URL.'])
    const rate = await sdkError(eb().send(new CreateApiDestinationCommand({ Name: uniqueName('d'), ConnectionArn: c.ConnectionArn,
      HttpMethod: 'POST', InvocationEndpoint: 'https://example.com', InvocationRateLimitPerSecond: 0 })))
    assert.match(rate.message, /at 'invocationRateLimitPerSecond' failed to satisfy constraint: Member must have value greater than or equal to 1$/)
  })

  it('requires a RoleArn on API destination targets', async () => {
    const c = await connection()
    const { ApiDestinationArn } = await eb().send(new CreateApiDestinationCommand({ Name: uniqueName('d'), ConnectionArn: c.ConnectionArn,
      HttpMethod: 'POST', InvocationEndpoint: 'https://example.com' }))
    const rule = uniqueName('rule')
    await eb().send(new PutRuleCommand({ Name: rule, EventPattern: '{"source":["x"]}' }))
    const error = await sdkError(eb().send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'api', Arn: ApiDestinationArn }] })))
    assert.deepEqual([error.name, error.message], ['ValidationException', `RoleArn is required for target ${ApiDestinationArn}.`])
  })
})
