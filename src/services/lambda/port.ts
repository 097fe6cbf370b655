// The narrow port other services use to reach Lambda: asynchronous invocation (SNS, S3 and
// EventBridge invoke functions this way on AWS), with Lambda's own retries, DLQ and destinations.
// Types only: a service holding it imports nothing of Lambda's insides.

export interface LambdaPort {
  /** Whether a function (optionally qualified by version or alias) exists. */
  exists(functionArn: string): boolean
  /**
   * Queues an asynchronous invocation, as `InvocationType: Event` does; returns the request id.
   * Throws ResourceNotFoundException when the function does not exist.
   */
  invokeAsync(functionArn: string, payload: string): string
  /**
   * Runs the function and waits for its answer, as `InvocationType: RequestResponse` does (Firehose's
   * data transformation). `functionError` is set (`Unhandled`) when the function failed; its payload
   * is then the error JSON. Throws ResourceNotFoundException, or TooManyRequestsException when throttled.
   */
  invoke(functionArn: string, payload: string): Promise<{ payload: string; functionError: string | undefined }>
}
