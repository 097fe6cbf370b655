// CloudWatch errors, named after the model's shapes (the query codes come from the model:
// InvalidParameterValueException → InvalidParameterValue), with AWS's wording where known.
import { AwsError } from '../../protocol/errors.ts'

const invalidValue = (message: string) => new AwsError('InvalidParameterValueException', message)
const combination = (message: string) => new AwsError('InvalidParameterCombinationException', message)

export const cloudWatchErrors = {
  invalidValue,
  combination,
  /** "The parameter X is required." (CloudWatch's query-era wording, kept on JSON too) [R]. */
  missingParameter: (name: string) => new AwsError('MissingRequiredParameterException', `The parameter ${name} is required.`),
  /** AWS's front-end validation wording for model constraints. */
  validation: (value: unknown, member: string, constraint: string) =>
    invalidValue(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`),
  /** PutCompositeAlarm naming alarms that don't exist [R: the list's brackets and separator]. */
  missingRuleAlarms: (names: string[]) =>
    new AwsError('ValidationError', `Could not save the composite alarm as alarms [${names.join(', ')}] in the alarm rule do not exist`),
  /** DeleteAlarms of an alarm a composite alarm's rule reads (names joined by commas, as AWS lists them). */
  neededByComposite: (names: string[]) =>
    new AwsError('ValidationError', `Cannot delete ${names.join(',')} as there are composite alarm(s) depending on ${names.length === 1 ? 'it' : 'them'}.`),
  /** An EC2 alarm action on an alarm whose metric has no InstanceId dimension. */
  ec2ActionWithoutInstance: () => new AwsError('ValidationError',
    'Invalid use of EC2 action. An EC2 action can only be used if the alarm is monitoring an EC2 instance.'),
  alarmNotFound: (name: string) => new AwsError('ResourceNotFound', `Alarm ${name} does not exist`),
  resourceNotFound: (arn: string) => new AwsError('ResourceNotFoundException', `${arn} not found`),
  dashboardNotFound: (name: string) => new AwsError('DashboardNotFoundError', `Dashboard ${name} does not exist`),
  dashboardInvalid: (message: string, messages: { DataPath: string; Message: string }[]) =>
    new AwsError('DashboardInvalidInputError', message, { fields: { dashboardValidationMessages: messages } }),
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The service cannot process the specified NextToken.'),
  invalidFormat: (message: string) => new AwsError('InvalidFormatFault', message),
  limitExceeded: (message: string) => new AwsError('LimitExceededFault', message),
}
