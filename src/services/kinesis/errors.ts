// Kinesis errors, named after AWS's codes, with AWS's wording (as real AWS answers them; kinesalite's
// test suite recorded most against AWS). Guesses are marked [R] here and in the README.
import { coralValidationError } from '../../protocol/coral-validation.ts'
import { AwsError } from '../../protocol/errors.ts'

const error = (code: string) => (message: string) => new AwsError(code, message)
const invalidArgument = error('InvalidArgumentException')
const resourceInUse = error('ResourceInUseException')
const notFound = error('ResourceNotFoundException')

export const kinesisErrors = {
  invalidArgument,
  /** Coral's words; a blob past a stream's own maximum record size shows no value (`Value at 'data' …`, as AWS answers it). */
  validation: (value: string | undefined, member: string, constraint: string) =>
    coralValidationError([`Value ${value === undefined ? '' : `${value} `}at '${member}' failed to satisfy constraint: ${constraint}`]),
  missingParameter: (name: string) =>
    coralValidationError([`Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`]),
  streamNotFound: (name: string, account: string) => notFound(`Stream ${name} under account ${account} not found.`),
  streamExists: (name: string, account: string) => resourceInUse(`Stream ${name} under account ${account} already exists.`),
  notActive: (name: string, account: string, status: string) =>
    resourceInUse(`Stream ${name} under account ${account} not ACTIVE, instead in state ${status}`),
  /** Operations that also work while UPDATING (ListShards), on a CREATING or DELETING stream. */
  notActiveOrUpdating: (name: string, account: string, status: string) =>
    resourceInUse(`Stream ${name} under account ${account} not ACTIVE or UPDATING, instead in state ${status}`),
  shardNotFound: (shardId: string, name: string, account: string) =>
    notFound(`Could not find shard ${shardId} in stream ${name} under account ${account}.`),
  shardMissing: (shardId: string, name: string, account: string) =>
    notFound(`Shard ${shardId} in stream ${name} under account ${account} does not exist`),
  writeThroughput: (shardId: string, name: string, account: string) => new AwsError('ProvisionedThroughputExceededException',
    `Rate exceeded for shard ${shardId} in stream ${name} under account ${account}.`),
  // An ON_DEMAND stream past its stream-wide quota (200 MiB/s, 200,000 records/s). [R] wording
  streamWriteThroughput: (name: string, account: string) => new AwsError('ProvisionedThroughputExceededException',
    `Rate exceeded for stream ${name} under account ${account}.`),
  readThroughput: (shardId: string, name: string, account: string) => new AwsError('ProvisionedThroughputExceededException',
    `Rate exceeded for Shard - ${account}/${name}/${shardId}`),
  expiredIterator: (created: number, now: number) => new AwsError('ExpiredIteratorException',
    `Iterator expired. The iterator was created at time ${javaUtc(created)} while right now it is ${javaUtc(now)} ` +
    'which is further in the future than the tolerated delay of 300000 milliseconds.'),
  invalidIterator: () => invalidArgument('Invalid ShardIterator.'),
  expiredNextToken: () => new AwsError('ExpiredNextTokenException', 'The timestamp on the NextToken has expired.'), // [R]
  invalidNextToken: () => invalidArgument('NextToken is invalid.'), // [R]
  // [R] StreamName/StreamARN addressing: AWS wants exactly one that names an existing stream.
  noStreamIdentifier: () => invalidArgument('Either StreamName or StreamARN should be provided.'),
  streamIdentifierMismatch: () => invalidArgument('StreamARN and StreamName refer to different streams.'),
  shardLimit: (account: string, region: string, current: number, limit: number, added: number) => new AwsError('LimitExceededException',
    `This request would exceed the shard limit for the account ${account} in ${region}. Current shard count for the account: ` +
    `${current}. Limit: ${limit}. Number of additional shards that would have resulted from this request: ${added}. Refer to the ` +
    'AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.'),
  // [R] AWS documents the quota (50 on-demand streams an account and Region by default), not its refusal's words: the shard limit's form.
  onDemandStreamLimit: (account: string, region: string, current: number, limit: number) => new AwsError('LimitExceededException',
    `This request would exceed the on-demand stream count limit for the account ${account} in ${region}. Current on-demand stream ` +
    `count for the account: ${current}. Limit: ${limit}.`),
  limitExceeded: error('LimitExceededException'),
  resourceInUse,
  notFound,
}

/** Java's `Date.toString()` in UTC ("Wed Dec 04 23:00:00 UTC 2026"): how AWS words times in iterator errors. */
export function javaUtc(ms: number): string {
  const [weekday, day, month, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ') as string[]
  return `${weekday} ${month} ${day} ${time} UTC ${year}`
}
