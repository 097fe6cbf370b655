// What a service is: a model, the protocols it speaks, how requests find it, and a typed operation table.
import type { AwsError } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import type { ProtocolName, ServiceModel } from '../protocol/model.ts'
import type { ConsoleCatalog, ConsoleView } from './console-view.ts'
import type { InvokeAction, InvokeCaller } from '../core/invoke-caller.ts'
import type { Caller, OperationContext } from './operation-context.ts'

export type { Caller, OperationContext } from './operation-context.ts'

/** A successful API call, as the gateway reports it (CloudTrail-style "AWS API Call" events). */
export interface ApiCall {
  signingName: string
  operation: string
  input: Record<string, unknown>
  output: unknown
  caller: Caller
  requestId: string
  userAgent: string | undefined
}

export type { InvokeAction, InvokeCaller } from '../core/invoke-caller.ts'

/**
 * Who signed a request to an invoke URL (API Gateway's AWS_IAM methods and routes), as the gateway
 * verifies its SigV4 signature against the credentials Nimbus knows. Asked only for requests that need
 * it (a few HMACs); `action` is the `execute-api` action `--enforce-iam` evaluates (default `Invoke`).
 */
export type InvokeSignatureCheck = (request: HttpRequest, action?: InvokeAction) => InvokeCaller

/** What `--enforce-iam` is asked before an operation runs (services/authorization.ts builds one). */
export interface AuthorizationRequest {
  caller: Caller
  /** The IAM action's service prefix (the signing name: sqs, s3, lambda, logs, events…). */
  service: string
  operation: string
  protocol: ProtocolName
}

/**
 * An AWS API call made in process, as a signed request through the gateway's own pipeline (identify →
 * parse → operation → serialize): API Gateway's AWS service integrations call Kinesis, SQS, S3… this
 * way and read the service's wire answer, as AWS's do. The composition root provides it.
 */
export type InProcessAwsCall = (request: HttpRequest) => Promise<HttpResponse>

/** The open WebSocket as a service sees it: the gateway frames what it sends. */
export interface SocketPeer {
  /** A text (string) or binary (Buffer) message, as one frame. */
  send(data: string | Buffer): void
  /** Sends a close frame and ends the connection. */
  close(code: number, reason?: string): void
}

/** What the service does with an accepted WebSocket's traffic. */
export interface SocketSession {
  message(data: Buffer, binary: boolean): void
  /** The connection ended (either side); `code` as the close frame said (undefined: an empty one; 1006: no close frame, the socket dropped). */
  closed(code: number | undefined, reason: string): void
}

/**
 * A service's answer to a WebSocket upgrade request: refuse it with an HTTP answer, or accept it — the
 * gateway answers 101 (with `headers`, e.g. Sec-WebSocket-Protocol) and hands over the peer.
 */
export type UpgradeAnswer =
  | { refuse: HttpResponse }
  | { accept: (peer: SocketPeer) => SocketSession; headers?: Record<string, string>; limits: { maxFrameBytes: number; maxMessageBytes: number } }

/** Undefined when allowed, else AWS's AccessDenied for the protocol. */
export type Authorizer = (request: AuthorizationRequest) => AwsError | undefined

export type Operation<I, O> = (input: I, ctx: OperationContext) => O | Promise<O>

/** An operation table keyed by the model's operation names; a missing entry answers "not implemented". */
export type OperationTable<Ops extends { [K in keyof Ops]: { input: unknown; output: unknown } }> = {
  [K in keyof Ops]?: Operation<Ops[K]['input'], Ops[K]['output']>
}

export interface ServiceErrors {
  /** A required member is missing; services word this differently (SQS: MissingParameter). */
  missingParameter(name: string): AwsError
}

/**
 * What the gateway needs to route a request to a service, known at start without loading the
 * service's code (S3 and EventBridge load on first use: services/lazy.ts).
 */
