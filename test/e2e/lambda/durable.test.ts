// Lambda's control plane across restarts on one data dir (in process): a function with a layer,
// published versions, an alias with routing, an event-invoke config, concurrency, a policy, tags and
// event source mappings all come back as they were; the function still runs the same code (same
// CodeSha256), its mapping polls again, numbering goes on; the code store lives under the data dir
// and keeps only what rows reference; a reset forgets it all.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  AddPermissionCommand, CreateAliasCommand, CreateEventSourceMappingCommand, DeleteFunctionCommand, GetAliasCommand,
  GetFunctionCommand, GetFunctionConcurrencyCommand, GetFunctionEventInvokeConfigCommand, GetLayerVersionCommand, GetPolicyCommand,
  InvokeCommand, type LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand, ListTagsCommand,
  ListVersionsByFunctionCommand, PublishLayerVersionCommand, PublishVersionCommand, PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand, UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { createFunction, decode, lambdaClient } from '../../helpers/lambda.ts'
import { until } from '../../helpers/function-log.ts'
import { sqsClient } from '../../helpers/sqs-clients.ts'
import { messageCounts, standardQueue } from '../../helpers/sqs-queues.ts'
import { makeZip } from '../../helpers/zip.ts'

const handler = `
  const greet = require('greet')
  exports.handler = async (event) => ({ greeting: greet(event.name), stage: process.env.STAGE })`

const layerZip = makeZip([{ path: 'nodejs/node_modules/greet/index.js', content: 'module.exports = (n) => `hello ${n}`' }])

/** The parts of an SDK answer that are the service's (not the SDK's request metadata). */
const body = <O extends { $metadata?: unknown }>(output: O) => {
  const { $metadata: _metadata, ...rest } = output
  return rest
}

