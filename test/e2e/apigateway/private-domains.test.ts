// Private custom domain names (endpointConfiguration PRIVATE) and their domain name access associations end to end:
// the domain's id, ARN and policies, the `domainNameId` parameter, and another account's VPC endpoint associated,
// listed by both accounts, rejected by the domain's owner and deleted by its own.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type APIGatewayClient, CreateBasePathMappingCommand, CreateDomainNameAccessAssociationCommand, CreateDomainNameCommand,
  DeleteDomainNameAccessAssociationCommand, DeleteDomainNameCommand, GetDomainNameAccessAssociationsCommand, GetDomainNameCommand,
  RejectDomainNameAccessAssociationCommand, UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway'
import { DeleteDomainNameCommand as DeleteV2DomainNameCommand } from '@aws-sdk/client-apigatewayv2'
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

  it('deletes a domain\'s associations when apigatewayv2 deletes the domain: none is left to delete or count', async () => {
    const owner = apiGatewayClient(nimbus.current)
    const other = otherAccount()
    const name = `${uniqueName('assoc-v2')}.localhost`.toLowerCase()
    const domain = await owner.send(new CreateDomainNameCommand({ domainName: name, certificateArn: cert, endpointConfiguration: { types: ['PRIVATE'] } }))
    const association = await other.send(new CreateDomainNameAccessAssociationCommand({ domainNameArn: domain.domainNameArn!,
      accessAssociationSourceType: 'VPCE', accessAssociationSource: 'vpce-0123456789abcdef0' }))
    await apiGatewayV2Client(nimbus.current).send(new DeleteV2DomainNameCommand({ DomainName: name }))
    const listed = (await other.send(new GetDomainNameAccessAssociationsCommand({}))).items ?? []
    assert.ok(!listed.some((a) => a.domainNameArn === domain.domainNameArn))
    const gone = await sdkError(other.send(new DeleteDomainNameAccessAssociationCommand({
      domainNameAccessAssociationArn: association.domainNameAccessAssociationArn! })))
    assert.deepEqual([gone.name, gone.status], ['NotFoundException', 404])
  })
})
