// The Lambda control plane through @aws-sdk/client-lambda: functions, versions, aliases, settings.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteFunctionCommand, GetAliasCommand, GetFunctionCommand,
  GetFunctionConfigurationCommand, GetPolicyCommand, AddPermissionCommand, ListFunctionsCommand, ListVersionsByFunctionCommand,
  PublishVersionCommand, PutFunctionConcurrencyCommand, GetFunctionConcurrencyCommand, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand, ListTagsCommand, TagResourceCommand, PutFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand, PublishLayerVersionCommand, GetAccountSettingsCommand, UpdateAliasCommand,
} from '@aws-sdk/client-lambda'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { createFunction, lambdaClient, role } from '../../helpers/lambda.ts'
import { makeZip } from '../../helpers/zip.ts'
import { sdkError as error } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const source = 'exports.handler = async (event) => ({ echo: event })'


describe('Lambda functions', () => {
  it('creates a function reported Pending, then Active, with AWS defaults', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = uniqueName('fn')
    const created = await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role,
      Code: { ZipFile: makeZip([{ path: 'index.js', content: source }]) }, Environment: { Variables: { A: '1' } },
    }))
    assert.equal(created.State, 'Pending')
    assert.equal(created.StateReasonCode, 'Creating')
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}`)
    assert.equal(created.Timeout, 3)
    assert.equal(created.MemorySize, 128)
    assert.equal(created.Version, '$LATEST')
    assert.equal(created.PackageType, 'Zip')
    assert.match(created.LastModified ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/)
    assert.match(created.CodeSha256 ?? '', /^[A-Za-z0-9+/]{43}=$/)
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: name }))
    assert.equal(got.Configuration?.State, 'Active')
    assert.equal(got.Configuration?.LastUpdateStatus, 'Successful')
    assert.deepEqual(got.Configuration?.Environment?.Variables, { A: '1' })
    assert.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `000000000000:function:${name}` }))).FunctionName, name)
  })

  it('refuses duplicates, bad names, runtimes and settings with AWS errors', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, source)
    const zip = makeZip([{ path: 'index.js', content: source }])
    const base = { Role: role, Handler: 'index.handler', Code: { ZipFile: zip } }
    const dup = await error(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: name, Runtime: 'nodejs22.x' })))
    assert.deepEqual([dup.name, dup.status], ['ResourceConflictException', 409])
    assert.match(dup.message, /Function already exist/)
    const old = await error(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: uniqueName(), Runtime: 'nodejs12.x' })))
    assert.equal(old.name, 'InvalidParameterValueException')
    assert.match(old.message, /nodejs12\.x is no longer supported/)
    const timeout = await error(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: uniqueName(), Runtime: 'nodejs22.x', Timeout: 901 })))
    assert.equal(timeout.name, 'ValidationException')
    assert.match(timeout.message, /Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900/)
    const badZip = await error(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: uniqueName(), Runtime: 'nodejs22.x',
      Code: { ZipFile: Buffer.from('not a zip') } })))
    assert.equal(badZip.name, 'InvalidParameterValueException')
    assert.match(badZip.message, /Could not unzip uploaded file/)
    const escape = await error(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: uniqueName(), Runtime: 'nodejs22.x',
      Code: { ZipFile: makeZip([{ path: '../../escape.js', content: 'x' }]) } })))
    assert.equal(escape.name, 'InvalidParameterValueException')
    const reserved = await error(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: uniqueName(), Runtime: 'nodejs22.x',
      Environment: { Variables: { AWS_REGION: 'x' } } })))
    assert.match(reserved.message, /Reserved keys used in this request: AWS_REGION/)
    const missing = await error(lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })))
    assert.deepEqual([missing.name, missing.status, missing.message],
      ['ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope'])
  })

  it('updates code and configuration, publishes versions and routes aliases', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, source)
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'first' }))
    assert.equal(v1.Version, '1')
    assert.equal(v1.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}:1`)
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: name }))
    assert.equal(again.Version, '1', 'publishing unchanged code returns the same version')
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name,
      ZipFile: makeZip([{ path: 'index.js', content: 'exports.handler = async () => 2' }]) }))
    assert.equal(updated.LastUpdateStatus, 'InProgress')
    assert.notEqual(updated.CodeSha256, v1.CodeSha256)
    const config = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 10, MemorySize: 256 }))
    assert.deepEqual([config.Timeout, config.MemorySize], [10, 256])
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: name }))
    assert.equal(v2.Version, '2')
    const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))
    assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2'])
    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } } }))
    assert.equal(alias.AliasArn, `arn:aws:lambda:us-east-1:000000000000:function:${name}:live`)
    const moved = await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2', RoutingConfig: {} }))
    assert.equal(moved.FunctionVersion, '2')
    assert.equal((await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }))).FunctionVersion, '2')
    const byAlias = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: 'live' }))
    assert.equal(byAlias.Version, '2')
    const inUse = await error(lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '2' })))
    assert.equal(inUse.name, 'ResourceConflictException')
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }))
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name }))
    assert.equal((await error(lambda.send(new GetFunctionCommand({ FunctionName: name })))).status, 404)
  })

  it('lists functions with pagination', async () => {
    const lambda = lambdaClient(nimbus.current)
    for (let i = 0; i < 3; i++) await createFunction(lambda, source, { FunctionName: uniqueName('page') })
    const names: string[] = []
    let marker: string | undefined
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }))
      assert.ok((page.Functions?.length ?? 0) <= 2)
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName!))
      marker = page.NextMarker
    } while (marker !== undefined)
    assert.equal(new Set(names).size, names.length)
    assert.ok(names.filter((n) => n.startsWith('page-')).length >= 3)
  })

  it('keeps concurrency, tags, permissions, event invoke configs and layers', async () => {
    const lambda = lambdaClient(nimbus.current)
    const name = await createFunction(lambda, source)
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 5 }))
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, 5)
    const tooMuch = await error(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 950 })))
    assert.match(tooMuch.message, /below its minimum value of \[100\]/)
    assert.equal((await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.ConcurrentExecutions, 1000)
    await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { team: 'a' } }))
    assert.deepEqual((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { team: 'a' })
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 's3', Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::bucket' }))
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy!) as { Statement: { Sid: string; Principal: unknown }[] }
    assert.deepEqual(policy.Statement.map((s) => [s.Sid, s.Principal]), [['s3', { Service: 's3.amazonaws.com' }]])
    const noSetting = await error(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name })))
    assert.match(noSetting.message, /You must specify at least one of error handling or destination setting/)
    const selfDest = await error(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name,
      DestinationConfig: { OnFailure: { Destination: arn } } })))
    assert.match(selfDest.message, /can't specify the function as a destination for itself/)
    const put = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 0 }))
    assert.equal(put.FunctionArn, `${arn}:$LATEST`)
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: {} })
    assert.equal((await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name }))).MaximumRetryAttempts, 0)
    const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: makeZip([{ path: 'nodejs/node_modules/x/index.js', content: 'module.exports = 1' }]) } }))
    assert.match(layer.LayerVersionArn ?? '', /:layer:shared:\d+$/)
    const withLayer = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Layers: [layer.LayerVersionArn!] }))
    assert.equal(withLayer.Layers?.[0]?.Arn, layer.LayerVersionArn)
    const badLayer = await error(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name,
      Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:nope:1'] })))
    assert.match(badLayer.message, /does not exist/)
  })
})
