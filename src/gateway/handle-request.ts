// One straight line: identify service → caller → parse → invoke → serialize.
import type { ApiCallLog } from '../console/api-log.ts'
import { detailOf, refOf, resourceOf } from '../console/call-facts.ts'
import type { AccessKeyLookup } from '../core/access-keys.ts'
import type { Clock } from '../core/clock.ts'
import { newRequestId } from '../core/ids.ts'
import { AwsError, isAwsError, protocolErrors } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { protocols } from '../protocol/protocols.ts'
import { firstMissingMember } from '../protocol/validate.ts'
import type { ProtocolName } from '../protocol/model.ts'
import type { ParsedRequest, ResponseContext } from '../protocol/wire-protocol.ts'
import type { ApiCall, Authorizer, BodyParser, InvokeSignatureCheck, OperationContext, ServiceDefinition } from '../services/service.ts'
import { anonymousOperation, credentialsOf, expiredToken, incompleteSignature, missingAuthentication } from './authentication.ts'
import { type CredentialScope, credentialScope, resolveCaller } from './caller.ts'
import { withServiceCors, type CorsOrigins } from './cors.ts'
import { gatewayErrorResponse } from './gateway-errors.ts'
import { identify, identifyService, type ServiceIndex, type Target } from './identify-service.ts'
import { unsupportedService } from './aws-services.ts'
import { unsupportedServiceResponse } from './unsupported-service.ts'
import { verifySignature } from './sigv4/verify.ts'
import { checkInvokeSignature } from './sigv4/invoke-signature.ts'

export interface GatewayDeps {
  index: ServiceIndex
  clock: Clock
  defaultRegion: string
  /** Which account a key Nimbus issued (IAM users', STS's temporary ones) acts in. */
  accessKeys?: AccessKeyLookup
  /** `--enforce-iam`: asked before each operation runs; absent (the default), nothing is denied by policy. */
  authorize?: Authorizer
  /** `--verify-signatures`: every request's SigV4 signature is checked (sigv4/verify.ts); absent (the default), any passes. */
  verifySignatures?: boolean
  log: (line: string) => void
  /** Told of every successful call (CloudTrail-style "AWS API Call" events); must be cheap and never throw. */
  onApiCall?: (call: ApiCall) => void
  /**
   * With a data dir: undefined when nothing waits to be written, else settles once the writes made
   * so far have committed. A success is answered only after that (a change acknowledged is durable).
   */
  flushed?: () => Promise<void> | undefined
  /** The API-call trace (console/api-log.ts): each answered call recorded as references and numbers. */
  calls?: ApiCallLog
  /** `--log-requests`: one line per API call (service, operation, status, duration). */
  logRequest?: (line: string) => void
  /** The browser origins Nimbus trusts (cors.ts): a query or form signature from any other page counts as none. */
  origins?: CorsOrigins
}


/**
 * The service and request for an operation whose body should stream (S3 PutObject), decided from
 * method, path, query and headers before the body is read. Undefined means: buffer the body.
 */
export function streamingTarget(head: HttpRequest, deps: GatewayDeps): { target: Target; request: HttpRequest } | undefined {
  const target = identifyService(head, credentialScope(head), deps.index)
  const names = target?.service.streamingOperations
  if (target === undefined || names === undefined) return undefined
  const request = target.service.normalizeRequest?.(head) ?? head
  const operation = protocols[target.protocol]?.operationOf?.(request, target.service.model)
  return operation !== undefined && names.includes(operation.name) ? { target, request } : undefined
}

/**
 * A parser for a large body, fed as it arrives, where the service has one for this request (Kinesis
 * PutRecords); undefined means: buffer the body. Not with --verify-signatures (the check hashes the
 * whole body).
 */
export function bodyParserFor(head: HttpRequest, deps: GatewayDeps): BodyParser | undefined {
  if (deps.verifySignatures === true) return undefined
  const target = identifyService(head, credentialScope(head), deps.index)
  if (target?.service.bodyParser === undefined) return undefined
  return target.service.bodyParser(target.service.normalizeRequest?.(head) ?? head, target.protocol)
}

/** What a body parser made of the body: the parsed request, or false when it left the body to the protocol. */
export type PreParsed = { operation: string; input: Record<string, unknown>; done?: () => void } | false

/**
 * The service a browser preflight is for, if it may answer it. A service not loaded yet is left alone
 * (a preflight alone never loads one) unless the Host is one it claims: an invoke URL
 * (`{id}.execute-api.localhost`, whose HTTP APIs live in apigatewayv2, possibly loaded without API
 * Gateway) or a bucket's virtual host names a resource, as the request that follows will.
 */
