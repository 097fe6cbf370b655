// Services Nimbus does not serve, asked for by real clients (AWS CLI v1, boto3, the JS SDK v2) and a raw
// Smithy RPC v2 CBOR call read by the JS SDK v3's own CBOR decoder: each
// gets 501 NotImplemented in that service's own protocol, and the client shows the message naming
// the service and what Nimbus serves instead of failing to parse. A missing CLI fails, never skips.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { request } from 'node:http'
import { createRequire } from 'node:module'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()

/** A POST whose answer is kept as bytes (CBOR). */
function rawRequestBytes(endpoint: string, path: string, headers: Record<string, string>):
  Promise<{ status: number; headers: Record<string, unknown>; body: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, endpoint), { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: new Uint8Array(Buffer.concat(chunks)) }))
    })
    req.on('error', reject)
    req.end(Buffer.from([0xa0])) // an empty CBOR map: an operation with no input
  })
}
const run = promisify(execFile)
const served = 'it serves sqs, logs, lambda, sns, events, s3, iam, sts, monitoring, dynamodb, firehose, kinesis, apigateway, execute-api, ec2, cloudtrail, autoscaling'
const env = {
  ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1',
}

/** The CLI's stderr for a call that must fail. */
async function awsFails(...args: string[]): Promise<string> {
  try {
    await run('aws', [...args, '--endpoint-url', nimbus.current.endpoint], { env })
  } catch (error) {
    return (error as { stderr: string }).stderr
  }
  throw new Error(`aws ${args.join(' ')} succeeded`)
}

describe('services Nimbus does not serve', () => {
  it('AWS CLI v1: query, awsJson, rest-json and rest-xml services all show the message; an EC2 operation Nimbus lacks its own', async () => {
    const cases: [string[], string, RegExp][] = [
      [['stepfunctions', 'list-state-machines'], 'ListStateMachines', /AWS Step Functions \(states\)/],
      [['rds', 'describe-db-instances'], 'DescribeDBInstances', /Amazon Relational Database Service \(rds\)/],
      [['glue', 'get-databases'], 'GetDatabases', /AWS Glue \(glue\)/],
      [['appsync', 'list-graphql-apis'], 'ListGraphqlApis', /AWS AppSync \(appsync\)/],
      [['route53', 'list-hosted-zones'], 'ListHostedZones', /Amazon Route 53 \(route53\)/],
    ]
    const answers = await Promise.all(cases.map(([args]) => awsFails(...args)))
    cases.forEach(([, operation, service], i) => {
      const stderr = answers[i]!
      assert.match(stderr, new RegExp(`An error occurred \\(NotImplemented\\) when calling the ${operation} operation: Nimbus does not serve `))
      assert.match(stderr, service)
      assert.ok(stderr.includes(served), stderr)
    })
    // EC2 is served; an operation of it Nimbus lacks answers in EC2's own envelope.
    assert.match(await awsFails('ec2', 'describe-vpc-peering-connections'),
      /An error occurred \(NotImplemented\) when calling the DescribeVpcPeeringConnections operation: Nimbus does not serve DescribeVpcPeeringConnections in ec2 yet/)
  })

  it('boto3: the error code, 501 and the message', async () => {
    const script = `
import boto3, botocore, sys
for svc, op in [('stepfunctions', 'list_state_machines'), ('elasticache', 'describe_cache_clusters'), ('appsync', 'list_graphql_apis')]:
    c = boto3.client(svc, endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
    try:
        getattr(c, op)()
    except botocore.exceptions.ClientError as e:
        print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message'])
`
    const { stdout } = await run('python3', ['-c', script, nimbus.current.endpoint], { env })
    const lines = stdout.trim().split('\n')
    assert.equal(lines.length, 3)
    assert.match(lines[0]!, /^NotImplemented 501 Nimbus does not serve AWS Step Functions \(states\) yet; it serves /)
    assert.match(lines[1]!, /^NotImplemented 501 Nimbus does not serve Amazon ElastiCache \(elasticache\) yet/)
    assert.match(lines[2]!, /^NotImplemented 501 Nimbus does not serve AWS AppSync \(appsync\) yet/)
  })

  it('the JS SDK (v2, which models every service): code, status and message', async () => {
    const AWS = createRequire(import.meta.url)('aws-sdk-v2-query') as Record<string, new (o: object) => Record<string, () => { promise(): Promise<unknown> }>>
    const options = { endpoint: nimbus.current.endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxRetries: 0 }
    for (const [client, operation, name] of [['StepFunctions', 'listStateMachines', 'AWS Step Functions'], ['CloudFormation', 'listStacks', 'AWS CloudFormation']] as const) {
      const failure = await new AWS[client]!(options)[operation]!().promise().then(() => undefined, (e: unknown) => e as { code: string; statusCode: number; message: string })
      assert.deepEqual([failure?.code, failure?.statusCode], ['NotImplemented', 501])
      assert.ok(failure?.message.startsWith(`Nimbus does not serve ${name} `), failure?.message)
    }
  })

  it('recognised by host name when unsigned, and never claimed by S3 when signed for another service', async () => {
    const byHost = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/v1/apis', headers: { host: 'appsync.eu-west-1.amazonaws.com' } })
    assert.equal(byHost.status, 501)
    assert.equal(byHost.headers['x-amzn-errortype'], 'NotImplemented')
    assert.match(JSON.parse(byHost.body).message, /AWS AppSync \(appsync\)/)
    // Signed for CloudFront (rest-xml): S3's catch-all must not take it for a bucket and answer NoSuchBucket.
    const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cloudfront/aws4_request, SignedHeaders=host, Signature=0' }
    const cloudfront = await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/2020-05-31/distribution', headers: signed })
    assert.equal(cloudfront.status, 501)
    assert.match(cloudfront.body, /<Code>NotImplemented<\/Code><Message>Nimbus does not serve Amazon CloudFront \(cloudfront\)/)
    // A made-up service is still nobody's.
    const nobody = await rawRequest(nimbus.current.endpoint, { headers: { 'x-amz-target': 'Nobody.Fly', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' })
    assert.equal(JSON.parse(nobody.body).__type, 'UnknownService')
  })

  // CloudWatch serves Smithy RPC v2 CBOR now (test/e2e/cloudwatch/cbor.test.ts); GameLift's model lists it too.
  it('Smithy RPC v2 CBOR (GameLift in new SDKs): a CBOR error the SDK\'s own decoder reads', async () => {
    const { cbor, loadSmithyRpcV2CborErrorCode } = await import('@smithy/core/cbor')
    const answer = await rawRequestBytes(nimbus.current.endpoint, '/service/GameLift/operation/ListFleets', {
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/gamelift/aws4_request, SignedHeaders=host, Signature=0',
      'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', accept: 'application/cbor',
    })
    assert.equal(answer.status, 501)
    assert.equal(answer.headers['smithy-protocol'], 'rpc-v2-cbor')
    const body = cbor.deserialize(answer.body) as { __type: string; message: string }
    assert.equal(loadSmithyRpcV2CborErrorCode({ headers: {} } as never, body), 'NotImplemented')
    assert.match(body.message, /^Nimbus does not serve Amazon GameLift \(gamelift\) yet; it serves /)
  })

  it('an operation of a served service Nimbus lacks says so the same way, through the CLI', async () => {
    const stderr = await awsFails('logs', 'describe-queries')
    assert.match(stderr, /\(NotImplemented\) when calling the DescribeQueries operation: Nimbus does not serve DescribeQueries in logs yet/)
  })
})
