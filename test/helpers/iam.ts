// IAM and STS clients (SDK v3) pointed at a test Nimbus, and a trust policy roles are made with.
import { IAMClient } from '@aws-sdk/client-iam'
import { STSClient } from '@aws-sdk/client-sts'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials } from './nimbus.ts'

export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** One attempt: SDK v3 retries LimitExceededException as throttling, which only slows tests of quotas. */
export function iamClient(nimbus: Nimbus, credentials: Credentials = testCredentials): IAMClient {
  return new IAMClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 })
}

export function stsClient(nimbus: Nimbus, credentials: Credentials = testCredentials): STSClient {
  return new STSClient({ endpoint: nimbus.endpoint, region: 'us-east-1', credentials })
}

/** A trust policy letting the account's principals assume the role. */
export const trustPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }],
})