function preflightService(request: HttpRequest, deps: GatewayDeps): ServiceDefinition | undefined {
  const found = identify(request, credentialScope(request), deps.index)
  if (found === undefined) return undefined
  const loaded = found.service.loaded?.()
  if (loaded !== undefined) return loaded
  const host = request.headers['host']
  return host !== undefined && found.service.descriptor.claimsHost?.(host) === true ? found.service.definition() : undefined
}

/** A browser preflight the service answers by its own rules (S3: the bucket's CORS configuration). */
export function servicePreflight(request: HttpRequest, deps: GatewayDeps): HttpResponse | undefined {
  const service = preflightService(request, deps)
  const cors = service?.cors
  if (service === undefined || cors === undefined) return undefined
  const preflight = cors.preflight(service.normalizeRequest?.(request) ?? request)
  return preflight === undefined ? undefined : withServiceCors(preflight, {})
}

/** A preflight a service serves as an ordinary request (API Gateway's invoke URLs). */
export function serviceServesPreflight(request: HttpRequest, deps: GatewayDeps): boolean {
  const service = preflightService(request, deps)
  return service?.cors?.servesPreflight?.(service.normalizeRequest?.(request) ?? request) === true
}

/**
 * `identified` skips identification when the gateway already did it (a streaming request); `asSent`
 * is then the request as it arrived (before S3's virtual-host rewrite), which its signature covers.
 */
export async function handleRequest(original: HttpRequest, deps: GatewayDeps, signal: AbortSignal, identified?: Target,
  asSent?: HttpRequest, preParsed?: PreParsed): Promise<HttpResponse> {
  const scope = credentialScope(original)
  const target = identified ?? identifyService(original, scope, deps.index)
  // A body parser's buffers (and its turn) go back however the request ends.
  let done: (() => void) | undefined = preParsed === false ? undefined : preParsed?.done
  if (target === undefined) {
    done?.()
    return unclaimed(original, scope, deps.index, newRequestId())
  }
  let request = identified === undefined ? (target.service.normalizeRequest?.(original) ?? original) : original
  const { service } = target
  // An invoke URL (API Gateway): the service's own HTTP answer (and request id), no AWS protocol or signature involved.
  const direct = done === undefined ? service.serveDirect?.(request, signal, invokeCheck(deps)) : undefined
  // Its own CORS rules (an HTTP API's CorsConfiguration) replace the gateway's default headers.
  if (direct !== undefined) return service.cors === undefined ? direct : direct.then((r) => withServiceCors(r, service.cors?.headers(request)))
  const requestId = newRequestId()
  const protocol = protocols[target.protocol]
  if (protocol === undefined) {
    done?.()
    return gatewayErrorResponse(protocolErrors.unknownService(), original, requestId)
  }
  const caller = resolveCaller(scope, deps.defaultRegion, deps.accessKeys)
  const responseContext: ResponseContext = { requestId }
  const noted = deps.calls?.enabled === true || deps.logRequest !== undefined
  const at = noted ? deps.clock.now() : 0
  const started = noted || service.observe !== undefined ? performance.now() : 0
  let input: Record<string, unknown> | undefined
  let bodyUnused = false
  try {
    const refused = unauthenticated(request, target, responseContext, deps.origins)
    if (refused !== undefined) throw refused
    if (deps.verifySignatures === true) request = checkSignature(asSent ?? original, request, target, deps, responseContext)
    // Only keys Nimbus issued (20 characters, listed in the directory) can expire.
    const expiresAt = caller.accessKeyId.length === 20 ? deps.accessKeys?.principal(caller.accessKeyId)?.expiresAt : undefined
    if (expiresAt !== undefined && deps.clock.now() >= expiresAt) throw expiredToken(target.protocol)
    const fast = preParsed === false ? undefined : preParsed !== undefined ? resolved(service, preParsed) : fastParse(service, request, target.protocol)
    bodyUnused = fast?.bodyUnused === true
    done = fast?.done
    const parsed = fast ?? protocol.parseRequest(request, service.model)
    const { operation } = parsed
    input = parsed.input
    responseContext.operation = operation
    const handler = service.operations[operation.name]
    if (handler === undefined) throw protocolErrors.notImplemented(operation.name, service.name)
    const denied = deps.authorize?.({ caller, service: service.signingName, operation: service.iamActions?.[operation.name] ?? operation.name, protocol: target.protocol })
    if (denied !== undefined) throw denied
    const ctx: OperationContext = {
      caller, requestId, signal, clock: deps.clock, protocol: target.protocol, host: request.headers['host'] ?? 'localhost',
    }
    service.prepareInput?.(operation.name, input, request, ctx)
    const missing = operation.input === undefined ? undefined : firstMissingMember(service.model, operation.input, input)
    if (missing !== undefined) throw service.errors.missingParameter(missing)
    const answer = (await handler(input, ctx)) ?? {}
    if (deps.onApiCall !== undefined) reportApiCall(deps, { signingName: service.signingName, operation: operation.name,
      input, output: answer, caller, requestId, userAgent: request.headers['user-agent'] })
    const flushed = deps.flushed?.()
    if (flushed !== undefined) await flushed.catch((error: unknown) => { throw notSaved(error, requestId, deps.log) })
    const response = withServiceCors(protocol.serializeOutput(service.model, operation, answer, responseContext), service.cors?.headers(request))
    if (noted) note(deps, service.name, responseContext, response.status, at, started, requestId, input, answer, caller)
    service.observe?.(operation.name, input, request, response, performance.now() - started)
    return response
  } catch (error) {
    const response = protocol.serializeError(service.model, toAwsError(error, requestId, deps.log, signal), responseContext)
    if (noted) note(deps, service.name, responseContext, response.status, at, started, requestId, input, undefined, caller)
    service.observe?.(responseContext.operation?.name, input, request, response, performance.now() - started)
    return withServiceCors(response, service.cors?.headers(request))
  } finally {
    if (bodyUnused) releaseBody(request.body)
    done?.()
  }
}

