// The AWS CLI v1 and boto3 (botocore's query clients) against STS and IAM: `aws sts
// get-caller-identity`, and a boto3 flow creating a role, assuming it and acting as it. Missing
// tools fail, never skip.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const run = promisify(execFile)
const env = () => ({
  ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_PAGER: '', ENDPOINT: nimbus.current.endpoint,
})

const script = `
import json, os, boto3, botocore
kw = dict(endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
iam = boto3.client('iam', **kw)
sts = boto3.client('sts', **kw)
out = {}
trust = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]})
role = iam.create_role(RoleName='boto-role', AssumeRolePolicyDocument=trust, Tags=[{'Key': 'k', 'Value': 'v'}])['Role']
out['arn'] = role['Arn']
# botocore decodes the URL-encoded document into a dict.
out['trust'] = iam.get_role(RoleName='boto-role')['Role']['AssumeRolePolicyDocument']
iam.attach_role_policy(RoleName='boto-role', PolicyArn='arn:aws:iam::aws:policy/AmazonSQSFullAccess')
out['attached'] = [p['PolicyName'] for p in iam.list_attached_role_policies(RoleName='boto-role')['AttachedPolicies']]
creds = sts.assume_role(RoleArn=role['Arn'], RoleSessionName='boto')['Credentials']
as_role = boto3.client('sts', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1', aws_access_key_id=creds['AccessKeyId'],
                       aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'])
out['who'] = as_role.get_caller_identity()['Arn']
paginator = iam.get_paginator('list_policies')
out['awsPolicies'] = sum(len(page['Policies']) for page in paginator.paginate(Scope='AWS', PaginationConfig={'PageSize': 5}))
try:
    iam.get_role(RoleName='missing')
except botocore.exceptions.ClientError as e:
    out['error'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`

describe('AWS CLI and boto3 against STS and IAM', () => {
  it('aws sts get-caller-identity answers for the account root', async () => {
    const { stdout } = await run('aws', ['sts', 'get-caller-identity', '--endpoint-url', nimbus.current.endpoint, '--output', 'json'], { env: env() })
    assert.deepEqual(JSON.parse(stdout), { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' })
  })

  it('boto3 creates a role, attaches an AWS managed policy, assumes the role and acts as it', async () => {
    const { stdout } = await run('python3', ['-c', script], { env: env() })
    const out = JSON.parse(stdout) as Record<string, unknown>
    assert.equal(out.arn, 'arn:aws:iam::000000000000:role/boto-role')
    assert.deepEqual(out.trust, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] })
    assert.deepEqual(out.attached, ['AmazonSQSFullAccess'])
    assert.equal(out.who, 'arn:aws:sts::000000000000:assumed-role/boto-role/boto')
    assert.ok(Number(out.awsPolicies) >= 14)
    assert.deepEqual(out.error, ['NoSuchEntity', 404])
  })
})
