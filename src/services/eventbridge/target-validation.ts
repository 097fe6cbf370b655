// PutTargets' checks on each target, with AWS's wording (§5.3, §5.5). All of them fail the whole
// request, as AWS does for malformed input; per-target FailedEntries are for targets AWS refuses one by one.
import { parseArn } from '../../core/arn.ts'
import { patterns } from './connection-validation.ts'
import { ebErrors } from './errors.ts'
import type * as T from './generated/types.ts'
import { unknownPlaceholders } from './input-transformer.ts'
import { parseJsonPath } from './json-path.ts'
import { checkName } from './operations/common.ts'

export function checkTarget(target: T.Target, index: number): void {
  const at = `Targets.${index + 1}`
  checkName(target.Id, `${at}.Id`, 64)
  const arn = parseArn(target.Arn)
  if (arn === undefined) throw ebErrors.invalidParameter(target.Arn, 'Provided Arn is not in correct format.')
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter((v) => v !== undefined).length
  if (inputs > 1) throw ebErrors.validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${target.Id}.`)
  if (target.Input !== undefined && !isJson(target.Input)) throw ebErrors.invalidParameter('Input', 'Input is not a valid JSON text.')
  if (target.InputPath !== undefined && parseJsonPath(target.InputPath) === undefined) {
    throw ebErrors.invalidParameter('InputPath', `${target.InputPath} is an invalid JSONPath.`)
  }
  if (target.InputTransformer !== undefined) checkTransformer(target.InputTransformer, target.Id, at)
  if (arn.service === 'sqs' && arn.resource.endsWith('.fifo') && target.SqsParameters?.MessageGroupId === undefined) {
    throw ebErrors.validation('Parameter(s) SqsParameters must be specified for FIFO queues.')
  }
  // EventBridge invokes API destinations with the target's role [D: user guide]; the wording is the
  // one AWS gives for other role-only targets ("RoleArn is required for target <arn>.") [R for API destinations].
  if (arn.service === 'events' && arn.resource.startsWith('api-destination/') && target.RoleArn === undefined) {
    throw ebErrors.validation(`RoleArn is required for target ${target.Arn}.`)
  }
  // Kinesis streams have no resource policy: EventBridge writes with the target's role [D: user guide].
  if (arn.service === 'kinesis' && target.RoleArn === undefined) throw ebErrors.validation(`RoleArn is required for target ${target.Arn}.`)
  const keyPath = target.KinesisParameters?.PartitionKeyPath
  if (keyPath !== undefined && parseJsonPath(keyPath) === undefined) {
    throw ebErrors.invalidParameter('KinesisParameters.PartitionKeyPath', `${keyPath} is an invalid JSONPath.`) // [R] the InputPath wording
  }
  checkHttpParameters(target.HttpParameters, at)
  checkRetryPolicy(target.RetryPolicy, at)
  const dlq = target.DeadLetterConfig?.Arn
  if (dlq !== undefined) {
    const parsed = parseArn(dlq)
    if (parsed === undefined || parsed.service !== 'sqs' || parsed.resource === '') {
      throw ebErrors.invalidParameter('DeadLetterConfig.Arn', 'ARN is not a valid SQS queue ARN.')
    }
    if (parsed.resource.endsWith('.fifo')) throw ebErrors.invalidParameter('DeadLetterConfig.Arn', 'FIFO queues are not supported as dead-letter queues.')
  }
}

function checkTransformer(transformer: T.InputTransformer, id: string, at: string): void {
  const map = transformer.InputPathsMap ?? {}
  if (Object.keys(map).length > 100) throw ebErrors.constraint(null, `${at}.InputTransformer.InputPathsMap`, 'Map must have at most 100 entries')
  for (const [key, path] of Object.entries(map)) {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(key) || key.startsWith('AWS.')) {
      throw ebErrors.validation(`InputPathsMap for target ${id} contains invalid key ${key}.`)
    }
    if (parseJsonPath(path) === undefined) throw ebErrors.validation(`InputPathsMap for target ${id} contains invalid path ${path}.`)
  }
  const template = transformer.InputTemplate
  if (template.length < 1 || template.length > 8192) {
    throw ebErrors.constraint(null, `${at}.InputTransformer.InputTemplate`, 'Member must have length between 1 and 8192')
  }
  const [unknown] = unknownPlaceholders(transformer)
  if (unknown !== undefined) throw ebErrors.validation(`InputTemplate for target ${id} contains invalid placeholder ${unknown}.`)
}

function checkRetryPolicy(policy: T.RetryPolicy | undefined, at: string): void {
  const attempts = policy?.MaximumRetryAttempts
  if (attempts !== undefined && (attempts < 0 || attempts > 185)) {
    throw ebErrors.constraint(String(attempts), `${at}.RetryPolicy.MaximumRetryAttempts`,
      attempts < 0 ? 'Member must have value greater than or equal to 0' : 'Member must have value less than or equal to 185')
  }
  const age = policy?.MaximumEventAgeInSeconds
  if (age !== undefined && (age < 60 || age > 86_400)) {
    throw ebErrors.constraint(String(age), `${at}.RetryPolicy.MaximumEventAgeInSeconds`,
      age < 60 ? 'Member must have value greater than or equal to 60' : 'Member must have value less than or equal to 86400')
  }
}

/** Header names and values must be sendable: the model's patterns, checked now rather than failing every delivery [M]. */
function checkHttpParameters(params: T.HttpParameters | undefined, at: string): void {
  for (const [key, value] of Object.entries(params?.HeaderParameters ?? {})) {
    for (const [text, pattern, member] of [[key, patterns.headerKey, 'key'], [value, patterns.headerValue, 'value']] as const) {
      if (!pattern.test.test(text)) {
        throw ebErrors.constraint(text, `${at}.HttpParameters.HeaderParameters.${member}`, `Member must satisfy regular expression pattern: ${pattern.text}`)
      }
    }
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
