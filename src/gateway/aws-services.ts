// Every AWS service as botocore models it (aws-services.json, from scripts/aws-tables.ts): which one a
// request Nimbus doesn't serve is for, by the SigV4 scope's signing name, X-Amz-Target prefix or host.
import { readFileSync } from 'node:fs'
import type { HttpRequest } from '../protocol/http.ts'
import type { CredentialScope } from './caller.ts'

/** One AWS service as botocore models it: only what recognising and answering a request needs. */
export interface AwsService {
  /** The SDK's service id (`SFN`) and AWS's full name (`AWS Step Functions`). */
  readonly id: string
  readonly name: string
  /** SigV4 signing name (`states`); also the host's first label unless `endpoint` says otherwise. */
  readonly signing: string
  readonly endpoint?: string
  readonly target?: string
  /** The protocol the newest SDKs speak to it: query, ec2, json, rest-json or rest-xml. */
  readonly protocol: string
  /** awsJson's version (content type `application/x-amz-json-1.0` or `-1.1`). */
  readonly json?: string
}

interface Table {
  bySigning: Map<string, AwsService>
  byTarget: Map<string, AwsService>
  byEndpoint: Map<string, AwsService>
}

let table: Table | undefined

/** Read on the first request for a service Nimbus doesn't serve: start-up never pays for it. */
function awsServices(): Table {
  if (table !== undefined) return table
  const list = JSON.parse(readFileSync(new URL('./aws-services.json', import.meta.url), 'utf8')) as AwsService[]
  const loaded: Table = { bySigning: new Map(), byTarget: new Map(), byEndpoint: new Map() }
  for (const service of list) {
    const endpoint = service.endpoint ?? service.signing
    const known = loaded.bySigning.get(service.signing)
    if (known === undefined || ownership(service) > ownership(known)) loaded.bySigning.set(service.signing, service)
    if (service.target !== undefined) loaded.byTarget.set(service.target, service)
    if (!loaded.byEndpoint.has(endpoint)) loaded.byEndpoint.set(endpoint, service)
  }
  return (table = loaded)
}

/**
 * Several services share a signing name (rds: RDS, Neptune, DocumentDB; apigateway: v1 and v2): the
 * one named after it wins, then one whose host it is.
 */
function ownership(service: AwsService): number {
  if (service.id.toLowerCase().replaceAll(' ', '') === service.signing) return 2
  return (service.endpoint ?? service.signing) === service.signing ? 1 : 0
}

/** True when `name` is the signing name of an AWS service (served by Nimbus or not). */
export function isAwsSigningName(name: string): boolean {
  return awsServices().bySigning.has(name)
}

/** True when `prefix` is an AWS JSON service's X-Amz-Target prefix (DynamoDBStreams_20120810…). */
export function isAwsTargetPrefix(prefix: string): boolean {
  return awsServices().byTarget.has(prefix)
}

/** The AWS service an `<endpoint>.<region>.amazonaws.com` (or global `<endpoint>.amazonaws.com`) host names. */
export function awsServiceOfHost(host: string | undefined): AwsService | undefined {
  if (host === undefined) return undefined
  const name = host.replace(/:\d+$/, '').toLowerCase()
  const match = /^([a-z0-9-]+)\.(?:[a-z0-9-]+\.)?amazonaws\.com(?:\.cn)?$/.exec(name)
  return match === null ? undefined : awsServices().byEndpoint.get(match[1]!)
}

/**
 * The AWS service a request nobody in Nimbus claimed is for: by X-Amz-Target prefix, then the
 * signature's scope, then the host. Undefined when it names none (a made-up call).
 */
export function unsupportedService(request: HttpRequest, scope: CredentialScope | undefined): AwsService | undefined {
  const { byTarget, bySigning } = awsServices()
  const target = request.headers['x-amz-target']
  const byHeader = target === undefined ? undefined : byTarget.get(target.slice(0, target.lastIndexOf('.')))
  return byHeader ?? (scope === undefined ? undefined : bySigning.get(scope.service)) ?? awsServiceOfHost(request.headers['host'])
}

