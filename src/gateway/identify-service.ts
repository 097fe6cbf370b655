// Which service (and which of its protocols) a request is for, from a table every service contributes to.
import type { HttpRequest } from '../protocol/http.ts'
import type { ProtocolName } from '../protocol/model.ts'
import { queryParams } from '../protocol/query/query.ts'
import type { ServiceDefinition, ServiceDescriptor, ServiceHandle } from '../services/service.ts'
import type { CredentialScope } from './caller.ts'
import { awsServiceOfHost, isAwsSigningName, isAwsTargetPrefix } from './aws-services.ts'

/** The service is loaded by then (a lazy one on its first request): identification itself reads only descriptors. */
export interface Target {
  service: ServiceDefinition
  protocol: ProtocolName
}

export interface ServiceIndex {
  byTargetPrefix: Map<string, ServiceHandle>
  bySigningName: Map<string, ServiceHandle>
  /** Query-protocol services by API version, then by action. */
  byQueryVersion: Map<string, ServiceHandle[]>
  /** REST services by the path prefixes they claim, longest first. */
  byPathPrefix: [string, ServiceHandle][]
  /** Services that recognise their own virtual hosts (S3). */
  byHost: ServiceHandle[]
  /** Services whose hosts users create (API Gateway's custom domain names), asked once loaded. */
  byCustomHost: ServiceHandle[]
  /** The service that takes REST requests nothing else claims (S3). */
  catchAll: ServiceHandle | undefined
  /**
   * HTTP methods of the operations some service streams (S3: PUT). Any other request skips the
   * streaming check entirely, so the SQS hot path pays nothing for S3's uploads.
   */
  streamingMethods: Set<string>
}

export function indexServices(services: readonly ServiceHandle[]): ServiceIndex {
  const index: ServiceIndex = {
    byTargetPrefix: new Map(), bySigningName: new Map(), byQueryVersion: new Map(), byPathPrefix: [], byHost: [], byCustomHost: [],
    catchAll: undefined, streamingMethods: new Set(),
  }
  for (const service of services) {
    const { targetPrefix, apiVersion, signingName, protocols, claimsHost, catchAll } = service.descriptor
    if (claimsHost !== undefined) index.byHost.push(service)
    if (service.descriptor.customHosts === true) index.byCustomHost.push(service)
    if (catchAll !== undefined) index.catchAll = service
    for (const method of service.descriptor.streamingMethods ?? []) index.streamingMethods.add(method)
    if (targetPrefix !== undefined) index.byTargetPrefix.set(targetPrefix, service)
    // DynamoDB Streams signs as `dynamodb` too: the first service listed (DynamoDB) keeps the name.
    if (!index.bySigningName.has(signingName)) index.bySigningName.set(signingName, service)
    for (const prefix of service.descriptor.pathPrefixes ?? []) index.byPathPrefix.push([prefix, service])
    if (protocols.includes('query') || protocols.includes('ec2')) {
      const list = index.byQueryVersion.get(apiVersion) ?? []
      list.push(service)
      index.byQueryVersion.set(apiVersion, list)
    }
  }
  index.byPathPrefix.sort(([a], [b]) => b.length - a.length)
  // The catch-all's virtual hosts are the broadest claim (S3 takes any `<bucket>.localhost`): it is
  // asked last, so `{api}.execute-api.localhost` reaches API Gateway.
  index.byHost.sort((a, b) => Number(a.descriptor.catchAll !== undefined) - Number(b.descriptor.catchAll !== undefined))
  return index
}

const CONNECTIONS_PATH = /\/@connections(\/|$|\?)/

/** A service that speaks several protocols is told apart by the request's content type. */
function protocolFor({ protocols }: ServiceDescriptor, request: HttpRequest): ProtocolName {
  if (protocols.length === 1) return protocols[0]!
  const type = request.headers['content-type'] ?? ''
  // Smithy RPC v2 CBOR names itself in a header (its content type is application/cbor).
  if (request.headers['smithy-protocol'] === 'rpc-v2-cbor' && protocols.includes('rpc-v2-cbor')) return 'rpc-v2-cbor'
  if (type.startsWith('application/x-amz-json') && protocols.includes('json')) return 'json'
  if (type.startsWith('application/x-amz-cbor') && protocols.includes('cbor')) return 'cbor'
  if (request.headers['x-amz-target'] !== undefined && protocols.includes('json')) return 'json'
  if (protocols.includes('query')) return 'query'
  return protocols[0]!
}

/**
 * X-Amz-Target prefix → SigV4 scope service (presigned URLs' X-Amz-Credential included) → path
 * prefix → virtual host → query Action + Version → the catch-all (S3). Undefined when nothing claims it.
 */
export function identifyService(request: HttpRequest, scope: CredentialScope | undefined, index: ServiceIndex): Target | undefined {
  const found = identify(request, scope, index)
  return found === undefined ? undefined : { service: found.service.definition(), protocol: found.protocol }
}

/**
 * The service serving a Host users created (API Gateway's custom domain names), if any, loaded ones only. Such a Host
 * passes the DNS-rebinding guard without `--allowed-hosts` (host-check.ts), and its requests go to that service alone:
 * whatever else they claim (a target, a signature for another service, an internal path), they reach the domain's APIs.
 */