export interface ServiceDescriptor {
  readonly name: string
  readonly signingName: string
  readonly protocols: readonly ProtocolName[]
  /** From the model's metadata: JSON services' X-Amz-Target prefix, and the Version query requests carry. */
  readonly targetPrefix?: string
  readonly apiVersion: string
  /** As in ServiceDefinition: unsigned requests' path prefixes, S3's virtual hosts and catch-all. */
  readonly pathPrefixes?: readonly string[]
  readonly claimsHost?: (host: string) => boolean
  /** Its loaded definition's servesHost names hosts too (API Gateway's custom domain names). */
  readonly customHosts?: boolean
  readonly catchAll?: (request: HttpRequest) => boolean
  /** HTTP methods of its streaming operations (S3: PUT): requests with another method are buffered unasked. */
  readonly streamingMethods?: readonly string[]
  /** What Nimbus's web console shows of it (console-view.ts): known before the service loads. */
  readonly consoleCatalog?: ConsoleCatalog
}

/**
 * A service as the gateway and Nimbus's own endpoints hold it: the descriptor from the start, the
 * definition on first need. Health, reset and stop never load a service: one never used has no state.
 */
export interface ServiceHandle {
  readonly descriptor: ServiceDescriptor
  /** The full definition; loads the service the first time. */
  definition(): ServiceDefinition
  /** A line for /_nimbus/health; `{ status: 'available' }` while not loaded (LocalStack's word). */
  health(): Record<string, unknown>
  /** The definition if the service has loaded, without loading it (a browser preflight never loads a service). */
  loaded?(): ServiceDefinition | undefined
  reset(): void
  /** Nimbus is shutting down: end waits early (SQS long polls answer empty now). Never loads a service. */
  drain?(): void
  stop(): Promise<void>
}

export interface ServiceDefinition {
  readonly name: string
  readonly signingName: string
  readonly model: ServiceModel
  readonly protocols: readonly ProtocolName[]
  /** REST services: URL path prefixes that name the service when a request carries no signature. */
  readonly pathPrefixes?: readonly string[]
  /** Names the service from the Host header of an unsigned request (S3's `<bucket>.s3.…` virtual hosts). */
  readonly claimsHost?: (host: string) => boolean
  /**
   * Hosts the loaded service answers besides those claimsHost names, asked before claimsHost (API
   * Gateway's custom domain names, which users create): its descriptor's `customHosts` says to ask.
   */
  readonly servesHost?: (host: string) => boolean
  /** The one service that takes what nothing else claims, when this says the request could be its own (S3). */
  readonly catchAll?: (request: HttpRequest) => boolean
  /** Rewrites a request into the form its protocol routes, before parsing (S3: virtual-host style → path style). */
  readonly normalizeRequest?: (request: HttpRequest) => HttpRequest
  /** Operations whose payload reaches the handler as a stream, never buffered (S3 PutObject, UploadPart). */
  readonly streamingOperations?: readonly string[]
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table is typed where it is defined
  readonly operations: Readonly<Record<string, Operation<any, any> | undefined>>
  readonly errors: ServiceErrors
  /**
   * Requests AWS serves without credentials (S3 reads a bucket policy or ACL opens, SNS's
   * SubscribeURL/UnsubscribeURL links, API Gateway invoke URLs): the gateway answers every other
   * unsigned request with AWS's missing-authentication error. `operation` is the operation's name
   * where the request names it without its body being parsed (query Action, REST route).
   */
  readonly allowsAnonymous?: (operation: string | undefined, request: HttpRequest) => boolean
  /**
   * The IAM action `--enforce-iam` checks for an operation when it isn't named after it (the
   * @connections API's three operations are all `execute-api:ManageConnections`); absent: the operation's name.
   */
  readonly iamActions?: Readonly<Record<string, string>>
  /** AWS's answers to a request without credentials or with a non-SigV4 Authorization header, where the service words them its own way (S3). */
  readonly authErrors?: { missing(): AwsError; malformed(header: string): AwsError }
  /**
   * Requests the service answers itself, outside its model and before any authentication (API
   * Gateway's invoke URLs: the client's own API, not an AWS API call). Undefined: not one of those.
   */
  readonly serveDirect?: (request: HttpRequest, signal: AbortSignal, checkSignature?: InvokeSignatureCheck) => Promise<HttpResponse> | undefined
  /**
   * WebSocket upgrade requests the service answers (API Gateway's WebSocket APIs at the execute-api
   * hosts); undefined: not one of its. The gateway does the handshake and the framing.
   */
  readonly serveUpgrade?: (request: HttpRequest, checkSignature?: InvokeSignatureCheck) => Promise<UpgradeAnswer> | undefined
  /** Browser CORS by the service's own rules (S3: each bucket's CORS configuration) instead of the gateway's default (loopback and configured origins only). */
  readonly cors?: ServiceCors
  /**
   * A quicker parse of some requests than their protocol's (Kinesis PutRecords' 5 MiB JSON bodies),
   * giving exactly what the protocol's parseRequest would give; undefined lets the protocol parse.
   * `bodyUnused`: nothing in the input points into the request body, so the gateway frees the body's
   * memory as soon as the request is answered. `done`: called once the request is answered (or
   * failed), after which nothing may use the input's buffers (the service reuses them).
   */
  readonly parseRequest?: (request: HttpRequest, protocol: ProtocolName) =>
    { operation: string; input: Record<string, unknown>; bodyUnused?: boolean; done?: () => void } | undefined
  /**
   * A parser the gateway feeds a large body piece by piece as it arrives, for requests whose head
   * (method, path, headers) it claims (Kinesis PutRecords' 5 MiB JSON bodies): a call in flight then
   * holds what the parser keeps, not its whole body. Undefined: the body is read whole, as usual.
   */
  readonly bodyParser?: (head: HttpRequest, protocol: ProtocolName) => BodyParser | undefined
  /** Adds input the protocol can't see (SQS query: the queue URL is the request path). */
  readonly prepareInput?: (operation: string, input: Record<string, unknown>, request: HttpRequest, ctx: OperationContext) => void
  /**
   * Told of every answered request once its response is built, errors included (S3's request
   * metrics); `ms` is wall time since the gateway took the request. Without it nothing is measured.
   */
  readonly observe?: (operation: string | undefined, input: Record<string, unknown> | undefined, request: HttpRequest,
    response: HttpResponse, ms: number) => void
  /** Drops all state (POST /_nimbus/reset). */
  reset(): void
  /**
   * Nimbus is shutting down: waits end now (SQS long polls answer empty), so in-flight requests finish;
   * open WebSockets are told (1001 Going Away) while their sockets can still be written.
   */
  drain?(): void
  /** Stops timers and background work on shutdown (child processes included, hence the promise). */
  stop?(): void | Promise<void>
  /** A line for /_nimbus/health. */
  health?(): Record<string, unknown>
  /**
   * Nimbus's own endpoints for this service, under `/_nimbus/<name>/` (SNS's signing certificate
   * and recorded deliveries). `path` is what follows that prefix; undefined → 404.
   */
  internalRoutes?(request: HttpRequest, path: string): HttpResponse | undefined
  /** Its resource types and columns in Nimbus's web console (console-view.ts); the descriptor carries the same. */
  readonly consoleCatalog?: ConsoleCatalog
  /** Lists, details and acts on its resources for the web console, from its own state. */
  readonly console?: ConsoleView
}

