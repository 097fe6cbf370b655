// Lambda survives `kill -9`: the built CLI on a data dir is killed while CreateFunction,
// UpdateFunctionConfiguration and PublishVersion calls are in flight, and started again on the same
// folder. Every acknowledged function is there with its code (same CodeSha256, and it runs), every
// acknowledged version with its configuration; the alias, layer and mapping made before are kept.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import {
  CreateAliasCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, GetAliasCommand, GetFunctionConfigurationCommand,
  GetLayerVersionCommand, InvokeCommand, LambdaClient, ListEventSourceMappingsCommand, ListFunctionsCommand, PublishLayerVersionCommand,
  PublishVersionCommand, UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda'
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs'
import { makeZip } from '../../helpers/zip.ts'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-lambda-kill-')

const start = () => processes.start(['--data-dir', dataDir])

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }
const lambdaClient = (endpoint: string) => new LambdaClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
const role = 'arn:aws:iam::000000000000:role/lambda-role'
const code = (n: number | string) => makeZip([{ path: 'index.js', content: `exports.handler = async () => ${JSON.stringify(n)}` }])

describe('Lambda on a data dir, killed with SIGKILL', () => {
  it('keeps every acknowledged function, version and configuration, and their code', async () => {
    const first = await start()
    let lambda = lambdaClient(first.endpoint)
    const sqs = new SQSClient({ endpoint: first.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:feed'
    await sqs.send(new CreateQueueCommand({ QueueName: 'feed' }))
    sqs.destroy()
    const layer = await lambda.send(new PublishLayerVersionCommand({
      LayerName: 'shared', Content: { ZipFile: makeZip([{ path: 'nodejs/node_modules/x/index.js', content: 'module.exports = 1' }]) },
    }))
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'hub', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role, Code: { ZipFile: code('hub') },
      Layers: [layer.LayerVersionArn!],
    }))
    await lambda.send(new PublishVersionCommand({ FunctionName: 'hub' }))
    await lambda.send(new CreateAliasCommand({ FunctionName: 'hub', Name: 'live', FunctionVersion: '1' }))
    const mapping = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'hub', EventSourceArn: queueArn, Enabled: false }))

    // Two loops create functions, each with its own code; one updates hub's configuration and publishes
    // it. The kill lands while some of their calls are on the wire.
    const created = new Map<string, string>()
    const versions = new Map<string, string>()
    let lastUpdate = -1
    let stop = false
    let cutOff = 0
    const createLoop = async (loop: number) => {
      for (let i = 0; !stop; i++) {
        const name = `f${loop}-${i}`
        try {
          const out = await lambda.send(new CreateFunctionCommand({
            FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role, Code: { ZipFile: code(name) },
          }))
          created.set(name, out.CodeSha256!)
        } catch {
          cutOff++
          return
        }
      }
    }
    const updateLoop = async () => {
      for (let i = 0; !stop; i++) {
        try {
          await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hub', Environment: { Variables: { N: String(i) } } }))
          lastUpdate = i
          const out = await lambda.send(new PublishVersionCommand({ FunctionName: 'hub' }))
          versions.set(out.Version!, String(i))
        } catch {
          cutOff++
          return
        }
      }
    }
    const loops = [createLoop(0), createLoop(1), updateLoop()]
    while (created.size < 40 || versions.size < 10) await new Promise((r) => setImmediate(r))
    await processes.kill(first)
    stop = true
    await Promise.all(loops)
    assert.ok(cutOff > 0, 'the kill cut off calls in flight')
    lambda.destroy()

    const second = await start()
    lambda = lambdaClient(second.endpoint)
    const functions = new Map<string, string>()
    let Marker: string | undefined
    do {
      const page = await lambda.send(new ListFunctionsCommand({ Marker }))
      for (const f of page.Functions ?? []) functions.set(f.FunctionName!, f.CodeSha256!)
      Marker = page.NextMarker
    } while (Marker !== undefined)
    for (const [name, sha] of created) assert.equal(functions.get(name), sha, `acknowledged function ${name} is there with its code`)
    // Anything else is a create that committed but whose answer the kill cut off: allowed, but only ours.
    for (const name of functions.keys()) assert.match(name, /^(hub|f[01]-\d+)$/)

    for (const [version, n] of versions) {
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hub', Qualifier: version }))
      assert.equal(config.Environment?.Variables?.N, n, `acknowledged version ${version} has N=${n}`)
    }
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hub' }))
    assert.ok(Number(latest.Environment?.Variables?.N) >= lastUpdate, 'the last acknowledged update (or a later one) is $LATEST')
    assert.equal((await lambda.send(new GetAliasCommand({ FunctionName: 'hub', Name: 'live' }))).FunctionVersion, '1')
    assert.equal((await lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }))).Version, 1)
    const mappings = (await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'hub' }))).EventSourceMappings ?? []
    assert.deepEqual(mappings.map((m) => [m.UUID, m.State]), [[mapping.UUID, 'Disabled']])

    // The code is there and runs: the newest acknowledged function and the hub's first version.
    const newest = [...created.keys()].at(-1)!
    const out = await lambda.send(new InvokeCommand({ FunctionName: newest }))
    assert.equal(JSON.parse(Buffer.from(out.Payload!).toString()), newest)
    const hub = await lambda.send(new InvokeCommand({ FunctionName: 'hub', Qualifier: 'live' }))
    assert.equal(JSON.parse(Buffer.from(hub.Payload!).toString()), 'hub')
    // Publishing goes on after the highest number stored.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hub', Environment: { Variables: { N: 'after' } } }))
    const next = await lambda.send(new PublishVersionCommand({ FunctionName: 'hub' }))
    assert.ok(Number(next.Version) > Math.max(...[...versions.keys()].map(Number)))
    lambda.destroy()
    second.child.kill('SIGTERM')
    assert.deepEqual(await once(second.child, 'exit'), [0, null])
  })
})
