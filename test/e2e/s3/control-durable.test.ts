// S3 Control's state across a restart on one data dir: the account-level public access block and
// access points (with their policy and alias) are S3's rows, and still enforced after the restart.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { CreateBucketCommand, DeletePublicAccessBlockCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import {
  CreateAccessPointCommand, GetAccessPointCommand, GetAccessPointPolicyCommand, GetPublicAccessBlockCommand, PutAccessPointPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3-control'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { s3ControlClient } from '../../helpers/s3-control.ts'

const ACCOUNT = '111122223333'

describe('S3 Control with a data dir', () => {
  it('keeps the account public access block and access points across a restart', async () => {
    const durable = await durableNimbus('s3control')
    const s3 = () => new S3Client({ endpoint: durable.nimbus.endpoint, region: 'us-east-1', forcePathStyle: true,
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test' }, maxAttempts: 1 })
    const control = () => s3ControlClient(durable.nimbus, ACCOUNT)
    await s3().send(new CreateBucketCommand({ Bucket: 'durable-ap-bucket' }))
    await s3().send(new PutObjectCommand({ Bucket: 'durable-ap-bucket', Key: 'k', Body: 'v' }))
    await control().send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }))
    const { Alias } = await control().send(new CreateAccessPointCommand({ AccountId: ACCOUNT, Name: 'durable-ap', Bucket: 'durable-ap-bucket' }))
    const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 's3:GetObject',
      Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:accesspoint/durable-ap/object/*` }] })
    await control().send(new PutAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'durable-ap', Policy }))

    await durable.restart()
    const block = await control().send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT }))
    assert.equal(block.PublicAccessBlockConfiguration?.BlockPublicPolicy, true)
    const ap = await control().send(new GetAccessPointCommand({ AccountId: ACCOUNT, Name: 'durable-ap' }))
    assert.deepEqual([ap.Bucket, ap.Alias], ['durable-ap-bucket', Alias])
    assert.equal((await control().send(new GetAccessPointPolicyCommand({ AccountId: ACCOUNT, Name: 'durable-ap' }))).Policy, Policy)
    // Still enforced: the access point's Deny, and the account's BlockPublicPolicy on a bucket whose own block is lifted.
    assert.equal((await sdkError(s3().send(new GetObjectCommand({ Bucket: Alias!, Key: 'k' })))).status, 403)
    assert.equal((await s3().send(new GetObjectCommand({ Bucket: 'durable-ap-bucket', Key: 'k' }))).$metadata.httpStatusCode, 200)
    await s3().send(new DeletePublicAccessBlockCommand({ Bucket: 'durable-ap-bucket' }))
    const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{
      Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::durable-ap-bucket/*' }] })
    assert.equal((await sdkError(s3().send(new PutBucketPolicyCommand({ Bucket: 'durable-ap-bucket', Policy: publicPolicy })))).status, 403)
    await durable.stop()
  })
})
