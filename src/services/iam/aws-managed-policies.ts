// A catalog of the AWS managed policies people attach most, by ARN, so that attaching
// `arn:aws:iam::aws:policy/…` works and GetPolicy/GetPolicyVersion answer. Documents marked [R] in
// the README are recalled or abridged (ReadOnlyAccess lists hundreds of actions in AWS); the rest
// are AWS's documents as published. AWS's own policies are in every account; they can't be changed.
import { createHash } from 'node:crypto'

export interface AwsManagedPolicy {
  name: string
  path: string
  arn: string
  id: string
  description: string
  document: string
  versionId: string
  /** AWS's creation date of the policy (fixed: the catalog is the same everywhere). */
  created: number
}

type Statement = Record<string, unknown>

const allow = (action: string | string[], resource: string | string[] = '*'): Statement => ({ Effect: 'Allow', Action: action, Resource: resource })

const entries: [name: string, path: string, description: string, statements: Statement[], versionId?: string][] = [
  ['AdministratorAccess', '/', 'Provides full access to AWS services and resources.', [allow('*')]],
  ['PowerUserAccess', '/', 'Provides full access to AWS services and resources, but does not allow management of Users and groups.', [
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    allow(['account:GetAccountInformation', 'account:GetPrimaryEmail', 'account:ListRegions', 'iam:CreateServiceLinkedRole',
      'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization']),
  ]],
  ['ReadOnlyAccess', '/', 'Provides read-only access to AWS services and resources.', [
    allow(['dynamodb:BatchGet*', 'dynamodb:Describe*', 'dynamodb:Get*', 'dynamodb:List*', 'dynamodb:Query', 'dynamodb:Scan',
      'events:Describe*', 'events:List*', 'events:Test*', 'iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*',
      'kinesis:Describe*', 'kinesis:Get*', 'kinesis:List*', 'lambda:Get*', 'lambda:List*', 'logs:Describe*', 'logs:FilterLogEvents',
      'logs:Get*', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup', 'logs:StartQuery', 'logs:StopQuery', 'logs:TestMetricFilter',
      's3:DescribeJob', 's3:Get*', 's3:List*', 'sns:Check*', 'sns:Get*', 'sns:List*', 'sqs:Get*', 'sqs:List*', 'sqs:Receive*',
      'sts:GetAccessKeyInfo', 'sts:GetCallerIdentity', 'sts:GetSessionToken']),
  ]],
  ['AmazonS3FullAccess', '/', 'Provides full access to all buckets via the AWS Management Console.', [allow(['s3:*', 's3-object-lambda:*'])]],
  ['AmazonS3ReadOnlyAccess', '/', 'Provides read only access to all buckets via the AWS Management Console.', [
    allow(['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'])]],
  ['AmazonSQSFullAccess', '/', 'Provides full access to Amazon SQS via the AWS Management Console.', [allow('sqs:*')]],
  ['AmazonSQSReadOnlyAccess', '/', 'Provides read only access to Amazon SQS via the AWS Management Console.', [
    allow(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:ListQueues', 'sqs:ListMessageMoveTasks', 'sqs:ListQueueTags'])]],
  ['AmazonSNSFullAccess', '/', 'Provides full access to Amazon SNS via the AWS Management Console.', [allow('sns:*')]],
  ['AmazonSNSReadOnlyAccess', '/', 'Provides read only access to Amazon SNS via the AWS Management Console.', [allow(['sns:GetTopicAttributes', 'sns:List*'])]],
  ['AWSLambda_FullAccess', '/', 'Grants full access to AWS Lambda service, AWS Lambda console features, and other related AWS services.', [
    allow(['cloudformation:DescribeStacks', 'cloudformation:ListStackResources', 'cloudwatch:ListMetrics', 'cloudwatch:GetMetricData',
      'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'kms:ListAliases', 'iam:GetPolicy', 'iam:GetPolicyVersion',
      'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoles', 'lambda:*', 'logs:DescribeLogGroups',
      'states:DescribeStateMachine', 'states:ListStateMachines', 'tag:GetResources', 'xray:GetTraceSummaries', 'xray:BatchGetTraces']),
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
    allow(['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StopLiveTail'], 'arn:aws:logs:*:*:log-group:/aws/lambda/*'),
  ]],
  ['AWSLambda_ReadOnlyAccess', '/', 'Grants read-only access to AWS Lambda service, AWS Lambda console features, and other related AWS services.', [
    allow(['lambda:Get*', 'lambda:List*', 'iam:GetRole', 'iam:ListRoles', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:GetLogEvents'])]],
  ['AWSLambdaBasicExecutionRole', '/service-role/', 'Provides write permissions to CloudWatch Logs.', [
    allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'])]],
  ['AWSLambdaSQSQueueExecutionRole', '/service-role/', 'Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.', [
    allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'])]],
  ['AWSLambdaDynamoDBExecutionRole', '/service-role/', 'Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.', [
    allow(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', 'logs:CreateLogGroup',
      'logs:CreateLogStream', 'logs:PutLogEvents'])]],
  ['AWSLambdaKinesisExecutionRole', '/service-role/', 'Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.', [
    allow(['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards',
      'kinesis:ListStreams', 'kinesis:SubscribeToShard', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'])]],
  ['AWSLambdaVPCAccessExecutionRole', '/service-role/', 'Provides minimum permissions for a Lambda function to execute while accessing a resource within a VPC.', [
    allow(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'])]],
  ['AmazonDynamoDBFullAccess', '/', 'Provides full access to Amazon DynamoDB via the AWS Management Console.', [
    allow(['dynamodb:*', 'dax:*', 'application-autoscaling:*', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData',
      'cloudwatch:PutMetricAlarm', 'kinesis:ListStreams', 'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kms:DescribeKey',
      'kms:ListAliases', 'sns:CreateTopic', 'sns:DeleteTopic', 'sns:ListSubscriptions', 'sns:ListSubscriptionsByTopic', 'sns:ListTopics',
      'sns:Subscribe', 'sns:Unsubscribe', 'sns:SetTopicAttributes', 'lambda:CreateFunction', 'lambda:ListFunctions', 'lambda:ListEventSourceMappings',
      'lambda:CreateEventSourceMapping', 'lambda:DeleteEventSourceMapping', 'lambda:GetFunctionConfiguration', 'lambda:DeleteFunction',
      'iam:GetRole', 'iam:ListRoles', 'tag:GetResources'])]],
  ['AmazonDynamoDBReadOnlyAccess', '/', 'Provides read only access to Amazon DynamoDB via the AWS Management Console.', [
    allow(['dynamodb:BatchGetItem', 'dynamodb:Describe*', 'dynamodb:List*', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PartiQLSelect'])]],
  ['CloudWatchLogsFullAccess', '/', 'Provides full access to CloudWatch Logs', [allow(['logs:*', 'cloudwatch:GenerateQuery'])]],
  ['CloudWatchLogsReadOnlyAccess', '/', 'Provides read only access to CloudWatch Logs', [
    allow(['logs:Describe*', 'logs:Get*', 'logs:List*', 'logs:StartQuery', 'logs:StopQuery', 'logs:TestMetricFilter', 'logs:FilterLogEvents',
      'logs:StartLiveTail', 'logs:StopLiveTail', 'cloudwatch:GenerateQuery'])]],
  ['AmazonEventBridgeFullAccess', '/', 'Provides full access to Amazon EventBridge.', [
    allow(['events:*', 'schemas:*', 'scheduler:*', 'pipes:*']),
    { Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: 'arn:aws:iam::*:role/aws-service-role/AmazonEventBridgeApiDestinationsServiceRolePolicy',
      Condition: { StringLike: { 'iam:AWSServiceName': 'apidestinations.events.amazonaws.com' } } },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::*:role/*', Condition: { StringLike: { 'iam:PassedToService': 'events.amazonaws.com' } } },
  ]],
  ['AmazonEventBridgeReadOnlyAccess', '/', 'Provides read only access to Amazon EventBridge.', [
    allow(['events:DescribeRule', 'events:DescribeEventBus', 'events:DescribeEventSource', 'events:ListEventBuses', 'events:ListEventSources',
      'events:ListRuleNamesByTarget', 'events:ListRules', 'events:ListTargetsByRule', 'events:TestEventPattern', 'events:DescribeArchive',
      'events:ListArchives', 'events:DescribeReplay', 'events:ListReplays', 'events:DescribeConnection', 'events:ListConnections',
      'events:DescribeApiDestination', 'events:ListApiDestinations'])]],
  ['AmazonKinesisFullAccess', '/', 'Provides full access to all streams via the AWS Management Console.', [allow('kinesis:*')]],
  ['AmazonKinesisReadOnlyAccess', '/', 'Provide read only access to Amazon Kinesis Streams via the AWS Management Console.', [
    allow(['kinesis:Get*', 'kinesis:List*', 'kinesis:Describe*'])]],
  ['IAMFullAccess', '/', 'Provides full access to IAM via the AWS Management Console.', [
    allow(['iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit',
      'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget',
      'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy'])]],
  ['IAMReadOnlyAccess', '/', 'Provides read only access to IAM via the AWS Management Console.', [allow(['iam:GenerateCredentialReport',
    'iam:GenerateServiceLastAccessedDetails', 'iam:Get*', 'iam:List*', 'iam:SimulateCustomPolicy', 'iam:SimulatePrincipalPolicy'])]],
  ['AmazonEC2FullAccess', '/', 'Provides full access to Amazon EC2 via the AWS Management Console.', [
    allow(['ec2:*', 'elasticloadbalancing:*', 'cloudwatch:*', 'autoscaling:*'])]],
  ['AmazonEC2ReadOnlyAccess', '/', 'Provides read only access to Amazon EC2 via the AWS Management Console.', [
    allow(['ec2:Describe*', 'ec2:GetSecurityGroupsForVpc', 'elasticloadbalancing:Describe*', 'cloudwatch:ListMetrics', 'cloudwatch:GetMetricStatistics',
      'cloudwatch:Describe*', 'autoscaling:Describe*'])]],
]

const catalog = new Map<string, AwsManagedPolicy>(entries.map(([name, path, description, statements, versionId]) => {
  const arn = `arn:aws:iam::aws:policy${path}${name}`
  // Stable ids (ANPA + 17 characters derived from the ARN): the same in every Nimbus.
  const id = `ANPA${createHash('sha256').update(arn).digest('hex').toUpperCase().slice(0, 17)}`
  const document = JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 4)
  return [arn, { name, path, arn, id, description, document, versionId: versionId ?? 'v1', created: Date.UTC(2015, 1, 6, 18, 39, 46) }]
}))

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return catalog.get(arn)
}

export function awsManagedPolicies(): AwsManagedPolicy[] {
  return [...catalog.values()]
}
