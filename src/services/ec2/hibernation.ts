// Hibernation: RunInstances' HibernationOptions.Configured (an encrypted root volume required, as AWS's
// prerequisites say) and StopInstances' Hibernate, refused for an instance not configured for it.
import { AwsError } from '../../protocol/errors.ts'
import type { PlannedVolume } from './block-devices.ts'
import type { InstanceRecord } from './resources.ts'

/** StopInstances Hibernate=true on an instance launched without HibernationOptions.Configured [R: code and wording]. */
export function checkHibernate(i: InstanceRecord): void {
  if (i.hibernation !== true) {
    throw new AwsError('UnsupportedOperation', `The instance '${i.id}' is not enabled for hibernation.`, { status: 400 })
  }
  if (i.state !== 'running') {
    throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be hibernated.`, { status: 400 })
  }
}

/** A launch with HibernationOptions.Configured needs an encrypted EBS root volume [R: wording]. */
export function checkHibernationLaunch(configured: boolean | undefined, root: PlannedVolume): void {
  if (configured === true && !root.encrypted) {
    throw new AwsError('UnsupportedHibernationConfiguration',
      'The instance could not be launched because one or more parameter values do not meet the prerequisites for enabling hibernation. The root volume must be encrypted.',
      { status: 400 })
  }
}
