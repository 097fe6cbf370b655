// The narrow port other services use to reach EventBridge: S3's EventBridgeConfiguration, CloudTrail-
// style "AWS API Call via CloudTrail" events, Lambda destinations. Types only.
import type { MetricSource } from '../cloudwatch/port.ts'

export interface EventBridgeEntry {
  source: string
  detailType: string
  /** The detail object (serialised here), or its JSON text. */
  detail: Record<string, unknown> | string
  resources?: string[]
  /** Event time (epoch ms); default now. */
  time?: number
  /** Name or ARN; default `default`. */
  eventBusName?: string
  traceHeader?: string
}

export interface EventBridgePutResult {
  eventId: string | undefined
  errorCode: string | undefined
  errorMessage: string | undefined
}

export interface EventBridgePort {
  /**
   * Puts events on a bus of `account`/`region` as an AWS service would: per-entry results in
   * order, never throws for a bad entry. Delivery happens afterwards on the clock.
   */
  putEvents(account: string, region: string, entries: readonly EventBridgeEntry[]): EventBridgePutResult[]
  /** Whether the bus (name or ARN) exists; `default` always does. */
  busExists(account: string, region: string, eventBusName?: string): boolean
  /**
   * Whether the default bus of `account`/`region` has any rule: when it has none, an AWS service's
   * event could match nothing, so callers on hot paths (API-call events) skip building it.
   */
  defaultBusHasRules(account: string, region: string): boolean
  /** The AWS/Events metrics rules publish, from their in-memory per-minute counters. */
  metrics: MetricSource
}
