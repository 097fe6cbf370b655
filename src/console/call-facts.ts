// What the API-call log keeps of a call beyond its name and status, read off the parsed input and
// the output by reference (no copy, no formatting): the resource it named, an object key, and the
// ids its answer carried, which the fabric's hops carry on as their `id` (trace-path.ts links them).

/** Members naming the resource a call acts on, most specific first, across the services' models. */
const resourceMembers = ['QueueUrl', 'TopicArn', 'FunctionName', 'Bucket', 'TableName', 'StreamName', 'StreamARN', 'logGroupName',
  'EventBusName', 'DeliveryStreamName', 'TargetArn', 'SubscriptionArn', 'AlarmName', 'QueueName', 'ResourceArn', 'Name',
  'logGroupIdentifier', 'restApiId', 'ApiId', 'RoleName', 'UserName'] as const

export function resourceOf(input: Record<string, unknown> | undefined): string | undefined {
  if (input === undefined) return undefined
  for (const member of resourceMembers) {
    const value = input[member]
    if (typeof value === 'string') return value
  }
  return undefined
}

/** An S3 object key (the one second-level name worth a column). */
export function detailOf(input: Record<string, unknown> | undefined): string | undefined {
  const key = input?.['Key']
  return typeof key === 'string' ? key : undefined
}

/** The id (or batch of ids) the answer gave: SQS/SNS MessageId, PutEvents' Entries, a batch's Successful. */
export function refOf(output: unknown): string | readonly unknown[] | undefined {
  if (output === null || typeof output !== 'object') return undefined
  const o = output as Record<string, unknown>
  const id = o['MessageId'] ?? o['EventId']
  if (typeof id === 'string') return id
  const batch = o['Entries'] ?? o['Successful']
  return Array.isArray(batch) ? batch : undefined
}
