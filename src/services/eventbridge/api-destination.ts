// An API destination: an HTTP endpoint (with `*` path wildcards), the method, and the connection
// whose authorization every invocation carries. ARN `…:api-destination/<name>/<uuid>` [S].
import { randomUUID } from 'node:crypto'
import type * as T from './generated/types.ts'

/** AWS's default when InvocationRateLimitPerSecond is not given [S]. */
export const defaultInvocationRateLimit = 300

export class ApiDestination {
  readonly name: string
  readonly account: string
  readonly region: string
  readonly arn: string
  readonly createdAt: number
  modifiedAt: number
  description: string | undefined
  connectionArn: string
  endpoint: string
  method: T.ApiDestinationHttpMethod
  /** Stored and shown; invocations are not throttled to it. */
  rateLimit: number

  constructor(init: { name: string; account: string; region: string; now: number; connectionArn: string; endpoint: string;
    method: T.ApiDestinationHttpMethod; rateLimit?: number; description?: string; arn?: string }) {
    this.name = init.name
    this.account = init.account
    this.region = init.region
    this.arn = init.arn ?? `arn:aws:events:${init.region}:${init.account}:api-destination/${init.name}/${randomUUID()}`
    this.createdAt = init.now
    this.modifiedAt = init.now
    this.description = init.description
    this.connectionArn = init.connectionArn
    this.endpoint = init.endpoint
    this.method = init.method
    this.rateLimit = init.rateLimit ?? defaultInvocationRateLimit
  }

  /** `state` is derived from the connection: INACTIVE while it is not AUTHORIZED [S]. */
  summary(state: T.ApiDestinationState): T.ApiDestination {
    return {
      ApiDestinationArn: this.arn, Name: this.name, ApiDestinationState: state, ConnectionArn: this.connectionArn,
      InvocationEndpoint: this.endpoint, HttpMethod: this.method, InvocationRateLimitPerSecond: this.rateLimit,
      CreationTime: new Date(this.createdAt), LastModifiedTime: new Date(this.modifiedAt),
    }
  }

  describe(state: T.ApiDestinationState): T.DescribeApiDestinationResponse {
    return { ...this.summary(state), Description: this.description }
  }
}

/** `…:api-destination/<name>/<uuid>` → name. */
export function apiDestinationNameFromArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:events:[a-z0-9-]*:\d{12}:api-destination\/([.\-_A-Za-z0-9]+)\/[-A-Za-z0-9]+$/.exec(arn)?.[1]
}
