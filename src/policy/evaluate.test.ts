// The evaluator against a table built from AWS's documented examples (IAM User Guide: "Policy
// evaluation logic", "Cross-account policy evaluation logic", "IAM JSON policy elements: Condition
// operators", "Policy variables", example policies for S3 home folders and source-IP denies).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { inCidr, isCidr } from './conditions.ts'
import { MalformedPolicy, parsePolicy, type PolicyDocument } from './document.ts'
import { type ApplicablePolicies, type Decision, evaluate, type EvaluationRequest, type Principal } from './evaluate.ts'
import { actionMatches, arnMatches, substitute } from './match.ts'

const identity = (statements: object[]): PolicyDocument => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity')
const resourcePolicy = (statements: object[]): PolicyDocument => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'resource')

const alice: Principal = { arn: 'arn:aws:iam::111122223333:user/alice', account: '111122223333' }
const bob: Principal = { arn: 'arn:aws:iam::444455556666:user/bob', account: '444455556666' }
const bucket = 'arn:aws:s3:::amzn-s3-demo-bucket'
const request = (overrides: Partial<EvaluationRequest> = {}): EvaluationRequest => ({
  principal: alice, action: 's3:GetObject', resource: `${bucket}/home/alice/notes.txt`, resourceAccount: '111122223333', ...overrides,
})

const s3Read = identity([{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }])
const denyDelete = identity([{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }])
const homeFolder = identity([{ Effect: 'Allow', Action: 's3:*', Resource: `${bucket}/home/\${aws:username}/*` }])
const sourceIpDeny = identity([{ Effect: 'Deny', Action: '*', Resource: '*',
  Condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] }, Bool: { 'aws:ViaAWSService': 'false' } } }])