/** The invoke URLs' SigV4 check with these deps: one function per gateway, not one per request. */
const invokeChecks = new WeakMap<GatewayDeps, InvokeSignatureCheck>()

export function invokeCheck(deps: GatewayDeps): InvokeSignatureCheck {
  let check = invokeChecks.get(deps)
  if (check === undefined) {
    check = (r, action) => checkInvokeSignature(r, { clock: deps.clock, keys: deps.accessKeys, authorize: deps.authorize }, action)
    invokeChecks.set(deps, check)
  }
  return check
}

/**
 * Frees a large body's memory now rather than at the next full collection: a 5 MiB body that outlived
 * a few scavenges while it arrived waits in the old generation otherwise, and eight in flight pile up
 * (measured on Kinesis's PutRecords flood). Only a body that owns its whole ArrayBuffer (the gateway
 * reads large bodies of known length into one), and only when its parse left nothing pointing into it.
 * The gateway also frees each HTTP/1.1 body piece this way once copied into its body (request-body.ts).
 */
export function releaseBody(body: Buffer): void {
  const buffer = body.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer; detached?: boolean }
  if (body.byteOffset !== 0 || body.byteLength !== buffer.byteLength || buffer.detached === true || typeof buffer.transfer !== 'function') return
  buffer.transfer(0)
}

/** The service's own quicker parse of the request, where it has one and it applies. */
function fastParse(service: ServiceDefinition, request: HttpRequest, protocol: ProtocolName):
  (ParsedRequest & { bodyUnused?: boolean; done?: () => void }) | undefined {
  const fast = service.parseRequest?.(request, protocol)
  return fast === undefined ? undefined : resolved(service, fast)
}

/** A service's own parse with its operation's model (its buffers given back at once if the model has no such operation). */
function resolved(service: ServiceDefinition, fast: { operation: string; input: Record<string, unknown>; bodyUnused?: boolean; done?: () => void }):
  (ParsedRequest & { bodyUnused?: boolean; done?: () => void }) | undefined {
  const operation = service.model.operation(fast.operation)
  if (operation === undefined) fast.done?.()
  return operation === undefined ? undefined : { operation, input: fast.input, bodyUnused: fast.bodyUnused, done: fast.done }
}

/** Into the API-call trace (references and numbers only) and, with --log-requests, one console line. */
function note(deps: GatewayDeps, service: string, ctx: ResponseContext, status: number, at: number, started: number,
  requestId: string, input: Record<string, unknown> | undefined, output: unknown, caller: { account: string; region: string }): void {
  const ms = performance.now() - started
  const operation = ctx.operation?.name ?? '(unparsed)'
  // The facts are read only when the trace keeps them (`--no-trace` with `--log-requests` reads none).
  if (deps.calls?.enabled === true) deps.calls.record(at, service, operation, status, ms, requestId, resourceOf(input), detailOf(input), refOf(output), caller)
  deps.logRequest?.(`[request] ${service} ${operation} ${status} ${ms.toFixed(1)} ms`)
}

