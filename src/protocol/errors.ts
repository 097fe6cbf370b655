// Errors are data: services throw AwsError; each protocol renders its own envelope.

export type Fault = 'Sender' | 'Receiver'

export interface AwsErrorOptions {
  status?: number
  fault?: Fault
  /** Extra members some error shapes carry (e.g. Lambda's `Type`), rendered beside the message. */
  fields?: Record<string, unknown>
  /** Where AWS words the message differently on the query protocol (SQS: "…for this wsdl version."). */
  queryMessage?: string
  /** Response headers the error carries (S3: `x-amz-delete-marker` on a delete marker's 404/405); rest-xml sends them. */
  headers?: Record<string, string>
}

export class AwsError extends Error {
  /** The AWS error code as the JSON protocol names it (the model's shape name for modelled errors). */
  readonly code: string
  readonly status: number
  readonly fault: Fault
  readonly fields: Readonly<Record<string, unknown>>
  readonly queryMessage: string | undefined
  readonly headers: Readonly<Record<string, string>>

  constructor(code: string, message: string, options: AwsErrorOptions = {}) {
    super(message)
    this.name = code
    this.code = code
    this.status = options.status ?? 400
    this.fault = options.fault ?? (this.status >= 500 ? 'Receiver' : 'Sender')
    this.fields = options.fields ?? {}
    this.queryMessage = options.queryMessage
    this.headers = options.headers ?? {}
  }
}

export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError
}

// Errors the protocol layer and gateway raise, shared by every service.
export const protocolErrors = {
  internalFailure: () =>
    new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', { status: 500 }),
  serialization: (detail: string) => new AwsError('SerializationException', detail),
  unknownOperation: (operation: string) => new AwsError('UnknownOperationException', `Unknown operation ${operation}`),
  // REST protocols: no method + URI template matches. AWS's REST front ends answer 404 for an
  // unknown path (Lambda: UnknownOperationException); the code is the one SDKs already know.
  unknownRoute: (method: string, path: string) =>
    new AwsError('UnknownOperationException', `No operation matches ${method} ${path}`, { status: 404 }),
  // The path names a resource but no operation takes this method on it (S3's wording).
  methodNotAllowed: () =>
    new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { status: 405 }),
  invalidAction: (action: string) => new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`),
  missingAction: () => new AwsError('MissingAction', 'The request must contain the parameter Action.'),
  // Worded like the gateway's answer for a whole service Nimbus doesn't serve (gateway/unsupported-service.ts).
  notImplemented: (operation: string, service: string) =>
    new AwsError('NotImplemented', `Nimbus does not serve ${operation} in ${service} yet; see the Gaps in Nimbus's ${service} README.`, { status: 501 }),
  requestTooLarge: (limit: number) =>
    new AwsError('RequestEntityTooLarge', `Request body must be at most ${limit} bytes.`, { status: 413 }),
  // S3's words for a request whose body stopped arriving; only logged, never read (the client is gone).
  clientGone: () => new AwsError('RequestTimeout',
    'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.'),
  unknownService: () =>
    new AwsError('UnknownService', 'Nimbus could not tell which AWS service this request is for.', { status: 400 }),
}
