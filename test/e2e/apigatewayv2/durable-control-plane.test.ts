// apigatewayv2's newer resources across a restart on one data dir: VPC links (their own table, still
// AVAILABLE by the stored creation time), WebSocket models and stage tags (in the API's row).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CreateApiCommand, CreateModelCommand, CreateStageCommand, CreateVpcLinkCommand, GetModelCommand, GetTagsCommand, GetVpcLinkCommand, TagResourceCommand } from '@aws-sdk/client-apigatewayv2'
import { startNimbus } from '../../../src/index.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { advance } from '../../helpers/nimbus.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigatewayv2-cp-durable-'))
after(() => rmSync(dataDir, { recursive: true, force: true }))
const open = () => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

describe('apigatewayv2 VPC links, models and tags across restarts', () => {
  it('reads them back as they were', async () => {
    let nimbus = await open()
    let client = apiGatewayV2Client(nimbus)
    const link = await client.send(new CreateVpcLinkCommand({ Name: 'kept', SubnetIds: ['subnet-1'], Tags: { a: '1' } }))
    await advance(nimbus, 60_000)
    const api = await client.send(new CreateApiCommand({ Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))
    const model = await client.send(new CreateModelCommand({ ApiId: api.ApiId, Name: 'M', Schema: '{"type":"object"}' }))
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' }))
    const stageArn = `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}/stages/dev`
    await client.send(new TagResourceCommand({ ResourceArn: stageArn, Tags: { t: 'v' } }))
    client.destroy()
    await nimbus.stop()

    nimbus = await open()
    client = apiGatewayV2Client(nimbus)
    try {
      const read = await client.send(new GetVpcLinkCommand({ VpcLinkId: link.VpcLinkId }))
      assert.deepEqual([read.Name, read.VpcLinkStatus, read.Tags], ['kept', 'AVAILABLE', { a: '1' }])
      assert.equal((await client.send(new GetModelCommand({ ApiId: api.ApiId, ModelId: model.ModelId }))).Schema, '{"type":"object"}')
      assert.deepEqual((await client.send(new GetTagsCommand({ ResourceArn: stageArn }))).Tags, { t: 'v' })
    } finally {
      client.destroy()
      await nimbus.stop()
    }
  })
})
