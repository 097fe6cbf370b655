// The ways an invocation ends, and the error payloads Lambda itself produces (as opposed to the
// ones a runtime posts): timeouts, crashes, oversized responses and init failures.

/** How an invocation ended, before its logs and timings are attached. */
export interface InvocationEnd {
  readonly outcome: 'success' | 'error'
  readonly payload: Buffer
  readonly errorType?: string
  /** Set when the environment failed rather than the handler; AWS adds `Status: …` to REPORT then. */
  readonly status?: 'error' | 'timeout'
}

/** Why an environment could not initialize: a runtime's own report (payload) or Lambda's (detail). */
export interface InitFailure {
  readonly errorType: string
  readonly payload?: Buffer
  /** Follows `RequestId: <id> Error: ` when Lambda writes the message itself. */
  readonly detail?: string
  readonly status?: 'error' | 'timeout'
}

function lambdaError(errorType: string, errorMessage: string, status?: 'error' | 'timeout'): InvocationEnd {
  return { outcome: 'error', errorType, payload: Buffer.from(JSON.stringify({ errorType, errorMessage })), status }
}

/** `Task timed out after 3.00 seconds`: always two decimals, as on AWS. */
export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`
}

export function timeoutError(requestId: string, timeoutSeconds: number): InvocationEnd {
  return lambdaError('Sandbox.Timedout', `RequestId: ${requestId} Error: ${timeoutMessage(timeoutSeconds)}`, 'timeout')
}

/**
 * A runtime process that ended during an invocation. A V8 heap blow-up is reported as AWS reports
 * running out of memory (Runtime.OutOfMemory); any other exit as Runtime.ExitError.
 */
export function exitError(requestId: string, description: string, outOfMemory: boolean): InvocationEnd {
  return lambdaError(outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', `RequestId: ${requestId} Error: ${description}`, 'error')
}

export function responseTooLarge(): InvocationEnd {
  return lambdaError('Function.ResponseSizeTooLarge',
    'Response payload size exceeded maximum allowed payload size (6291556 bytes).')
}

export function initFailureError(failure: InitFailure, requestId: string): InvocationEnd {
  if (failure.payload !== undefined) {
    return { outcome: 'error', errorType: failure.errorType, payload: failure.payload, status: failure.status ?? 'error' }
  }
  return lambdaError(failure.errorType, `RequestId: ${requestId} Error: ${failure.detail ?? 'Runtime failed to start'}`, failure.status ?? 'error')
}
