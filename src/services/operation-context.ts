// Who calls an operation and with what: the context every operation handler (and a console action) runs in.
import type { Clock } from '../core/clock.ts'
import type { ProtocolName } from '../protocol/model.ts'

/** Who is calling and where: resolved by the gateway from the request's credentials. */
export interface Caller {
  account: string
  region: string
  accessKeyId: string
}

export interface OperationContext {
  readonly caller: Caller
  readonly requestId: string
  readonly clock: Clock
  readonly protocol: ProtocolName
  /** The request's Host header, so resource URLs (queue URLs) point back where the client called. */
  readonly host: string
  /** Aborted when the client goes away (long polls stop waiting). */
  readonly signal: AbortSignal
}
