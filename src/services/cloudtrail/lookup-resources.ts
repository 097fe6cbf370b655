// The resources LookupEvents shows for a management event (ResourceType/ResourceName lookups),
// read off the request's well-known parameters [R]: CloudTrail fills them per service from its own
// knowledge of each API, Nimbus from a short table of the members that name a resource.
import type { Resource } from './generated/types.ts'
import type { EventRecord } from './event-record.ts'

/** Per event source: request member (as the record names it, lower camel case) → resource type. */
const members: Record<string, Record<string, string>> = {
  'dynamodb.amazonaws.com': { tableName: 'AWS::DynamoDB::Table' },
  'sqs.amazonaws.com': { queueName: 'AWS::SQS::Queue', queueUrl: 'AWS::SQS::Queue' },
  'sns.amazonaws.com': { topicArn: 'AWS::SNS::Topic', name: 'AWS::SNS::Topic' },
  's3.amazonaws.com': { bucket: 'AWS::S3::Bucket' },
  'lambda.amazonaws.com': { functionName: 'AWS::Lambda::Function' },
  'cloudtrail.amazonaws.com': { name: 'AWS::CloudTrail::Trail', trailName: 'AWS::CloudTrail::Trail' },
  'logs.amazonaws.com': { logGroupName: 'AWS::Logs::LogGroup' },
  'events.amazonaws.com': { name: 'AWS::Events::Rule' },
  'iam.amazonaws.com': { userName: 'AWS::IAM::User', roleName: 'AWS::IAM::Role', policyArn: 'AWS::IAM::Policy' },
  'kinesis.amazonaws.com': { streamName: 'AWS::Kinesis::Stream' },
  'autoscaling.amazonaws.com': {
    autoScalingGroupName: 'AWS::AutoScaling::AutoScalingGroup', launchConfigurationName: 'AWS::AutoScaling::LaunchConfiguration',
  },
  'ec2.amazonaws.com': { launchTemplateName: 'AWS::EC2::LaunchTemplate' },
}

export function lookupResources(record: EventRecord): Resource[] {
  const table = members[record.eventSource]
  const parameters = record.requestParameters
  if (table === undefined || parameters === null) return []
  const out: Resource[] = []
  for (const [member, type] of Object.entries(table)) {
    const value = parameters[member]
    if (typeof value === 'string' && value !== '') out.push({ ResourceType: type, ResourceName: value })
  }
  return out
}
