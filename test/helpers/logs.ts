// A CloudWatch Logs SDK client for a test Nimbus, and small setup steps the logs suites share.
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import type { Nimbus } from '../../src/index.ts'
import { testCredentials, uniqueName } from './nimbus.ts'

export function logsClient(nimbus: Nimbus, region = 'us-east-1'): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: nimbus.endpoint, region, credentials: testCredentials })
}

/** Creates a group and one stream with unique names. */
export async function newStream(logs: CloudWatchLogsClient, prefix = '/test/logs'): Promise<{ group: string; stream: string }> {
  const group = uniqueName(prefix)
  const stream = uniqueName('stream')
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }))
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }))
  return { group, stream }
}

/** Puts messages one millisecond apart, ending `endAgoMs` before the clock's now. */
export async function putMessages(nimbus: Nimbus, logs: CloudWatchLogsClient, group: string, stream: string,
  messages: readonly string[], endAgoMs = 0): Promise<number[]> {
  const end = nimbus.clock.now() - endAgoMs
  const timestamps = messages.map((_, i) => end - (messages.length - 1 - i))
  await logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: stream,
    logEvents: messages.map((message, i) => ({ timestamp: timestamps[i]!, message })),
  }))
  return timestamps
}

/** The error an SDK call rejects with (see sdk-error.ts). */
export { sdkError as failure } from './sdk-error.ts'
