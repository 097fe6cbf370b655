// Domain name access associations of private custom domain names: CreateDomainNameAccessAssociation (a VPC endpoint's
// owner associates it with a PRIVATE domain, possibly another account's), GetDomainNameAccessAssociations (SELF: the
// caller's; OTHER_ACCOUNTS: others' on the caller's domains), DeleteDomainNameAccessAssociation (its owner) and
// RejectDomainNameAccessAssociation (the domain's owner). Durable with a data dir (table
// `apigateway_domain_access_associations`). Nimbus has no VPC endpoints: the source is stored as given (checked for its
// shape), and neither it nor the domain's policies restrict who reaches the domain.
import { parseArn } from '../../../core/arn.ts'
import { AwsError } from '../../../protocol/errors.ts'
import type { Persistence } from '../../../storage/persistence/persistence.ts'
import { OwnedRows } from '../../../storage/owned-rows.ts'
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { page } from '../operations/views.ts'
import { domainArn } from './operations.ts'
import type { DomainNameData, DomainState } from './store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export interface AccessAssociationData {
  /** Its ARN. */
  id: string
  /** The account that created it (the VPC endpoint's owner). */
  account: string
  region: string
  domainNameArn: string
  /** The domain's lower-cased name, for deleting its associations with it. */
  domainName: string
  source: string
  tags: Record<string, string>
}

/** AWS's default quota of domain name access associations per account. */
const maxPerAccount = 100
/** A VPC endpoint id [R: the shape AWS checks]. */
const vpceId = /^vpce-[0-9a-f]{8,17}$/

// [R] AWS's wording for these answers.
const associationNotFound = () => apiGatewayErrors.notFound('Invalid domain name access association identifier specified')

/** By ARN (the row's `id`). */
export class AccessAssociationState extends OwnedRows<AccessAssociationData> {
  constructor(persistence: Persistence | undefined) {
    super(persistence, 'apigateway_domain_access_associations')
  }

  /** The private domain an association's `domainNameArn` names while it is there (its id is the ARN's `+{id}`). */
  static domainOf(domains: DomainState, arn: string): DomainNameData | undefined {
    const id = /\+([a-z0-9]+)$/.exec(arn)?.[1]
    const domain = id === undefined ? undefined : domains.privates.get(id)
    return domain !== undefined && domainArn(domain) === arn ? domain : undefined
  }

  /** A deleted domain's associations go with it. */
  removeDomain(domain: DomainNameData): void {
    const arn = domainArn(domain)
    for (const association of [...this.items.values()]) if (association.domainNameArn === arn) this.remove(association)
  }
}

const view = (a: AccessAssociationData): T.DomainNameAccessAssociation => ({
  domainNameAccessAssociationArn: a.id, domainNameArn: a.domainNameArn, accessAssociationSourceType: 'VPCE',
  accessAssociationSource: a.source, tags: { ...a.tags },
})

