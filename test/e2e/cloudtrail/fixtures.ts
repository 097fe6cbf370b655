// CloudTrail test fixtures: a client, and a bucket whose policy lets CloudTrail deliver (AWS's documented policy).
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail'
import { CreateBucketCommand, PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3'
import type { Nimbus } from '../../../src/index.ts'
import { testCredentials } from '../../helpers/nimbus.ts'
import { bucketName } from '../../helpers/s3.ts'

export const account = '000000000000'

export function ctClient(nimbus: Nimbus, region = 'us-east-1'): CloudTrailClient {
  return new CloudTrailClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** The bucket policy AWS's guide gives for a trail's bucket. */
export function trailBucketPolicy(bucket: string, prefix?: string): string {
  const path = prefix === undefined ? '' : `${prefix}/`
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl',
        Resource: `arn:aws:s3:::${bucket}` },
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${bucket}/${path}AWSLogs/${account}/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
    ],
  })
}

/** A new bucket CloudTrail may deliver to; returns its name. */
export async function trailBucket(s3: S3Client, prefix?: string): Promise<string> {
  const Bucket = bucketName('trail')
  await s3.send(new CreateBucketCommand({ Bucket }))
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: trailBucketPolicy(Bucket, prefix) }))
  return Bucket
}
