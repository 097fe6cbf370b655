// Burstable instances' CPU credit option (T2 standard by default; T3, T3a, T4g unlimited, as AWS
// documents): what RunInstances' CreditSpecification sets, what an instance keeps across a resize,
// and what DescribeInstanceCreditSpecifications reports (`standard` for other types).
import { ec2Errors } from './errors.ts'
import type { InstanceRecord } from './resources.ts'

export type CpuCredits = 'standard' | 'unlimited'

export const isBurstable = (type: string): boolean => /^t(2|3|3a|4g)\./.test(type)

const familyDefault = (type: string): CpuCredits => (type.startsWith('t2.') ? 'standard' : 'unlimited')

/** The instance's option: the one it was given or kept, else its family's default; `standard` for other types. */
export const creditsOf = (i: InstanceRecord): CpuCredits => i.cpuCredits ?? (isBurstable(i.type) ? familyDefault(i.type) : 'standard')

/** Checks a CpuCredits value. */
export function checkCredits(value: string): CpuCredits {
  if (value !== 'standard' && value !== 'unlimited') {
    throw ec2Errors.invalidParameterValue(`Value (${value}) for parameter cpuCredits is invalid. Valid values are: standard, unlimited.`)
  }
  return value
}

/** A launch's CreditSpecification: kept for a burstable type, ignored for others (a fleet's or group's other types). */
export function launchCredits(type: string, asked: { CpuCredits?: string } | undefined): CpuCredits | undefined {
  if (asked?.CpuCredits === undefined || !isBurstable(type)) return undefined
  return checkCredits(asked.CpuCredits)
}

/** RunInstances itself refuses a CreditSpecification for a type that isn't burstable, as AWS does. */
export function checkRunCredits(type: string | undefined, asked: { CpuCredits?: string } | undefined): void {
  if (asked?.CpuCredits !== undefined && !isBurstable(type ?? 'm1.small')) throw ec2Errors.creditsNotSupported(type ?? 'm1.small')
}
