// RunInstances' and AssociateIamInstanceProfile's IamInstanceProfile, resolved in IAM: the profile
// must exist, as on AWS (its role gives a process-backed instance's IMDS credentials).
import { ec2Errors } from '../errors.ts'
import type { InstanceRecord } from '../resources.ts'
import type { RegionState } from '../store.ts'

export function instanceProfileOf(region: RegionState, asked: { Arn?: string; Name?: string } | undefined): InstanceRecord['iamInstanceProfile'] {
  if (asked === undefined || (asked.Arn === undefined && asked.Name === undefined)) return undefined
  const lookup = region.state.instanceProfiles
  const byArn = asked.Arn !== undefined
  const key = (asked.Arn ?? asked.Name)!
  // Without IAM (EC2 alone, in unit tests) the profile is taken as named, its role named like it.
  if (lookup === undefined) return { arn: byArn ? key : `arn:aws:iam::${region.account}:instance-profile/${key}`, id: 'AIPA' + 'X'.repeat(17), roleName: key.split('/').pop() }
  const found = lookup(region.account, key)
  if (found === undefined) {
    throw ec2Errors.invalidParameterValue(byArn
      ? `Value (${key}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`
      : `Value (${key}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`)
  }
  return found
}