async function snapshot(lambda: LambdaClient, name: string, queueArn: string) {
  return {
    fn: body(await lambda.send(new GetFunctionCommand({ FunctionName: name }))),
    versions: body(await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))),
    alias: body(await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }))),
    invokeConfig: body(await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'live' }))),
    concurrency: body(await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))),
    policy: body(await lambda.send(new GetPolicyCommand({ FunctionName: name }))),
    tags: body(await lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:us-east-1:000000000000:function:${name}` }))),
    layer: body(await lambda.send(new GetLayerVersionCommand({ LayerName: 'greeter', VersionNumber: 1 }))),
    mappings: body(await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn }))),
  }
}

describe('Lambda across restarts on a data dir', () => {
  it('keeps functions, versions, aliases, layers, settings and mappings; the code and its SHA are the same', async () => {
    const n = await durableNimbus('lambda')
    let lambda = lambdaClient(n.nimbus)
    const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'greeter', Content: { ZipFile: layerZip }, CompatibleRuntimes: ['nodejs22.x'] }))
    const name = await createFunction(lambda, handler, {
      Layers: [layer.LayerVersionArn!], Environment: { Variables: { STAGE: 'one' } }, MemorySize: 256, Timeout: 7,
      Tags: { team: 'a' }, Description: 'durable',
    })
    await lambda.send(new PublishVersionCommand({ FunctionName: name }))
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { STAGE: 'two' } } }))
    await lambda.send(new PublishVersionCommand({ FunctionName: name }))
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { STAGE: 'three' } } }))
    await lambda.send(new PublishVersionCommand({ FunctionName: name }))
    // Version 3 deleted: the next one published after the restart is still 4.
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '3' }))
    await lambda.send(new CreateAliasCommand({
      FunctionName: name, Name: 'live', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.25 } },
    }))
    const sqs = sqsClient(n.nimbus, 'json')
    const failures = await standardQueue(sqs)
    await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: name, Qualifier: 'live', MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 300,
      DestinationConfig: { OnFailure: { Destination: failures.arn } },
    }))
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 7 }))
    await lambda.send(new AddPermissionCommand({
      FunctionName: name, StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceAccount: '000000000000',
    }))
    const queue = await standardQueue(sqs)
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: queue.arn, BatchSize: 5, MaximumBatchingWindowInSeconds: 0,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: [{ prefix: 'go' }] }) }] },
    }))
    const other = await createFunction(lambda, handler, { Layers: [layer.LayerVersionArn!] })
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: other, EventSourceArn: queue.arn, Enabled: false }))
    const before = await snapshot(lambda, name, queue.arn)
    assert.deepEqual(before.mappings.EventSourceMappings?.map((m) => m.State), ['Enabled', 'Disabled'])
    const first = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ name: 'a' }) }))
    assert.deepEqual(decode(first.Payload), { greeting: 'hello a', stage: 'three' })

    await n.restart()
    lambda = lambdaClient(n.nimbus)
    const afterRestart = await snapshot(lambda, name, queue.arn)
    assert.deepEqual(afterRestart, before)
    assert.equal(afterRestart.fn.Configuration?.CodeSha256, before.fn.Configuration?.CodeSha256)
    assert.ok(afterRestart.fn.Code?.Location?.startsWith(`file://${join(n.dataDir, 'lambda')}`), 'the code lives under the data dir')
    const names = (await lambda.send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName).sort()
    assert.deepEqual(names, [name, other].sort())

    // The code runs as before: $LATEST, and version 1 with its own environment.
    const again = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: JSON.stringify({ name: 'b' }) }))
    assert.deepEqual(decode(again.Payload), { greeting: 'hello b', stage: 'three' })
    const v1 = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: '1', Payload: JSON.stringify({ name: 'c' }) }))
    assert.deepEqual(decode(v1.Payload), { greeting: 'hello c', stage: 'one' })
    assert.equal(v1.ExecutedVersion, '1')

    // Numbering goes on where it stood.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { STAGE: 'four' } } }))
    assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version, '4')
    const layer2 = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'greeter', Content: { ZipFile: layerZip } }))
    assert.equal(layer2.Version, 2)

    // The enabled mapping polls again: a matching message is consumed by the function.
    const sqs2 = sqsClient(n.nimbus, 'json')
    await sqs2.call('SendMessage', { QueueUrl: `${n.nimbus.endpoint}/000000000000/${queue.url.split('/').pop()}`, MessageBody: 'go now' })
    const url = `${n.nimbus.endpoint}/000000000000/${queue.url.split('/').pop()}`
    await until(async () => {
      const counts = await messageCounts(sqs2, url)
      return counts.visible + counts.notVisible === 0
    }, 'the restored mapping consumed the message')
    await n.stop()
  })

  it('keeps only the packages rows reference, and removes its temporary folders', async () => {
    const n = await durableNimbus('lambda')
    const lambda = lambdaClient(n.nimbus)
    const kept = await createFunction(lambda, 'exports.handler = async () => "kept"')
    const gone = await createFunction(lambda, 'exports.handler = async () => "gone"')
    await lambda.send(new DeleteFunctionCommand({ FunctionName: gone }))
    assert.equal(readdirSync(join(n.dataDir, 'lambda', 'packages')).length, 2)
    // What a Nimbus killed mid-extraction or mid-invoke leaves behind.
    mkdirSync(join(n.dataDir, 'lambda', 'code', 'abc.tmp-1-2'), { recursive: true })
    await n.restart()
    // Lambda loads on first use (no mapping to resume): the store is tidied then.
    assert.deepEqual((await lambdaClient(n.nimbus).send(new ListFunctionsCommand({}))).Functions?.map((f) => f.FunctionName), [kept])
    assert.equal(readdirSync(join(n.dataDir, 'lambda', 'packages')).length, 1)
    assert.equal(readdirSync(join(n.dataDir, 'lambda', 'code')).length, 1)
    // An extraction removed by hand is made again from the kept package.
    const dir = join(n.dataDir, 'lambda', 'code', readdirSync(join(n.dataDir, 'lambda', 'code'))[0]!)
    rmSync(dir, { recursive: true })
    writeFileSync(join(n.dataDir, 'tmp', 'left-over'), 'x')
    await n.restart()
    assert.equal(existsSync(join(n.dataDir, 'tmp', 'left-over')), false, 'the temporary folder is emptied at start')
    const out = await lambdaClient(n.nimbus).send(new InvokeCommand({ FunctionName: kept }))
    assert.equal(decode(out.Payload), 'kept')
    assert.ok(existsSync(join(dir, 'index.js')))
    await n.stop()
    assert.equal(existsSync(join(n.dataDir, 'tmp')), false, 'and removed on stop')
    assert.ok(existsSync(join(n.dataDir, 'lambda', 'packages')), 'the code store stays')
  })

  it('forgets everything on reset, on disk too', async () => {
    const n = await durableNimbus('lambda')
    const name = await createFunction(lambdaClient(n.nimbus), 'exports.handler = async () => 1')
    await lambdaClient(n.nimbus).send(new PublishLayerVersionCommand({ LayerName: 'doomed', Content: { ZipFile: layerZip } }))
    n.nimbus.reset()
    await n.restart()
    assert.deepEqual((await lambdaClient(n.nimbus).send(new ListFunctionsCommand({}))).Functions, [])
    await assert.rejects(lambdaClient(n.nimbus).send(new GetFunctionCommand({ FunctionName: name })), { name: 'ResourceNotFoundException' })
    assert.deepEqual(readdirSync(join(n.dataDir, 'lambda', 'code')), [])
    assert.deepEqual(readdirSync(join(n.dataDir, 'lambda', 'packages')), [])
    await n.stop()
  })
})
