// S3 clients for the end-to-end tests: path style by default, virtual-host style on request.
import { S3Client } from '@aws-sdk/client-s3'
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
