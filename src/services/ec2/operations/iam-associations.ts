// IAM instance profile associations: Associate (associating → associated on the clock), Describe
// (AssociationIds, filters instance-id and state, pages), Replace (a new association for the
// running instance) and Disassociate (disassociating → gone). DescribeInstances' IamInstanceProfile
// and a process-backed instance's IMDS iam/ category follow the association.
import type { OperationTable } from '../../service.ts'
import { ec2Errors } from '../errors.ts'
import { compileFilters, paginate } from '../filters.ts'
import type { Ec2Operations } from '../generated/types.ts'
import { associationOf, type AssociationView } from '../iam-associations.ts'
import { isWellFormedId, newId } from '../ids.ts'
import { instanceProfileOf } from '../processes/launch-options.ts'
import type { InstanceRecord } from '../resources.ts'
import type { Ec2State, RegionState } from '../store.ts'
import { namedInstances } from './instances.ts'

interface Found { instance: InstanceRecord; association: AssociationView }

/** The live instances' associations (a terminated instance's went with it; a disassociated one is no longer listed). */
function associations(region: RegionState): Found[] {
  const now = region.now
  const out: Found[] = []
  for (const instance of region.allInstances()) {
    if (instance.state === 'terminated' || instance.state === 'shutting-down') continue
    const association = associationOf(instance, now)
    if (association !== undefined && association.state !== 'disassociated') out.push({ instance, association })
  }
  return out
}

/** An association by id: AWS answers a malformed id with InvalidParameterValue, an unknown one with InvalidAssociationID.NotFound [R]. */
function findAssociation(region: RegionState, id: string): Found {
  if (!isWellFormedId(id, 'iip-assoc')) throw ec2Errors.associationIdInvalid()
  const found = associations(region).find((f) => f.association.id === id)
  if (found === undefined) throw ec2Errors.associationNotFound(id)
  return found
}

function view(instance: InstanceRecord, a: AssociationView, withTime = false) {
  const profile = instance.iamInstanceProfile!
  return {
    AssociationId: a.id, InstanceId: instance.id, IamInstanceProfile: { Arn: profile.arn, Id: profile.id }, State: a.state,
    Timestamp: withTime ? new Date(a.since) : undefined,
  }
}

/** The profile asked for, resolved in IAM (InvalidParameterValue for one IAM doesn't have, as RunInstances). */
function profileAsked(region: RegionState, asked: { Arn?: string; Name?: string } | undefined): NonNullable<InstanceRecord['iamInstanceProfile']> {
  const profile = instanceProfileOf(region, asked)
  if (profile === undefined) throw ec2Errors.missingParameter('IamInstanceProfile')
  return profile
}

/** A new association of the asked profile, `associating` from now on the clock (Associate and Replace). */
function associate(region: RegionState, instance: InstanceRecord, asked: { Arn?: string; Name?: string } | undefined) {
  instance.iamInstanceProfile = profileAsked(region, asked)
  instance.profileAssociation = { id: newId('iip-assoc'), state: 'associating', since: region.now }
  region.save(instance)
  return { IamInstanceProfileAssociation: view(instance, { ...instance.profileAssociation }) }
}

export function iamAssociationOperations(state: Ec2State): OperationTable<Ec2Operations> {
  return {
    AssociateIamInstanceProfile: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const [instance] = namedInstances(region, [input.InstanceId])
      const i = instance!
      if (i.state === 'terminated' || i.state === 'shutting-down') throw ec2Errors.incorrectStateAssociate(i.id, i.state)
      const current = associationOf(i, region.now)
      if (current !== undefined && current.state !== 'disassociated') throw ec2Errors.profileAssociationExists(i.id)
      return associate(region, i, input.IamInstanceProfile)
    },

    DescribeIamInstanceProfileAssociations: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const ids = input.AssociationIds ?? []
      if (ids.length > 0 && input.MaxResults !== undefined) {
        throw ec2Errors.invalidParameterCombination('The parameter associationIds cannot be used with the parameter maxResults')
      }
      const all = ids.length > 0 ? ids.map((id) => findAssociation(region, id)) : associations(region)
      const match = compileFilters<Found>(input.Filters, {
        'instance-id': (f) => [f.instance.id],
        state: (f) => [f.association.state],
      })
      const page = paginate(all.filter(match), input.MaxResults, input.NextToken)
      return { IamInstanceProfileAssociations: page.items.map((f) => view(f.instance, f.association, true)), NextToken: page.nextToken }
    },

    ReplaceIamInstanceProfileAssociation: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const { instance, association } = findAssociation(region, input.AssociationId)
      // AWS replaces the association of a running instance only (a stopped one's is "not the active association").
      if (association.state !== 'associated' || instance.state !== 'running') throw ec2Errors.associationNotActive(association.id)
      return associate(region, instance, input.IamInstanceProfile)
    },

    DisassociateIamInstanceProfile: (input, ctx) => {
      const region = state.region(ctx.caller.account, ctx.caller.region)
      const { instance, association } = findAssociation(region, input.AssociationId)
      if (association.state === 'disassociating') throw ec2Errors.associationNotActive(association.id)
      instance.profileAssociation = { id: association.id, state: 'disassociating', since: region.now }
      region.save(instance)
      return { IamInstanceProfileAssociation: view(instance, { ...instance.profileAssociation }) }
    },
  }
}
