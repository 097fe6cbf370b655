// Private custom domain names (endpointConfiguration PRIVATE) and their domain name access associations end to end:
// the domain's id, ARN and policies, the `domainNameId` parameter, private names as their own namespace (repeated,
// beside a public domain of the name, unknown to apigatewayv2), and another account's VPC endpoint associated,
// listed by both accounts, rejected by the domain's owner and deleted by its own.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type APIGatewayClient, CreateBasePathMappingCommand, CreateDomainNameAccessAssociationCommand, CreateDomainNameCommand,
  DeleteBasePathMappingCommand, DeleteDomainNameAccessAssociationCommand, DeleteDomainNameCommand, GetBasePathMappingCommand,
  GetBasePathMappingsCommand, GetDomainNameAccessAssociationsCommand, GetDomainNameCommand, GetDomainNamesCommand, GetTagsCommand,
  RejectDomainNameAccessAssociationCommand, TagResourceCommand, UpdateBasePathMappingCommand, UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway'
import {
  CreateDomainNameCommand as CreateV2DomainNameCommand, DeleteDomainNameCommand as DeleteV2DomainNameCommand,
  GetDomainNameCommand as GetV2DomainNameCommand, GetDomainNamesCommand as GetV2DomainNamesCommand,
} from '@aws-sdk/client-apigatewayv2'
import { apiGatewayClient, createApi, createPath, deploy, mockMethod, sendTo } from '../../helpers/apigateway.ts'
import { apiGatewayV2Client } from '../../helpers/apigatewayv2.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const cert = 'arn:aws:acm:us-east-1:000000000000:certificate/private'
const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: ['execute-api:/*'] }] })

function otherAccount(): APIGatewayClient {
  const client = apiGatewayClient(nimbus.current)
  client.config.credentials = async () => ({ accessKeyId: '111111111111', secretAccessKey: 'test' })
  return client
}

