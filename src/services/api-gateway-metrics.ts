// The AWS/ApiGateway request metrics REST APIs and HTTP APIs publish, counted per minute in memory
// (core/minute-log.ts) and read by CloudWatch through its port. REST APIs: Count, 4XXError, 5XXError,
// Latency, IntegrationLatency by {ApiName}, {ApiName, Stage} and, with the method's detailed metrics,
// {ApiName, Method, Resource, Stage}. HTTP APIs: Count, 4xx, 5xx, Latency, IntegrationLatency,
// DataProcessed by {ApiId}, {ApiId, Stage} and, with the route's detailed metrics, {ApiId, Stage, Route};
// WebSocket APIs ConnectCount, MessageCount, IntegrationError, ClientError, ExecutionError and
// IntegrationLatency by the same dimensions.
// Each request records 1 for Count and 0 or 1 for the error metrics (so Average is the error rate), as
// AWS documents; latencies are wall-clock milliseconds.
import type { Clock } from '../core/clock.ts'
import { addMeasure, MinuteLog } from '../core/minute-log.ts'
import type { MetricSource } from './cloudwatch/port.ts'
import { type MinuteMetric, minuteMetricSource } from './minute-metrics.ts'

type Dimensions = { Name: string; Value: string }[]

const restMetrics: Record<string, MinuteMetric> = {
  Count: { unit: 'Count', measure: 'count' },
  '4XXError': { unit: 'Count', measure: '4xx' },
  '5XXError': { unit: 'Count', measure: '5xx' },
  Latency: { unit: 'Milliseconds', measure: 'latency' },
  IntegrationLatency: { unit: 'Milliseconds', measure: 'integration' },
}
const httpMetrics: Record<string, MinuteMetric> = {
  Count: { unit: 'Count', measure: 'count' },
  '4xx': { unit: 'Count', measure: '4xx' },
  '5xx': { unit: 'Count', measure: '5xx' },
  Latency: { unit: 'Milliseconds', measure: 'latency' },
  IntegrationLatency: { unit: 'Milliseconds', measure: 'integration' },
  DataProcessed: { unit: 'Bytes', measure: 'bytes' },
  // WebSocket APIs' ("Monitor WebSocket API execution with CloudWatch metrics"), in the same ApiId series:
  // each series lists only the metrics it has datapoints of, so an HTTP API shows none of these.
  ConnectCount: { unit: 'Count', measure: 'connect' },
  MessageCount: { unit: 'Count', measure: 'message' },
  IntegrationError: { unit: 'Count', measure: 'integrationError' },
  ClientError: { unit: 'Count', measure: 'clientError' },
  ExecutionError: { unit: 'Count', measure: 'executionError' },
}

/** The dimension sets each kind of API publishes, names in the order a series key keeps them. */
const dimensionSets = {
  rest: [['ApiName'], ['ApiName', 'Stage'], ['ApiName', 'Method', 'Resource', 'Stage']],
  http: [['ApiId'], ['ApiId', 'Stage'], ['ApiId', 'Stage', 'Route']],
}

/** A series' key (its dimensions as the minute log names it): callers may build their keys once and pass them. */
export const encode = (dimensions: Dimensions) => dimensions.map((d) => `${d.Name}\u0001${d.Value}`).join('\u0000')

/** One request, as the metrics see it. */
export interface ApiRequestFacts {
  account: string
  region: string
  /** The dimension sets it counts in (the API's, its stage's, and its method's or route's with detailed metrics). */
  series: Dimensions[]
  /** The series' keys (`encode` of each), when the caller keeps them built: then `series` is not read. */
  keys?: readonly string[]
  status: number
  latencyMs: number
  /** Undefined when no integration was called (a refusal, a cache hit). */
  integrationMs: number | undefined
  /** HTTP APIs' DataProcessed: request and response bytes. */
  bytes?: number
}

/** One WebSocket request or outgoing message, as the metrics see it. */
export interface WebSocketRequestFacts {
  account: string
  region: string
  series: Dimensions[]
  kind: 'connect' | 'message' | 'out'
  /** ClientError: a 4xx from API Gateway before the integration; IntegrationError: its 4xx/5xx; ExecutionError: calling it failed. */
  error?: 'client' | 'integration' | 'execution'
  integrationMs?: number
}

export class ApiGatewayMetrics {
  readonly source: MetricSource
  private readonly log: MinuteLog

  constructor(clock: Clock, kind: 'rest' | 'http', changed: (account: string, region: string) => void) {
    this.log = new MinuteLog(clock, changed)
    const sets = dimensionSets[kind]
    this.source = minuteMetricSource({
      namespace: 'AWS/ApiGateway',
      log: this.log,
      metrics: kind === 'rest' ? restMetrics : httpMetrics,
      dimensionsOf: (key) => key.split('\u0000').map((pair) => {
        const [Name, Value] = pair.split('\u0001') as [string, string]
        return { Name, Value }
      }),
      keyOf: (dimensions) => {
        const names = sets.find((set) => set.length === dimensions.length && set.every((n) => dimensions.some((d) => d.Name === n)))
        return names === undefined ? undefined : encode(names.map((n) => dimensions.find((d) => d.Name === n)!))
      },
    })
  }

  record(facts: ApiRequestFacts): void {
    const { account, region } = facts
    const client = facts.status >= 400 && facts.status < 500 ? 1 : 0
    const server = facts.status >= 500 ? 1 : 0
    const { latencyMs, integrationMs, bytes } = facts
    const keys = facts.keys ?? facts.series.map(encode)
    // One bucket lookup per series for all its metrics (this runs on every request).
    for (const key of keys) {
      const b = this.log.current(account, region, key)
      addMeasure(b, 'count', 1)
      addMeasure(b, '4xx', client)
      addMeasure(b, '5xx', server)
      addMeasure(b, 'latency', latencyMs)
      if (integrationMs !== undefined) addMeasure(b, 'integration', integrationMs)
      if (bytes !== undefined) addMeasure(b, 'bytes', bytes)
    }
  }

  /**
   * A WebSocket API's `$connect` or message from the client (ConnectCount or MessageCount 1, each error
   * metric 0 or 1, IntegrationLatency when an integration ran), or a message to the client (`out`:
   * MessageCount only).
   */
  recordWebSocket(facts: WebSocketRequestFacts): void {
    const { account, region } = facts
    for (const key of facts.series.map(encode)) {
      const b = this.log.current(account, region, key)
      addMeasure(b, facts.kind === 'connect' ? 'connect' : 'message', 1)
      if (facts.kind === 'out') continue
      addMeasure(b, 'clientError', facts.error === 'client' ? 1 : 0)
      addMeasure(b, 'integrationError', facts.error === 'integration' ? 1 : 0)
      addMeasure(b, 'executionError', facts.error === 'execution' ? 1 : 0)
      if (facts.integrationMs !== undefined) addMeasure(b, 'integration', facts.integrationMs)
    }
  }

  clear(): void {
    this.log.clear()
  }
}