export function accessAssociationOperations(domains: DomainState, associations: AccessAssociationState) {
  /** The PRIVATE domain an ARN names, in the caller's region (any account: a VPC endpoint may be another account's). */
  const privateDomain = (ctx: OperationContext, arn: string): DomainNameData => {
    const parsed = parseArn(arn)
    const match = parsed === undefined ? undefined : /^\/domainnames\/([^+]+)\+([a-z0-9]+)$/.exec(parsed.resource)
    const domain = match === null || match === undefined ? undefined : AccessAssociationState.domainOf(domains, arn)
    if (domain === undefined || domain.region !== ctx.caller.region) {
      throw apiGatewayErrors.notFound('Invalid domain name identifier specified')
    }
    return domain
  }

  const create: Op<T.CreateDomainNameAccessAssociationRequest, T.DomainNameAccessAssociation> = (input, ctx) => {
    if (input.domainNameArn === undefined) throw apiGatewayErrors.missingParameter('domainNameArn')
    if (input.accessAssociationSource === undefined) throw apiGatewayErrors.missingParameter('accessAssociationSource')
    if (input.accessAssociationSourceType !== 'VPCE') {
      throw apiGatewayErrors.badRequest(`Invalid access association source type specified: ${String(input.accessAssociationSourceType)}`)
    }
    if (!vpceId.test(input.accessAssociationSource)) throw apiGatewayErrors.badRequest(`Invalid VPC endpoint identifier specified: ${input.accessAssociationSource}`)
    const domain = privateDomain(ctx, input.domainNameArn)
    const arn = `arn:aws:apigateway:${ctx.caller.region}:${ctx.caller.account}:/domainnameaccessassociations/domainname/`
      + `${domain.domainName}+${domain.domainNameId}/vpcesource/${input.accessAssociationSource}`
    if (associations.items.has(arn)) throw apiGatewayErrors.conflict('The domain name access association already exists')
    const owned = associations.list(ctx.caller.account, ctx.caller.region).length
    // [R] AWS's LimitExceededException (429) and its wording.
    if (owned >= maxPerAccount) {
      throw new AwsError('LimitExceededException', `The number of domain name access associations would exceed the limit of ${maxPerAccount}`, { status: 429 })
    }
    const association: AccessAssociationData = {
      id: arn, account: ctx.caller.account, region: ctx.caller.region, domainNameArn: input.domainNameArn, domainName: domain.domainName,
      source: input.accessAssociationSource, tags: input.tags ?? {},
    }
    associations.save(association)
    return view(association)
  }

  const list: Op<T.GetDomainNameAccessAssociationsRequest, T.DomainNameAccessAssociations> = (input, ctx) => {
    const others = input.resourceOwner === 'OTHER_ACCOUNTS'
    if (input.resourceOwner !== undefined && !others && input.resourceOwner !== 'SELF') {
      throw apiGatewayErrors.badRequest(`Invalid resource owner specified: ${String(input.resourceOwner)}`)
    }
    /** The domain still there (an association outliving its domain is never listed). */
    const live = (a: AccessAssociationData) => AccessAssociationState.domainOf(domains, a.domainNameArn)
    const mine = (a: AccessAssociationData) => a.account === ctx.caller.account && a.region === ctx.caller.region && live(a) !== undefined
    /** Others' associations with one of the caller's domains. */
    const onMine = (a: AccessAssociationData) => {
      const domain = live(a)
      return a.account !== ctx.caller.account && domain !== undefined && domain.account === ctx.caller.account && domain.region === ctx.caller.region
    }
    const all = [...associations.items.values()].filter(others ? onMine : mine).sort((a, b) => a.id.localeCompare(b.id))
    const { items, position } = page(all, input.position, input.limit)
    return { items: items.map(view), ...(position !== undefined && { position }) }
  }

  const remove: Op<T.DeleteDomainNameAccessAssociationRequest, void> = (input, ctx) => {
    const association = associations.get(input.domainNameAccessAssociationArn, ctx.caller.account, ctx.caller.region)
    if (association === undefined) throw associationNotFound()
    associations.remove(association)
  }

  const reject: Op<T.RejectDomainNameAccessAssociationRequest, void> = (input, ctx) => {
    const association = associations.items.get(input.domainNameAccessAssociationArn)
    const domain = association === undefined ? undefined : AccessAssociationState.domainOf(domains, association.domainNameArn)
    // Only the domain's owner rejects an association with it (one another account's VPC endpoint made).
    if (association === undefined || association.domainNameArn !== input.domainNameArn || domain === undefined
      || domain.account !== ctx.caller.account || domain.region !== ctx.caller.region) throw associationNotFound()
    associations.remove(association)
  }

  return {
    CreateDomainNameAccessAssociation: create, GetDomainNameAccessAssociations: list,
    DeleteDomainNameAccessAssociation: remove, RejectDomainNameAccessAssociation: reject,
  }
}
