// RunInstances' IamInstanceProfile (resolved in IAM: the profile must exist, as on AWS) and
// MetadataOptions (validated, stored; what IMDS enforces for a process-backed instance).
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

interface MetadataOptionsRequest {
  HttpTokens?: string
  HttpEndpoint?: string
  InstanceMetadataTags?: string
  HttpPutResponseHopLimit?: number
}

export function metadataOptionsOf(asked: MetadataOptionsRequest | undefined): InstanceRecord['metadataOptions'] {
  if (asked === undefined) return undefined
  const pick = <T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
    if (value === undefined) return fallback
    if (!(allowed as readonly string[]).includes(value)) {
      throw ec2Errors.invalidParameterValue(`Value (${value}) for parameter ${name} is invalid. Valid values are: ${allowed.join(', ')}.`)
    }
    return value as T
  }
  const hopLimit = asked.HttpPutResponseHopLimit ?? 2
  if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 64) {
    throw ec2Errors.invalidParameterValue(`Value (${hopLimit}) for parameter HttpPutResponseHopLimit is invalid. The value must be between 1 and 64.`)
  }
  return {
    httpTokens: pick('HttpTokens', asked.HttpTokens, ['optional', 'required'] as const, 'required'),
    httpEndpoint: pick('HttpEndpoint', asked.HttpEndpoint, ['enabled', 'disabled'] as const, 'enabled'),
    instanceMetadataTags: pick('InstanceMetadataTags', asked.InstanceMetadataTags, ['enabled', 'disabled'] as const, 'disabled'),
    hopLimit,
  }
}
