// S3 clients for the end-to-end tests: path style by default, virtual-host style on request.
import { DeletePublicAccessBlockCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials, uniqueName } from './nimbus.ts'

export function s3Client(nimbus: Nimbus, options: { region?: string; forcePathStyle?: boolean; endpoint?: string } = {}): S3Client {
  return new S3Client({
    endpoint: options.endpoint ?? nimbus.endpoint, region: options.region ?? 'us-east-1', credentials: testCredentials,
    forcePathStyle: options.forcePathStyle ?? true,
  })
}

/** A valid bucket name unique within this process. */
export function bucketName(prefix = 'b'): string {
  return uniqueName(prefix).toLowerCase()
}

export async function text(body: { transformToString(): Promise<string> } | undefined): Promise<string> {
  if (body === undefined) throw new Error('no body')
  return body.transformToString()
}

/**
 * Opens a bucket's objects to anonymous reads as one does on AWS: lift the public access block, then
 * a policy allowing s3:GetObject (and s3:ListBucket when `list`) to everyone.
 */
export async function makePublic(s3: S3Client, bucket: string, list = false): Promise<void> {
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }))
  const Statement = [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }]
  if (list) Statement.push({ Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}` })
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement }) }))
}