/** A request no service of Nimbus's claims: another AWS service's (answered in its protocol), or nobody's. */
function unclaimed(request: HttpRequest, scope: CredentialScope | undefined, index: ServiceIndex, requestId: string): HttpResponse {
  const aws = unsupportedService(request, scope)
  // A served signing name still leaves a sibling service with its own target prefix (DynamoDB Streams beside DynamoDB).
  const sibling = aws?.target !== undefined && index.bySigningName.get(aws.signing)?.descriptor.targetPrefix !== aws.target
  if (aws === undefined || (index.bySigningName.has(aws.signing) && !sibling)) return gatewayErrorResponse(protocolErrors.unknownService(), request, requestId)
  return unsupportedServiceResponse(aws, [...index.bySigningName.keys()], request, requestId)
}

/**
 * AWS's error for a request without credentials (or with an Authorization header that isn't SigV4),
 * unless the service serves it anonymously. Signed requests — nearly all — pay two string tests.
 */
function unauthenticated(request: HttpRequest, target: Target, ctx: ResponseContext, origins: CorsOrigins | undefined): AwsError | undefined {
  const credentials = credentialsOf(request, target.protocol, origins)
  if (credentials === 'signed') return undefined
  const { service } = target
  const routed = nameRoute(request, target, ctx)
  if (credentials !== 'anonymous') {
    return service.authErrors?.malformed(credentials.malformed) ?? incompleteSignature(target.protocol, credentials.malformed)
  }
  if (service.allowsAnonymous?.(routed?.name ?? anonymousOperation(request, target.protocol), request) === true) return undefined
  return service.authErrors?.missing() ?? missingAuthentication(target.protocol)
}

/**
 * `--verify-signatures`: the request as sent against its signature; throws AWS's error, or returns
 * the request (with its streamed body wrapped when the body is checked as it is read).
 */
function checkSignature(sent: HttpRequest, request: HttpRequest, target: Target, deps: GatewayDeps, ctx: ResponseContext): HttpRequest {
  const family = { protocol: target.protocol, queryCompatible: target.service.model.metadata.awsQueryCompatible === true }
  const verdict = verifySignature(sent, family, { clock: deps.clock, keys: deps.accessKeys }, request.rawPath)
  if (verdict === undefined) return request
  if (isAwsError(verdict)) {
    nameRoute(request, target, ctx)
    throw verdict
  }
  return { ...request, bodyStream: verdict.bodyStream }
}

/** Before a refusal: REST routes name the operation before the body is read, so HEAD answers then carry no body. */
function nameRoute(request: HttpRequest, target: Target, ctx: ResponseContext): ResponseContext['operation'] {
  const routed = protocols[target.protocol]?.operationOf?.(request, target.service.model)
  if (routed !== undefined) ctx.operation = routed
  return routed
}

/** The call succeeded whatever the hook does: its failure is logged, never answered. */
function reportApiCall(deps: GatewayDeps, call: ApiCall): void {
  try {
    deps.onApiCall?.(call)
  } catch (error) {
    deps.log(`[nimbus] API-call event for ${call.operation} not emitted: ${String(error)}`)
  }
}

/** The change was made in memory but could not be written to the data dir (disk full, read-only…): not acknowledged. */
function notSaved(error: unknown, requestId: string, log: (line: string) => void): AwsError {
  log(`[nimbus] request ${requestId}: writing to the data dir failed: ${error instanceof Error ? error.message : String(error)}`)
  return new AwsError('ServiceUnavailable', 'Nimbus could not save this change to its data dir; it is not acknowledged. Retry the request.',
    { status: 503 })
}

function toAwsError(error: unknown, requestId: string, log: (line: string) => void, signal: AbortSignal): AwsError {
  if (isAwsError(error)) return error
  // The client hung up mid-request (an upload cut short): nobody reads the answer, and it is no
  // internal error. S3 names a body that stopped arriving RequestTimeout.
  if (signal.aborted || (error as { code?: unknown } | null)?.code === 'ECONNRESET') return protocolErrors.clientGone()
  // Never a stack trace to the client: log it with the request id and answer InternalFailure.
  log(`[nimbus] internal error in request ${requestId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  return protocolErrors.internalFailure()
}
