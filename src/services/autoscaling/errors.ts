// Auto Scaling errors with AWS's wording. Modelled faults are named after their shapes (the query
// code and status come from the model: AlreadyExistsFault → AlreadyExists 400, ResourceContention 500);
// everything else is AWS's generic ValidationError. Wording marked [R] in the README is recalled.
import { AwsError } from '../../protocol/errors.ts'

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1)
const validation = (message: string) => new AwsError('ValidationError', message)

export const autoScalingErrors = {
  validation,
  missingParameter: (name: string) =>
    validation(`1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`),
  /** A model constraint, in AWS's front-end words; `member` as AWS names it (lower camel case). */
  constraint: (member: string, value: unknown, constraint: string) =>
    validation(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`),
  groupExists: (name: string) =>
    new AwsError('AlreadyExistsFault', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`),
  groupNotFound: (name: string) => validation(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`),
  launchConfigurationExists: (name: string) =>
    new AwsError('AlreadyExistsFault', `Launch Configuration by this name already exists - A launch configuration already exists with the name ${name}`),
  launchConfigurationNotFound: (name: string) =>
    validation(`Launch configuration name not found - Launch configuration ${name} not found`),
  launchConfigurationInUse: (name: string) =>
    new AwsError('ResourceInUseFault', `Cannot delete launch configuration ${name} because it is attached to AutoScalingGroup`),
  groupInUse: () => new AwsError('ResourceInUseFault',
    'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.'),
  scalingActivityInProgress: (message: string) => new AwsError('ScalingActivityInProgressFault', message),
  limitExceeded: (message: string) => new AwsError('LimitExceededFault', message),
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The token provided is not valid.'),
  instanceNotFound: (id: string) => validation(`Instance Id not found - No managed instance found for instance ID: ${id}`),
}