const bucketForBob = resourcePolicy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 's3:GetObject', Resource: `${bucket}/*` }])
const bucketPublic = resourcePolicy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket}/public/*` }])

const table: [name: string, request: EvaluationRequest, policies: ApplicablePolicies, expected: Decision][] = [
  ['no policy: implicit deny', request(), {}, 'ImplicitDeny'],
  ['identity allow with wildcard actions', request(), { identity: [s3Read] }, 'Allow'],
  ['action not granted', request({ action: 's3:PutObject' }), { identity: [s3Read] }, 'ImplicitDeny'],
  ['explicit deny beats allow', request({ action: 's3:DeleteObject' }), { identity: [identity([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]), denyDelete] }, 'ExplicitDeny'],
  ['NotAction allow: everything but IAM', request({ action: 'iam:CreateUser', resource: '*' }),
    { identity: [identity([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }])] }, 'ImplicitDeny'],
  ['NotAction allow covers other services', request(), { identity: [identity([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }])] }, 'Allow'],
  ['NotResource deny leaves the listed resource', request(),
    { identity: [s3Read, identity([{ Effect: 'Deny', Action: 's3:*', NotResource: [`${bucket}/home/alice/*`] }])] }, 'Allow'],
  ['${aws:username} home folder: own folder', request(), { identity: [homeFolder] }, 'Allow'],
  ['${aws:username} home folder: another folder', request({ resource: `${bucket}/home/carol/x` }), { identity: [homeFolder] }, 'ImplicitDeny'],
  ['source IP deny: outside the ranges', request({ context: { 'aws:SourceIp': '198.51.100.7', 'aws:ViaAWSService': 'false' } }),
    { identity: [s3Read, sourceIpDeny] }, 'ExplicitDeny'],
  ['source IP deny: inside a range', request({ context: { 'aws:SourceIp': '203.0.113.9', 'aws:ViaAWSService': 'false' } }),
    { identity: [s3Read, sourceIpDeny] }, 'Allow'],
  ['same account: resource policy alone suffices', request({ principal: alice }),
    { resource: [resourcePolicy([{ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 's3:GetObject', Resource: `${bucket}/*` }])] }, 'Allow'],
  ['cross account: resource policy alone is not enough', request({ principal: bob }), { resource: [bucketForBob] }, 'ImplicitDeny'],
  ['cross account: identity policy alone is not enough', request({ principal: bob }), { identity: [s3Read] }, 'ImplicitDeny'],
  ['cross account: both allow', request({ principal: bob }), { identity: [s3Read], resource: [bucketForBob] }, 'Allow'],
  ['anonymous: public prefix allowed by the bucket policy', request({ principal: { arn: '*', account: '' }, resource: `${bucket}/public/a.png` }),
    { resource: [bucketPublic] }, 'Allow'],
  ['anonymous: elsewhere denied', request({ principal: { arn: '*', account: '' } }), { resource: [bucketPublic] }, 'ImplicitDeny'],
  ['permissions boundary limits an identity allow', request({ action: 's3:PutObject' }),
    { identity: [identity([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])], boundary: s3Read }, 'ImplicitDeny'],
  ['permissions boundary within', request(), { identity: [identity([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])], boundary: s3Read }, 'Allow'],
  ['NotPrincipal deny spares the named principal', request(),
    { identity: [s3Read], resource: [resourcePolicy([{ Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: 's3:*', Resource: '*' }])] }, 'Allow'],
  ['NotPrincipal deny hits everyone else', request({ principal: { arn: 'arn:aws:iam::111122223333:user/eve', account: '111122223333' } }),
    { identity: [s3Read], resource: [resourcePolicy([{ Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: 's3:*', Resource: '*' }])] }, 'ExplicitDeny'],
  ['an assumed-role session matches a resource policy naming its role',
    request({ principal: { arn: 'arn:aws:sts::111122223333:assumed-role/app/s1', account: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/app' } }),
    { resource: [resourcePolicy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: 's3:*', Resource: '*' }])] }, 'Allow'],
  ['unknown resource: an allow naming resources counts', request({ resource: undefined }), { identity: [homeFolder] }, 'Allow'],
  ['unknown resource: a deny on some resources does not', request({ resource: undefined, action: 's3:DeleteObject' }),
    { identity: [identity([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]), identity([{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: `${bucket}/x` }])] }, 'Allow'],
  ['unknown resource: a deny on * does', request({ resource: undefined, action: 's3:DeleteObject' }),
    { identity: [identity([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]), denyDelete] }, 'ExplicitDeny'],
  ['service principal', request({ principal: { arn: 'lambda.amazonaws.com', account: '', service: 'lambda.amazonaws.com' }, action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-1:111122223333:q' }),
    { resource: [resourcePolicy([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*' }])] }, 'Allow'],
]

describe('policy evaluation (AWS documented examples)', () => {
  for (const [name, req, policies, expected] of table) {
    it(name, () => assert.equal(evaluate(req, policies), expected))
  }
})

describe('condition operators', () => {
  const allowIf = (condition: object) => identity([{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: condition }])
  const decide = (condition: object, context: Record<string, string | string[]>) => evaluate(request({ context }), { identity: [allowIf(condition)] })
  const cases: [string, object, Record<string, string | string[]>, Decision][] = [
    ['StringEquals', { StringEquals: { 's3:prefix': ['home/', 'public/'] } }, { 's3:prefix': 'public/' }, 'Allow'],
    ['StringEquals is case-sensitive', { StringEquals: { 's3:prefix': 'Home/' } }, { 's3:prefix': 'home/' }, 'ImplicitDeny'],
    ['condition keys are case-insensitive', { StringEquals: { 'AWS:PrincipalTag/Team': 'blue' } }, { 'aws:principaltag/team': 'blue' }, 'Allow'],
    ['StringNotEquals with the key missing holds', { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } }, {}, 'Allow'],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'aws:RequestTag/env': 'PROD' } }, { 'aws:RequestTag/env': 'prod' }, 'Allow'],
    ['StringLike with * and ?', { StringLike: { 's3:prefix': 'home/?lice/*' } }, { 's3:prefix': 'home/alice/docs' }, 'Allow'],
    ['StringNotLike', { StringNotLike: { 's3:prefix': 'private/*' } }, { 's3:prefix': 'private/x' }, 'ImplicitDeny'],
    ['a missing key fails StringEquals', { StringEquals: { 'aws:PrincipalTag/team': 'blue' } }, {}, 'ImplicitDeny'],
    ['…IfExists holds when missing', { StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } }, {}, 'Allow'],
    ['…IfExists checks when present', { StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } }, { 'ec2:InstanceType': 'm5.large' }, 'ImplicitDeny'],
    ['NumericLessThanEquals', { NumericLessThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10' }, 'Allow'],
    ['NumericGreaterThan', { NumericGreaterThan: { 's3:max-keys': '10' } }, { 's3:max-keys': '9' }, 'ImplicitDeny'],
    ['Numeric with a non-number', { NumericEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' }, 'ImplicitDeny'],
    ['DateLessThan (ISO)', { DateLessThan: { 'aws:CurrentTime': '2020-04-01T00:00:00Z' } }, { 'aws:CurrentTime': '2020-03-31T23:59:59Z' }, 'Allow'],
    ['DateGreaterThan (epoch)', { DateGreaterThan: { 'aws:EpochTime': '1585699200' } }, { 'aws:EpochTime': '2020-03-01T00:00:00Z' }, 'ImplicitDeny'],
    ['Bool', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'true' }, 'Allow'],
    ['Bool false', { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }, { 'aws:MultiFactorAuthPresent': 'false' }, 'ImplicitDeny'],
    ['IpAddress IPv4', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.200' }, 'Allow'],
    ['IpAddress IPv6', { IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }, { 'aws:SourceIp': '2001:db8:1234:5678:a::1' }, 'Allow'],
    ['NotIpAddress', { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.1' }, 'ImplicitDeny'],
    ['ArnLike', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:*' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' }, 'Allow'],
    ['ArnEquals other account', { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' } },
      { 'aws:SourceArn': 'arn:aws:sns:us-east-1:999999999999:topic' }, 'ImplicitDeny'],
    ['ArnNotLike', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:*' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:999999999999:t' }, 'Allow'],
    ['Null true: key absent', { Null: { 'aws:TokenIssueTime': 'true' } }, {}, 'Allow'],
    ['Null false: key present', { Null: { 'aws:TokenIssueTime': 'false' } }, {}, 'ImplicitDeny'],
    ['ForAllValues: every tag key allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, { 'aws:TagKeys': ['env'] }, 'Allow'],
    ['ForAllValues: one tag key not allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, { 'aws:TagKeys': ['env', 'cost'] }, 'ImplicitDeny'],
    ['ForAllValues: no values holds', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } }, {}, 'Allow'],
    ['ForAnyValue: one matches', { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'cost*' } }, { 'aws:TagKeys': ['env', 'costcenter'] }, 'Allow'],
    ['ForAnyValue: no values fails', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, {}, 'ImplicitDeny'],
    ['operators AND, values OR', { StringEquals: { 's3:prefix': ['a/', 'b/'] }, Bool: { 'aws:SecureTransport': 'true' } },
      { 's3:prefix': 'b/', 'aws:SecureTransport': 'false' }, 'ImplicitDeny'],
    ['policy variable in a condition value', { StringEquals: { 's3:prefix': 'home/${aws:username}/' } }, { 's3:prefix': 'home/alice/' }, 'Allow'],
  ]
  for (const [name, condition, context, expected] of cases) {
    it(name, () => assert.equal(decide(condition, context), expected))
  }
})

describe('matching and documents', () => {
  it('actions match case-insensitively with wildcards', () => {
    assert.ok(actionMatches('s3:get*', 's3:GetObject'))
    assert.ok(actionMatches('sqs:?eceiveMessage', 'sqs:ReceiveMessage'))
    assert.ok(!actionMatches('s3:Get*', 'sqs:GetQueueUrl'))
  })
  it('wildcards with many stars answer at once on long values (no backtracking RegExp)', () => {
    const long = 'a'.repeat(10_000)
    assert.ok(!arnMatches(`arn:aws:s3:::${'*a'.repeat(12)}*b`, `arn:aws:s3:::${long}`))
    assert.ok(arnMatches(`arn:aws:s3:::${'*a'.repeat(12)}*b`, `arn:aws:s3:::${long}b`))
    assert.ok(!actionMatches(`s3:${'*a'.repeat(12)}*b`, `s3:${long}`))
  })
  it('ARNs match segment by segment', () => {
    assert.ok(arnMatches('arn:aws:sqs:*:111122223333:*', 'arn:aws:sqs:eu-west-1:111122223333:jobs'))
    assert.ok(!arnMatches('arn:aws:sqs:*:111122223333:*', 'arn:aws:sqs:eu-west-1:999999999999:jobs'))
    assert.ok(arnMatches('arn:aws:logs:*:*:log-group:/aws/lambda/*', 'arn:aws:logs:us-east-1:1:log-group:/aws/lambda/f:*'))
  })
  it('policy variables: values, defaults, escapes, missing', () => {
    assert.equal(substitute('home/${aws:username}/*', { 'aws:username': 'alice' }), 'home/alice/*')
    assert.equal(substitute("${aws:PrincipalTag/team, 'none'}", {}), 'none')
    assert.equal(substitute('literal-${*}', {}), 'literal-*')
    assert.equal(substitute('${aws:username}', {}), undefined)
  })
  it('${*} and ${?} are a literal * and ? in a Resource, StringLike and ArnLike, not wildcards (IAM User Guide: "Special characters")', () => {
    const allowLiteral = (statement: object) => identity([{ Effect: 'Allow', Action: 's3:GetObject', ...statement }])
    const star = allowLiteral({ Resource: `${bucket}/\${*}` })
    assert.equal(evaluate(request({ resource: `${bucket}/*` }), { identity: [star] }), 'Allow')
    assert.equal(evaluate(request({ resource: `${bucket}/notes.txt` }), { identity: [star] }), 'ImplicitDeny')
    const like = allowLiteral({ Resource: '*', Condition: { StringLike: { 's3:prefix': 'why${?}*' } } })
    assert.equal(evaluate(request({ context: { 's3:prefix': 'why?/a' } }), { identity: [like] }), 'Allow')
    assert.equal(evaluate(request({ context: { 's3:prefix': 'whyX/a' } }), { identity: [like] }), 'ImplicitDeny')
    const arnLike = allowLiteral({ Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sqs:*:111122223333:${*}' } } })
    assert.equal(evaluate(request({ context: { 'aws:SourceArn': 'arn:aws:sqs:us-east-1:111122223333:*' } }), { identity: [arnLike] }), 'Allow')
    assert.equal(evaluate(request({ context: { 'aws:SourceArn': 'arn:aws:sqs:us-east-1:111122223333:jobs' } }), { identity: [arnLike] }), 'ImplicitDeny')
    const equals = allowLiteral({ Resource: '*', Condition: { StringEquals: { 's3:prefix': 'a${*}' } } })
    assert.equal(evaluate(request({ context: { 's3:prefix': 'a*' } }), { identity: [equals] }), 'Allow')
  })
  it('CIDR blocks', () => {
    assert.ok(inCidr('10.1.2.3', '10.0.0.0/8'))
    assert.ok(!inCidr('11.1.2.3', '10.0.0.0/8'))
    assert.ok(inCidr('::1', '::1/128'))
    // An IPv4-mapped IPv6 address (a dual-stack socket's `::ffff:127.0.0.1`) is its IPv4 address, either side.
    assert.ok(inCidr('::ffff:127.0.0.1', '127.0.0.0/8'))
    assert.ok(inCidr('127.0.0.1', '::ffff:127.0.0.1/128'))
    assert.ok(inCidr('::FFFF:7f00:1', '127.0.0.1'))
    assert.ok(!inCidr('::ffff:10.0.0.1', '127.0.0.0/8'))
    // A prefix length is digits only: `/`, `/ 8`, `/8x` name no block.
    assert.ok(!inCidr('10.1.2.3', '10.0.0.0/'))
    assert.ok(!inCidr('10.1.2.3', '10.0.0.0/8x'))
    assert.ok(!inCidr('10.1.2.3', '10.0.0.0/-0'))
    assert.ok(!inCidr('1::2', '1::2::3'))
    assert.ok(isCidr('203.0.113.0/24') && isCidr('2001:DB8::/32') && isCidr('::ffff:10.0.0.1') && isCidr('10.0.0.1'))
    assert.ok(!isCidr('10.0.0.0/33') && !isCidr('10.0.0.256') && !isCidr('10.0.0.0/') && !isCidr('example.com'))
  })
  it('2008-10-17 documents read ${…} literally', () => {
    const old = parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: `${bucket}/\${aws:username}` }] }), 'identity')
    assert.equal(evaluate(request({ resource: `${bucket}/alice` }), { identity: [old] }), 'ImplicitDeny')
    assert.equal(evaluate(request({ resource: `${bucket}/\${aws:username}` }), { identity: [old] }), 'Allow')
  })
  it('documents are checked by kind', () => {
    assert.throws(() => parsePolicy('{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}]}', 'identity'), MalformedPolicy)
    assert.throws(() => parsePolicy('{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}', 'trust'), MalformedPolicy)
    assert.doesNotThrow(() => parsePolicy('{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}}', 'trust'))
  })

  it('anySid takes any string statement id (Lambda, API Gateway), IAM only alphanumeric unique ones', () => {
    const text = '{"Statement":[{"Sid":"apigateway-test-2","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Principal":"*"},' +
      '{"Sid":"apigateway-test-2","Effect":"Allow","Action":"lambda:InvokeFunction","Resource":"*","Principal":"*"}]}'
    assert.throws(() => parsePolicy(text, 'resource'), MalformedPolicy)
    assert.equal(parsePolicy(text, 'resource', { anySid: true }).Statement.length, 2)
    assert.throws(() => parsePolicy('{"Statement":[{"Sid":7,"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}]}', 'resource', { anySid: true }), MalformedPolicy)
  })
})
