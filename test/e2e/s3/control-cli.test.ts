// S3 Control with the AWS CLI v1: botocore, like the SDK, puts the account id in front of the
// endpoint's host (`<account>.localhost:<port>`), which doesn't resolve; with Nimbus as the CLI's
// HTTP proxy the request reaches it unchanged (absolute-form target, that Host header).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, it } from 'node:test'
import { awsCliEnv } from '../../helpers/aws-cli.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { bucketName } from '../../helpers/s3.ts'

const run = promisify(execFile)
const nimbus = useNimbus()
const ACCOUNT = '000000000000'

async function s3control<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const endpoint = nimbus.current.endpoint
  const { stdout } = await run('aws', ['s3control', ...args, '--account-id', ACCOUNT, '--endpoint-url', endpoint.replace('127.0.0.1', 'localhost'),
    '--output', 'json'], { env: { ...awsCliEnv, HTTP_PROXY: endpoint, NO_PROXY: '' } })
  return (stdout.trim() === '' ? {} : JSON.parse(stdout)) as T
}

describe('aws s3control (CLI v1)', () => {
  it('puts, gets and deletes the account public access block; creates, gets, lists and deletes an access point', async () => {
    await s3control('put-public-access-block', '--public-access-block-configuration', 'BlockPublicAcls=true,RestrictPublicBuckets=true')
    const got = await s3control<{ PublicAccessBlockConfiguration: Record<string, boolean> }>('get-public-access-block')
    assert.deepEqual(got.PublicAccessBlockConfiguration,
      { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true })
    await s3control('delete-public-access-block')
    const missing = await s3control('get-public-access-block').then(() => '', (e: { stderr: string }) => e.stderr)
    assert.match(missing, /NoSuchPublicAccessBlockConfiguration/)

    const bucket = bucketName('cli-ap')
    await run('aws', ['s3api', 'create-bucket', '--bucket', bucket, '--endpoint-url', nimbus.current.endpoint], { env: awsCliEnv })
    const created = await s3control<{ AccessPointArn: string; Alias: string }>('create-access-point', '--name', 'cli-ap', '--bucket', bucket)
    assert.equal(created.AccessPointArn, `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/cli-ap`)
    const ap = await s3control<{ Bucket: string; Alias: string }>('get-access-point', '--name', 'cli-ap')
    assert.deepEqual([ap.Bucket, ap.Alias], [bucket, created.Alias])
    const listed = await s3control<{ AccessPointList: Array<{ Name: string }> }>('list-access-points', '--bucket', bucket)
    assert.deepEqual(listed.AccessPointList.map((a) => a.Name), ['cli-ap'])
    await s3control('delete-access-point', '--name', 'cli-ap')
    const gone = await s3control('get-access-point', '--name', 'cli-ap').then(() => '', (e: { stderr: string }) => e.stderr)
    assert.match(gone, /NoSuchAccessPoint/)
  })
})
