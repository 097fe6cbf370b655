// Under `--enforce-iam`, PutBucketNotificationConfiguration with a Lambda destination needs the function's
// resource policy to let S3 invoke it for the bucket, as the S3 guide's walkthrough grants first
// (`aws lambda add-permission --principal s3.amazonaws.com --source-arn arn:aws:s3:::<bucket>
// --source-account <owner>`). Without it AWS answers 400 InvalidArgument "Unable to validate the following
// destination configurations" with ArgumentName1 `<arn>, null` and ArgumentValue1 "Not authorized to invoke
// function [<arn>]", and keeps the previous configuration.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { AddPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda'
import { settle, watchFunctionLog } from '../../helpers/function-log.ts'
import { createFunction, lambdaClient } from '../../helpers/lambda.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { s3Client } from '../../helpers/s3.ts'
import { account, createBucket } from './notification-fixtures.ts'

const nimbus = useNimbus({ enforceIam: true })
const s3 = () => s3Client(nimbus.current)

async function setUp() {
  const lambda = lambdaClient(nimbus.current)
  const Bucket = await createBucket(s3(), 'perm')
  const fn = await createFunction(lambda, `exports.handler = async (event) => { console.log('GOT ' + event.Records[0].s3.object.key); return 'ok' }`)
  const functionArn = `arn:aws:lambda:us-east-1:${account}:function:${fn}`
  const subscribe = (skip = false) => s3().send(new PutBucketNotificationConfigurationCommand({ Bucket,
    NotificationConfiguration: { LambdaFunctionConfigurations: [{ Id: 'to-fn', LambdaFunctionArn: functionArn, Events: ['s3:ObjectCreated:*'] }] },
    ...(skip && { SkipDestinationValidation: true }) }))
  const permit = (sid: string, extra: { Principal?: string; SourceArn?: string; SourceAccount?: string }) => lambda.send(new AddPermissionCommand({
    FunctionName: fn, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', ...extra }))
  const configured = async () => ((await s3().send(new GetBucketNotificationConfigurationCommand({ Bucket }))).LambdaFunctionConfigurations ?? [])
    .map((c) => c.LambdaFunctionArn)
  return { lambda, Bucket, fn, functionArn, subscribe, permit, configured }
}

/** The refusal as the SDK reports it, with the argument fields S3's error document carries. */
async function refusal(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call
  } catch (error) {
    const e = error as Record<string, unknown> & { name: string; message: string; $metadata?: { httpStatusCode?: number } }
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, ArgumentName1: e['ArgumentName1'], ArgumentValue1: e['ArgumentValue1'] }
  }
  throw new Error('the call succeeded but an error was expected')
}

const refused = (functionArn: string) => ({ name: 'InvalidArgument', message: 'Unable to validate the following destination configurations', status: 400,
  ArgumentName1: `${functionArn}, null`, ArgumentValue1: `Not authorized to invoke function [${functionArn}]` })

describe('S3 → Lambda notification destinations under enforceIam', () => {
  it('needs the function to let s3.amazonaws.com invoke it for this bucket and account, then delivers', async () => {
    const { lambda, Bucket, fn, functionArn, subscribe, permit, configured } = await setUp()
    assert.deepEqual(await refusal(subscribe()), refused(functionArn))
    assert.deepEqual(await configured(), [])
    // Another bucket, another account, another service: none is a permission for this bucket.
    await permit('other-bucket', { SourceArn: 'arn:aws:s3:::some-other-bucket', SourceAccount: account })
    await permit('other-account', { SourceArn: `arn:aws:s3:::${Bucket}`, SourceAccount: '111122223333' })
    await permit('other-service', { Principal: 'sns.amazonaws.com', SourceArn: `arn:aws:s3:::${Bucket}` })
    assert.deepEqual(await refusal(subscribe()), refused(functionArn))
    // The guide's command: the bucket's ARN and its owner's account.
    await permit('s3', { SourceArn: `arn:aws:s3:::${Bucket}`, SourceAccount: account })
    await subscribe()
    assert.deepEqual(await configured(), [functionArn])
    const log = watchFunctionLog(nimbus.current, fn)
    await s3().send(new PutObjectCommand({ Bucket, Key: 'photo.jpg', Body: 'pixels' }))
    await log.waitFor('GOT photo.jpg')
    log.stop()
    // A later PUT checks again; refused, it leaves the configuration it would have replaced.
    await lambda.send(new RemovePermissionCommand({ FunctionName: fn, StatementId: 's3' }))
    assert.deepEqual(await refusal(subscribe()), refused(functionArn))
    assert.deepEqual(await configured(), [functionArn])
    await settle()
  })

  it('accepts a wildcard SourceArn, a permission without conditions, and any function with validation skipped', async () => {
    const wildcard = await setUp()
    await wildcard.permit('all-buckets', { SourceArn: 'arn:aws:s3:::*' })
    await wildcard.subscribe()
    assert.deepEqual(await wildcard.configured(), [wildcard.functionArn])
    const bare = await setUp()
    await bare.permit('any', {})
    await bare.subscribe()
    assert.deepEqual(await bare.configured(), [bare.functionArn])
    const skipped = await setUp()
    await skipped.subscribe(true)
    assert.deepEqual(await skipped.configured(), [skipped.functionArn])
  })
})
