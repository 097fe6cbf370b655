// CloudWatch test helpers: the v3 client (awsJson 1.0), the v2 client (query protocol) and times on the minute.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import AWSv2 from 'aws-sdk-v2-query'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials } from './nimbus.ts'

export function cloudWatchClient(nimbus: Nimbus, region = 'us-east-1'): CloudWatchClient {
  return new CloudWatchClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxAttempts: 1 })
}

/** aws-sdk v2's CloudWatch speaks the query protocol (form posts, XML answers). */
export function cloudWatchQueryClient(nimbus: Nimbus, region = 'us-east-1'): InstanceType<typeof AWSv2.CloudWatch> {
  return new AWSv2.CloudWatch({ endpoint: nimbus.endpoint, region, credentials: testCredentials, maxRetries: 0 })
}

/** The manual clock's time rounded down to the minute (alarm periods align on the epoch). */
export function minuteNow(nimbus: Nimbus): number {
  return Math.floor(nimbus.clock.now() / 60_000) * 60_000
}

/** Moves the manual clock to exactly `at` (≥ now) and lets follow-up work run. */
export async function advanceTo(nimbus: Nimbus, at: number): Promise<void> {
  const clock = nimbus.clock as { advance(ms: number): void; now(): number }
  clock.advance(Math.max(0, at - clock.now()))
  await new Promise((resolve) => setImmediate(resolve))
}
