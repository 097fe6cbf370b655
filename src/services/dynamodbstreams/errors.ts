// DynamoDB Streams errors, named after AWS's codes (the [R] ones are listed in the README).
import { AwsError } from '../../protocol/errors.ts'

const validation = (message: string) => new AwsError('ValidationException', message)

export const streamsErrors = {
  validation,
  /** The front end's model constraint message. */
  constraint: (value: unknown, member: string, rule: string) =>
    validation(`1 validation error detected: Value ${value === null ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${rule}`),
  missingParameter: (name: string) => validation(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`),
  streamNotFound: (arn: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`),
  shardNotFound: (shard: string, arn: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: Shard: ${shard} in Stream: ${arn} not found`),
  trimmed: () => new AwsError('TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.'),
  expired: (created: number, now: number) => new AwsError('ExpiredIteratorException',
    `Iterator expired. The iterator was created at time ${new Date(created).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of 900000 milliseconds.`),
  invalidIterator: () => validation('Invalid ShardIterator'),
}
