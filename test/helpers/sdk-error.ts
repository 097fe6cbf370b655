// The error an SDK v3 call rejects with, normalised: name (the AWS code), the legacy query code
// where the service has one (`Code`), message and HTTP status.
export interface SdkError {
  name: string
  /** Only when the SDK reports one (query-compatible services). */
  code?: string
  message: string
  status: number | undefined
}

export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call
  } catch (error) {
    const e = error as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } }
    return { name: e.name, ...(e.Code === undefined ? {} : { code: e.Code }), message: e.message, status: e.$metadata?.httpStatusCode }
  }
  throw new Error('the call succeeded but an error was expected')
}