describe('API Gateway private custom domain names', () => {
  it('gives a PRIVATE domain its id, ARN and policies, found by domainNameId, served by Host', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const name = `${uniqueName('private')}.localhost`.toLowerCase()
    const created = await rest.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] },
      securityPolicy: 'TLS_1_2', policy }))
    assert.match(created.domainNameId!, /^[a-z0-9]{8}$/)
    assert.equal(created.domainNameArn, `arn:aws:apigateway:us-east-1:000000000000:/domainnames/${name}+${created.domainNameId}`)
    assert.deepEqual([created.endpointConfiguration?.types, created.policy, created.regionalDomainName, created.distributionDomainName],
      [['PRIVATE'], policy, undefined, undefined])
    const got = await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: created.domainNameId }))
    assert.equal(got.domainNameArn, created.domainNameArn)
    const wrongId = await sdkError(rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: 'zzzzzzzz' })))
    assert.deepEqual([wrongId.name, wrongId.status], ['NotFoundException', 404])
    const noCert = await sdkError(rest.send(new CreateDomainNameCommand({ domainName: `x.${name}`, endpointConfiguration: { types: ['PRIVATE'] } })))
    assert.equal(noCert.name, 'BadRequestException')

    // The management policy (which accounts may associate their VPC endpoints) is set by UpdateDomainName.
    const managed = await rest.send(new UpdateDomainNameCommand({ domainName: name, domainNameId: created.domainNameId,
      patchOperations: [{ op: 'replace', path: '/managementPolicy', value: '{"Version":"2012-10-17","Statement":[]}' }] }))
    assert.equal(managed.managementPolicy, '{"Version":"2012-10-17","Statement":[]}')
    // A public domain takes neither policy.
    const publicName = `pub.${name}`
    await rest.send(new CreateDomainNameCommand({ domainName: publicName, regionalCertificateArn: cert, endpointConfiguration: { types: ['REGIONAL'] } }))
    const publicPolicy = await sdkError(rest.send(new UpdateDomainNameCommand({ domainName: publicName, patchOperations: [{ op: 'replace', path: '/policy', value: policy }] })))
    assert.equal(publicPolicy.name, 'BadRequestException')

    // Nimbus has no private network: the domain answers at its Host as it would inside the VPC.
    const api = await createApi(rest)
    await mockMethod(rest, api.id, await createPath(rest, api, '/ping'), 'GET', 200, '{"ok": true}')
    await deploy(rest, api.id, 'prod')
    await rest.send(new CreateBasePathMappingCommand({ domainName: name, domainNameId: created.domainNameId, restApiId: api.id, stage: 'prod' }))
    const served = await sendTo(nimbus.current, `${name}:${new URL(nimbus.current.endpoint).port}`, '/ping', {})
    assert.deepEqual([served.status, served.json()], [200, { ok: true }])
  })

  it('associates another account\'s VPC endpoint, lists it for both accounts, and rejects and deletes associations', async () => {
    const owner = apiGatewayClient(nimbus.current)
    const other = otherAccount()
    const name = `${uniqueName('assoc')}.localhost`.toLowerCase()
    const domain = await owner.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] }, policy }))
    const arn = domain.domainNameArn!

    const association = await other.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: arn, accessAssociationSourceType: 'VPCE',
      accessAssociationSource: 'vpce-0123456789abcdef0', tags: { team: 'net' } }))
    assert.equal(association.domainNameAccessAssociationArn,
      `arn:aws:apigateway:us-east-1:111111111111:/domainnameaccessassociations/domainname/${name}+${domain.domainNameId}/vpcesource/vpce-0123456789abcdef0`)
    assert.deepEqual([association.domainNameArn, association.accessAssociationSourceType, association.accessAssociationSource, association.tags],
      [arn, 'VPCE', 'vpce-0123456789abcdef0', { team: 'net' }])
    const again = await sdkError(other.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: arn, accessAssociationSourceType: 'VPCE',
      accessAssociationSource: 'vpce-0123456789abcdef0' })))
    assert.deepEqual([again.name, again.status], ['ConflictException', 409])
    const badSource = await sdkError(owner.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: arn, accessAssociationSourceType: 'VPCE',
      accessAssociationSource: 'not-an-endpoint' })))
    assert.equal(badSource.name, 'BadRequestException')
    const noDomain = await sdkError(owner.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: `${arn}x`, accessAssociationSourceType: 'VPCE',
      accessAssociationSource: 'vpce-0123456789abcdef1' })))
    assert.equal(noDomain.name, 'NotFoundException')
    const own = await owner.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: arn, accessAssociationSourceType: 'VPCE',
      accessAssociationSource: 'vpce-00000000000000001' }))

    // SELF: the associations the caller made; OTHER_ACCOUNTS: others' with the caller's domains.
    const arns = async (client: APIGatewayClient, resourceOwner?: 'SELF' | 'OTHER_ACCOUNTS') =>
      (await client.send(new GetDomainNameAccessAssociationsCommand({ resourceOwner }))).items!
        .filter((a) => a.domainNameArn === arn).map((a) => a.domainNameAccessAssociationArn)
    assert.deepEqual(await arns(other), [association.domainNameAccessAssociationArn])
    assert.deepEqual(await arns(owner, 'SELF'), [own.domainNameAccessAssociationArn])
    assert.deepEqual(await arns(owner, 'OTHER_ACCOUNTS'), [association.domainNameAccessAssociationArn])

    // Only the domain's owner rejects, only the association's owner deletes.
    const notTheirs = await sdkError(other.send(new RejectDomainNameAccessAssociationCommand({
      domainNameAccessAssociationArn: association.domainNameAccessAssociationArn!, domainNameArn: arn })))
    assert.equal(notTheirs.name, 'NotFoundException')
    await owner.send(new RejectDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: association.domainNameAccessAssociationArn!, domainNameArn: arn }))
    assert.deepEqual(await arns(other), [])
    const notMine = await sdkError(other.send(new DeleteDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: own.domainNameAccessAssociationArn! })))
    assert.equal(notMine.name, 'NotFoundException')
    await owner.send(new DeleteDomainNameAccessAssociationCommand({ domainNameAccessAssociationArn: own.domainNameAccessAssociationArn! }))
    assert.deepEqual(await arns(owner, 'SELF'), [])

    // Deleting the domain deletes the associations with it.
    await other.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: arn, accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0' }))
    await owner.send(new DeleteDomainNameCommand({ domainName: name, domainNameId: domain.domainNameId }))
    assert.deepEqual(await arns(other), [])
  })

  it('keeps private names in their own namespace: repeated, beside a public domain, addressed by domainNameId', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const other = otherAccount()
    const http = apiGatewayV2Client(nimbus.current)
    const name = `${uniqueName('shared')}.localhost`.toLowerCase()
    const publicOne = await rest.send(new CreateDomainNameCommand({ domainName: name, regionalCertificateArn: cert, endpointConfiguration: { types: ['REGIONAL'] } }))
    const private1 = await rest.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] } }))
    const private2 = await rest.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] } }))
    const elsewhere = await other.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] } }))
    assert.equal(publicOne.domainNameId, undefined)
    assert.equal(new Set([private1.domainNameId, private2.domainNameId, elsewhere.domainNameId]).size, 3)
    // The public name stays one namespace with apigatewayv2's.
    const taken = await sdkError(rest.send(new CreateDomainNameCommand({ domainName: name, regionalCertificateArn: cert, endpointConfiguration: { types: ['REGIONAL'] } })))
    assert.deepEqual([taken.name, taken.status], ['ConflictException', 409])
    const takenV2 = await sdkError(http.send(new CreateV2DomainNameCommand({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: cert, EndpointType: 'REGIONAL' }] })))
    assert.equal(takenV2.name, 'ConflictException')

    // Without an id: the public domain; with one: that private domain; a wrong or foreign id → NotFoundException.
    assert.equal((await rest.send(new GetDomainNameCommand({ domainName: name }))).regionalDomainName, publicOne.regionalDomainName)
    assert.equal((await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: private2.domainNameId }))).domainNameArn, private2.domainNameArn)
    for (const [client, id] of [[rest, 'zzzzzzzz'], [rest, elsewhere.domainNameId], [other, private1.domainNameId]] as const) {
      const missing = await sdkError(client.send(new GetDomainNameCommand({ domainName: name, domainNameId: id })))
      assert.deepEqual([missing.name, missing.status, missing.message], ['NotFoundException', 404, 'Invalid domain name identifier specified'])
    }
    const privateOnly = `${uniqueName('only')}.localhost`.toLowerCase()
    const lone = await rest.send(new CreateDomainNameCommand({ domainName: privateOnly, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] } }))
    const noId = await sdkError(rest.send(new GetDomainNameCommand({ domainName: privateOnly })))
    assert.deepEqual([noId.name, noId.status], ['NotFoundException', 404])
    const idOnPublic = await sdkError(rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: lone.domainNameId })))
    assert.equal(idOnPublic.name, 'NotFoundException')
    const listed = (await rest.send(new GetDomainNamesCommand({}))).items!.filter((d) => d.domainName === name)
    assert.deepEqual(listed.map((d) => d.domainNameId ?? 'public').sort(), [private1.domainNameId, private2.domainNameId, 'public'].sort())

    // Base path mappings, updates and tags reach the one domain the id names.
    // A private REST API deploys only with a resource policy (AWS refuses one without).
    const api = await createApi(rest, { endpointConfiguration: { types: ['PRIVATE'] }, policy })
    await mockMethod(rest, api.id, await createPath(rest, api, '/ping'), 'GET', 200, '{"which": "private1"}')
    await deploy(rest, api.id, 'prod')
    await rest.send(new CreateBasePathMappingCommand({ domainName: name, domainNameId: private1.domainNameId, restApiId: api.id, stage: 'prod', basePath: 'p' }))
    const mappings = async (id?: string) => ((await rest.send(new GetBasePathMappingsCommand({ domainName: name, domainNameId: id }))).items ?? []).map((m) => m.basePath)
    assert.deepEqual([await mappings(private1.domainNameId), await mappings(private2.domainNameId), await mappings()], [['p'], [], []])
    assert.equal((await rest.send(new GetBasePathMappingCommand({ domainName: name, domainNameId: private1.domainNameId, basePath: 'p' }))).restApiId, api.id)
    const notThere = await sdkError(rest.send(new GetBasePathMappingCommand({ domainName: name, domainNameId: private2.domainNameId, basePath: 'p' })))
    assert.equal(notThere.name, 'NotFoundException')
    await rest.send(new UpdateBasePathMappingCommand({ domainName: name, domainNameId: private1.domainNameId, basePath: 'p',
      patchOperations: [{ op: 'replace', path: '/basePath', value: 'q' }] }))
    assert.deepEqual(await mappings(private1.domainNameId), ['q'])
    await rest.send(new UpdateDomainNameCommand({ domainName: name, domainNameId: private2.domainNameId, patchOperations: [{ op: 'replace', path: '/policy', value: policy }] }))
    assert.deepEqual([(await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: private1.domainNameId }))).policy,
      (await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: private2.domainNameId }))).policy], [undefined, policy])
    await rest.send(new TagResourceCommand({ resourceArn: private2.domainNameArn!, tags: { which: 'two' } }))
    assert.deepEqual((await rest.send(new GetTagsCommand({ resourceArn: private2.domainNameArn! }))).tags, { which: 'two' })
    assert.deepEqual((await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: private1.domainNameId }))).tags, {})
    // The Host serves the public domain of the name (it has no mapping: 403), not a private one (a lone private name serves: see above).
    const port = new URL(nimbus.current.endpoint).port
    assert.equal((await sendTo(nimbus.current, `${name}:${port}`, '/q/ping', {})).status, 403)
    await rest.send(new DeleteBasePathMappingCommand({ domainName: name, domainNameId: private1.domainNameId, basePath: 'q' }))
    assert.deepEqual(await mappings(private1.domainNameId), [])

    // Deleting one private domain leaves the others and the public one.
    await rest.send(new DeleteDomainNameCommand({ domainName: name, domainNameId: private1.domainNameId }))
    assert.equal((await sdkError(rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: private1.domainNameId })))).name, 'NotFoundException')
    assert.ok(await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: private2.domainNameId })))
    assert.ok(await rest.send(new GetDomainNameCommand({ domainName: name })))
    assert.ok(await other.send(new GetDomainNameCommand({ domainName: name, domainNameId: elsewhere.domainNameId })))
  })

  it('is unknown to apigatewayv2, which has no private domains: not listed, not found, not deleted', async () => {
    const rest = apiGatewayClient(nimbus.current)
    const other = otherAccount()
    const http = apiGatewayV2Client(nimbus.current)
    const name = `${uniqueName('assoc-v2')}.localhost`.toLowerCase()
    const domain = await rest.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] } }))
    const association = await other.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: domain.domainNameArn!,
      accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0' }))
    assert.ok(!((await http.send(new GetV2DomainNamesCommand({}))).Items ?? []).some((d) => d.DomainName === name))
    for (const call of [http.send(new GetV2DomainNameCommand({ DomainName: name })), http.send(new DeleteV2DomainNameCommand({ DomainName: name }))]) {
      const missing = await sdkError(call)
      assert.deepEqual([missing.name, missing.status], ['NotFoundException', 404])
    }
    // apigatewayv2 may now create the public domain of that name; the private one and its association stay.
    await http.send(new CreateV2DomainNameCommand({ DomainName: name, DomainNameConfigurations: [{ CertificateArn: cert, EndpointType: 'REGIONAL' }] }))
    assert.equal((await http.send(new GetV2DomainNameCommand({ DomainName: name }))).DomainNameConfigurations?.[0]?.EndpointType, 'REGIONAL')
    assert.equal((await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: domain.domainNameId }))).domainNameArn, domain.domainNameArn)
    const listed = (await other.send(new GetDomainNameAccessAssociationsCommand({}))).items ?? []
    assert.ok(listed.some((a) => a.domainNameAccessAssociationArn === association.domainNameAccessAssociationArn))
    await http.send(new DeleteV2DomainNameCommand({ DomainName: name }))
    assert.ok(await rest.send(new GetDomainNameCommand({ domainName: name, domainNameId: domain.domainNameId })))
  })
})