/**
 * A service's own answer to browser CORS. Either function returns undefined to leave the request
 * to the gateway's default (loopback and configured origins only) (S3: a path naming no existing bucket).
 */
export interface ServiceCors {
  /** Answers an OPTIONS preflight (the request normalized as for routing). */
  preflight(request: HttpRequest): HttpResponse | undefined
  /** The CORS headers of an actual response: `{}` when the service's rules allow none. */
  headers(request: HttpRequest): Record<string, string> | undefined
  /**
   * True: this preflight is an ordinary request the service serves itself (API Gateway's invoke
   * URLs: the API's own OPTIONS method or CORS configuration answers it), not the gateway's default.
   */
  servesPreflight?(request: HttpRequest): boolean
}

export function defineService(definition: ServiceDefinition): ServiceDefinition {
  return definition
}

/** See ServiceDefinition.bodyParser. */
export interface BodyParser {
  /**
   * Settles once the parser may be fed (a service may take a few bodies at a time and make the rest
   * wait, unread, in the client's and the kernel's buffers); undefined: at once.
   */
  readonly ready?: Promise<void>
  /** The next piece; the gateway may free it once this returns (the parser copies what it keeps). */
  write(piece: Buffer): void
  /**
   * The body is whole: the request parsed exactly as the protocol's parseRequest would (`done` as in
   * parseRequest), or a body for the protocol to parse (one the parser does not take).
   */
  finish(): { operation: string; input: Record<string, unknown>; done?: () => void } | { body: Buffer }
  /** The request went away (its client left, or its body is too large): let go of what is held. */
  abort(): void
}
