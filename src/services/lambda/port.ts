// The narrow port other services use to reach Lambda: asynchronous invocation (SNS, S3 and
// EventBridge invoke functions this way on AWS), with Lambda's own retries, DLQ and destinations.
// Types only: a service holding it imports nothing of Lambda's insides.
import type { MetricSource } from '../cloudwatch/port.ts'

export interface LambdaPort {
  /** Whether a function (optionally qualified by version or alias) exists. */
  exists(functionArn: string): boolean
  /**
   * Queues an asynchronous invocation, as `InvocationType: Event` does; returns the request id.
   * Throws ResourceNotFoundException when the function does not exist.
   */
  invokeAsync(functionArn: string, payload: string): string
  /**
   * Runs the function and waits for its answer, as `InvocationType: RequestResponse` does (API
   * Gateway's Lambda integrations, Firehose's data transformation): its response, its error payload
   * (`outcome: 'error'`) or a throttle. Throws ResourceNotFoundException when the function does not exist.
   */
  invoke(functionArn: string, payload: string): Promise<LambdaSyncResult>
  /**
   * The function's resource policy as GetPolicy answers it (AddPermission's statements; undefined when it
   * has none or doesn't exist): API Gateway checks it may invoke the function under `--enforce-iam`. The same string
   * object is returned until the policy changes (serialised once per revision), so a caller may cache by it.
   */
  policy(functionArn: string): string | undefined
  /** The AWS/Lambda metrics functions publish, from the in-memory log of their invocations. */
  metrics: MetricSource
}

/** What a synchronous invocation returned: the function's response, its error payload, or a throttle. */
export interface LambdaSyncResult {
  outcome: 'success' | 'error' | 'throttled'
  payload: Buffer
}
