// The AWS CLI's own examples for `aws apigateway` (the command reference) and the usage plan guide's CLI and
// REST walk-through, run with the AWS CLI as a user types them: update-stage's method setting overrides (the
// output the reference prints), update-integration's passthrough templates, create-usage-plan, the guide's
// "migrate to default usage plans" UpdateAccount call and its CSV of API keys to import into a plan.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { apiGatewayClient, createApi, deploy, mockMethod } from '../../../helpers/apigateway.ts'
import { awsCli, awsCliError } from '../../../helpers/aws-cli.ts'
import { useNimbus } from '../../../helpers/nimbus.ts'

const nimbus = useNimbus()
const dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-reference-'))
after(() => rmSync(dir, { recursive: true, force: true }))

/** The members the reference's update-stage output shows for a method setting AWS just made. */
const shown = {
  metricsEnabled: false, dataTraceEnabled: false, throttlingBurstLimit: 5000, throttlingRateLimit: 10000, cachingEnabled: false,
  cacheTtlInSeconds: 300, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
}

describe('the CLI reference\'s apigateway examples', () => {
  it('update-stage overrides one method\'s settings, then every method\'s, with the members the reference prints', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, api.root, 'GET', 200, '{}')
    await deploy(client, api.id, 'dev')
    type Stage = { stageName: string; cacheClusterEnabled: boolean; cacheClusterStatus: string; tracingEnabled: boolean; methodSettings: Record<string, unknown> }
    const one = await awsCli<Stage>(nimbus.current, 'apigateway', 'update-stage', '--rest-api-id', api.id, '--stage-name', 'dev',
      '--patch-operations', 'op=replace,path=/~1resourceName/GET/logging/dataTrace,value=false')
    assert.deepEqual([one.stageName, one.cacheClusterEnabled, one.cacheClusterStatus, one.tracingEnabled], ['dev', false, 'NOT_AVAILABLE', false])
    assert.deepEqual(one.methodSettings, { '~1resourceName/GET': shown })
    const all = await awsCli<Stage>(nimbus.current, 'apigateway', 'update-stage', '--rest-api-id', api.id, '--stage-name', 'dev',
      '--patch-operations', 'op=replace,path=/*/*/logging/dataTrace,value=true')
    assert.deepEqual(all.methodSettings, { '~1resourceName/GET': shown, '*/*': { ...shown, dataTraceEnabled: true } })
    // A log level shows once set, and a method's new setting starts from `*/*`'s, as get-stage's example prints it.
    const level = await awsCli<Stage>(nimbus.current, 'apigateway', 'update-stage', '--rest-api-id', api.id, '--stage-name', 'dev',
      '--patch-operations', 'op=replace,path=/*/*/logging/loglevel,value=INFO', 'op=replace,path=/~1resource/GET/metrics/enabled,value=true')
    assert.deepEqual(level.methodSettings['*/*'], { ...shown, dataTraceEnabled: true, loggingLevel: 'INFO' })
    assert.deepEqual(level.methodSettings['~1resource/GET'], { ...shown, dataTraceEnabled: true, loggingLevel: 'INFO', metricsEnabled: true })
  })

  it('update-integration adds a passthrough template, and removes it; create-usage-plan answers the plan as asked', async () => {
    const client = apiGatewayClient(nimbus.current)
    const api = await createApi(client)
    await mockMethod(client, api.id, api.root, 'POST', 200, '{}')
    const update = (...ops: string[]) => awsCli<{ requestTemplates?: Record<string, string> }>(nimbus.current, 'apigateway', 'update-integration',
      '--rest-api-id', api.id, '--resource-id', api.root, '--http-method', 'POST', '--patch-operations', ...ops)
    const added = await update("op=add,path=/requestTemplates/application~1json")
    assert.equal(added.requestTemplates?.['application/json'], '')
    const removed = await update('op=remove,path=/requestTemplates/application~1json')
    assert.equal(removed.requestTemplates?.['application/json'], undefined)

    const plan = await awsCli<Record<string, unknown>>(nimbus.current, 'apigateway', 'create-usage-plan', '--name', 'New Usage Plan',
      '--description', 'A new usage plan', '--throttle', 'burstLimit=10,rateLimit=5', '--quota', 'limit=500,offset=0,period=MONTH')
    assert.deepEqual({ ...plan, id: undefined }, {
      id: undefined, name: 'New Usage Plan', description: 'A new usage plan', apiStages: [],
      throttle: { burstLimit: 10, rateLimit: 5 }, quota: { limit: 500, offset: 0, period: 'MONTH' },
    })
  })
})

describe('the usage plan guide\'s CLI and REST walk-through', () => {
  it('migrates to default usage plans (a no-op) and imports the guide\'s CSV of keys into a plan', async () => {
    const account = await awsCli<{ features: string[] }>(nimbus.current, 'apigateway', 'update-account',
      '--patch-operations', 'op=add,path=/features,value=UsagePlans')
    assert.deepEqual(account.features, ['UsagePlans'])
    assert.match(await awsCliError(nimbus.current, 'apigateway', 'update-account', '--patch-operations', 'op=add,path=/features,value=Other'),
      /BadRequestException/)

    const plan = await awsCli<{ id: string }>(nimbus.current, 'apigateway', 'create-usage-plan', '--name', 'imported')
    // The guide's CSV as printed: spaces after the commas, `tRuE`, a blank description, a trailing space.
    const csv = 'key,name, description, enabled, usageplanIds\n' +
      `abcdef1234ghijklmnop8901234567, importedKey_1, firstone,  tRuE, ${plan.id} \n` +
      `abcdef1234ghijklmnop0123456789, importedKey_2, secondone, TRUE, ${plan.id}\n` +
      `abcdef1234ghijklmnop9012345678, importedKey_3,          , true, ${plan.id}\n`
    writeFileSync(join(dir, 'keys.csv'), csv)
    const imported = await awsCli<{ ids: string[] }>(nimbus.current, 'apigateway', 'import-api-keys', '--body', `fileb://${join(dir, 'keys.csv')}`, '--format', 'csv')
    assert.equal(imported.ids.length, 3)
    const keys = await awsCli<{ items: { id: string; name: string; value: string; type: string }[] }>(nimbus.current, 'apigateway',
      'get-usage-plan-keys', '--usage-plan-id', plan.id)
    assert.deepEqual(keys.items.map((k) => [k.name, k.value, k.type]).sort(), [
      ['importedKey_1', 'abcdef1234ghijklmnop8901234567', 'API_KEY'], ['importedKey_2', 'abcdef1234ghijklmnop0123456789', 'API_KEY'],
      ['importedKey_3', 'abcdef1234ghijklmnop9012345678', 'API_KEY']])
    const third = await awsCli<{ enabled: boolean; description?: string }>(nimbus.current, 'apigateway', 'get-api-key', '--api-key',
      keys.items.find((k) => k.name === 'importedKey_3')!.id)
    assert.deepEqual([third.enabled, third.description], [true, undefined])
  })
})