export function customHostTarget(request: HttpRequest, index: ServiceIndex): Target | undefined {
  const host = request.headers['host']
  if (host === undefined || index.byCustomHost.length === 0) return undefined
  const custom = index.byCustomHost.find((s) => s.loaded?.()?.servesHost?.(host) === true)
  return custom === undefined ? undefined : { service: custom.definition(), protocol: protocolFor(custom.descriptor, request) }
}

/** The service a request is for, as its handle: identification alone never loads a service (query candidates aside). */
export function identify(request: HttpRequest, scope: CredentialScope | undefined, index: ServiceIndex):
  { service: ServiceHandle; protocol: ProtocolName } | undefined {
  const target = request.headers['x-amz-target']
  if (target !== undefined) {
    const service = index.byTargetPrefix.get(target.slice(0, target.lastIndexOf('.')))
    // Kinesis also speaks awsJson's CBOR flavour (content type application/x-amz-cbor-1.1).
    if (service !== undefined) return { service, protocol: protocolFor(service.descriptor, request) }
  }
  // The @connections management API is signed `execute-api` as well, at a WebSocket API's URL (either
  // form) or at Nimbus's own endpoint: its path tells it from an IAM-authorized invoke.
  if (scope?.service === 'execute-api' && CONNECTIONS_PATH.test(request.rawPath)) {
    const management = index.bySigningName.get('execute-api')
    if (management !== undefined) return { service: management, protocol: protocolFor(management.descriptor, request) }
  }
  // Requests signed for `execute-api` are calls to an API Gateway invoke URL (IAM-authorized methods):
  // found by host or path like unsigned ones, the signature checked by the API when its method asks.
  if (scope !== undefined && scope.service !== 'execute-api') {
    // Services sharing a signing name may be told apart by path (apigatewayv2's `/v2/…` is signed `apigateway`).
    const byPath = index.byPathPrefix.find(([p, s]) => s.descriptor.signingName === scope.service && request.rawPath.startsWith(p))?.[1]
    const service = byPath ?? index.bySigningName.get(scope.service)
    // Services sharing a signing name are told apart by the target prefix (DynamoDB Streams is signed
    // `dynamodb` too): an AWS prefix no service claims is answered as a service Nimbus does not serve.
    const prefix = target?.slice(0, target.lastIndexOf('.'))
    if (service !== undefined && prefix !== undefined && prefix !== service.descriptor.targetPrefix && isAwsTargetPrefix(prefix)) return undefined
    if (service !== undefined) return { service, protocol: protocolFor(service.descriptor, request) }
    // Signed for an AWS service Nimbus doesn't serve (states, rds…): no path, host or catch-all may
    // claim it (S3 would take `GET /restapis` as a bucket); the gateway answers it as unsupported.
    if (isAwsSigningName(scope.service)) return undefined
  }
  // A user-created host first (API Gateway's custom domains): `api.myapp.localhost/v2/…` is neither
  // an S3 virtual host nor apigatewayv2's `/v2/` control plane.
  const customHost = request.headers['host']
  if (customHost !== undefined && index.byCustomHost.length > 0) {
    const custom = index.byCustomHost.find((s) => s.loaded?.()?.servesHost?.(customHost) === true)
    if (custom !== undefined) return { service: custom, protocol: protocolFor(custom.descriptor, request) }
  }
  const host = request.headers['host']
  // A claimed host before path prefixes: an HTTP API's route `/v2/…` at `{id}.execute-api.localhost`, or
  // an S3 virtual-host key `v2/…`, is not apigatewayv2's `/v2/` control plane.
  const claimed = host === undefined ? undefined : index.byHost.find((s) => s.descriptor.claimsHost!(host))
  if (claimed !== undefined) return { service: claimed, protocol: protocolFor(claimed.descriptor, request) }
  for (const [prefix, service] of index.byPathPrefix) {
    if (request.rawPath.startsWith(prefix)) return { service, protocol: protocolFor(service.descriptor, request) }
  }
  if (host !== undefined) {
    // An unsigned call to another service's AWS host (`monitoring.us-east-1.amazonaws.com`): likewise.
    const aws = host.includes('.amazonaws.com') ? awsServiceOfHost(host) : undefined
    if (aws !== undefined && !index.bySigningName.has(aws.signing)) return undefined
  }
  const params = queryParams(request)
  const action = params.get('Action')
  const version = params.get('Version')
  if (action !== null) {
    // Query services sharing a version are told apart by their models: this loads the candidates.
    const candidates = version !== null ? (index.byQueryVersion.get(version) ?? []) : [...index.byQueryVersion.values()].flat()
    const service = candidates.find((s) => s.definition().model.operation(action) !== undefined) ?? candidates[0]
    if (service !== undefined) return { service, protocol: service.descriptor.protocols.includes('ec2') ? 'ec2' : 'query' }
    // A query call to "/" no service speaks is unknown, answered as a query error, not S3's business.
    if (request.rawPath === '/') return undefined
  }
  const fallback = index.catchAll
  if (fallback !== undefined && target === undefined && fallback.descriptor.catchAll!(request)) {
    return { service: fallback, protocol: protocolFor(fallback.descriptor, request) }
  }
  return undefined
}
