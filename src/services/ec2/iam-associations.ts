// An instance's IAM instance profile association on the clock: associating → associated and
// disassociating → disassociated `associationMs` later, computed lazily from when the state began.
// The profile an instance has (DescribeInstances, its IMDS's iam/ category) follows the association.
import { seededId } from './ids.ts'
import type { InstanceRecord, ProfileAssociation } from './resources.ts'
import type { RegionState } from './store.ts'

/** How long associating and disassociating last (AWS's take a few seconds). */
export const associationMs = 2_000

export type AssociationState = ProfileAssociation['state'] | 'disassociated'

export interface AssociationView {
  id: string
  state: AssociationState
  /** When the association was made (or began to go). */
  since: number
}

/** The instance's association now; undefined when it has no profile. A launch's is associated from the launch on. */
export function associationOf(i: InstanceRecord, now: number): AssociationView | undefined {
  if (i.iamInstanceProfile === undefined) return undefined
  // Launched with the profile: its id follows from the instance's (records from before associations had none).
  const a = i.profileAssociation ?? { id: seededId('iip-assoc', i.id), state: 'associated', since: i.launchTime }
  if (a.state === 'associated' || now < a.since + associationMs) return { ...a }
  return a.state === 'associating' ? { id: a.id, state: 'associated', since: a.since } : { id: a.id, state: 'disassociated', since: a.since }
}

/**
 * The profile as the instance's IMDS serves it: its role as IAM has it now (a role added to or removed
 * from the profile since the association shows at once), and when the association was made.
 */
export function liveProfile(region: RegionState, i: InstanceRecord, now: number): (NonNullable<InstanceRecord['iamInstanceProfile']> & { since: number }) | undefined {
  const a = associationOf(i, now)
  const profile = a === undefined || a.state === 'disassociated' ? undefined : i.iamInstanceProfile
  if (profile === undefined) return undefined
  const current = region.state.instanceProfiles?.(region.account, profile.arn)
  return { ...profile, roleName: current === undefined ? profile.roleName : current.roleName, since: a!.since }
}

/** The profile the instance has now: none once its association is gone. */
export function profileOf(i: InstanceRecord, now: number): InstanceRecord['iamInstanceProfile'] {
  const a = associationOf(i, now)
  return a === undefined || a.state === 'disassociated' ? undefined : i.iamInstanceProfile
}
