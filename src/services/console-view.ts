// What a service shows in Nimbus's web console: its resource types and their columns (a catalog,
// known without loading the service), and a view that lists, details and acts on its resources
// from the service's own state. The console (src/console/) draws any service that declares one,
// so a new service appears by declaring, not by a page written for it.
import type { OperationContext } from './operation-context.ts'

export interface ConsoleColumn {
  key: string
  label: string
}

export interface ConsoleResourceType {
  /** Stable, lower-case: `queue`, `function`, `bucket`. */
  type: string
  label: string
  columns: ConsoleColumn[]
}

/** Static: in the service's descriptor, so the console lists every service without loading one. */
export interface ConsoleCatalog {
  label: string
  resourceTypes: ConsoleResourceType[]
}

export type FieldValue = string | number | boolean | null

export interface ConsoleItem {
  /** What the console passes back to name it (an ARN where the resource has one). */
  id: string
  name: string
  arn: string
  account: string
  /** `global` for a global service's resources (IAM): listed under every region. */
  region: string
  /** One value per column key of its type. */
  fields: Record<string, FieldValue>
}

export type SectionKind = 'kv' | 'table' | 'json' | 'text' | 'log'

export interface ConsoleSection {
  title: string
  kind: SectionKind
  /** kv: `{ key: value }`; table: `{ columns, rows }`; log: `[{ at, message }]`; json: anything; text: a string. */
  data: unknown
}

export interface ConsoleLink {
  label: string
  service: string
  type: string
  id: string
}

export interface ConsoleActionParam {
  key: string
  label: string
  kind: 'text' | 'json' | 'number'
}

export interface ConsoleAction {
  name: string
  label: string
  params: ConsoleActionParam[]
}

export interface ConsoleChart {
  title: string
  series: Array<{ label: string; points: Array<[number, number]> }>
  thresholds?: Array<{ label: string; value: number }>
}

export interface ConsoleDetail {
  item: ConsoleItem
  sections: ConsoleSection[]
  links?: ConsoleLink[]
  actions?: ConsoleAction[]
  charts?: ConsoleChart[]
}

/** Something on the clock: the console's "what is due next". */
export interface ConsoleDue {
  at: number
  what: string
}

/** Dynamic: in the service's definition, reading the service's own state. */
export interface ConsoleView {
  /** Every resource of a type, in every account and region (the console filters). */
  list(type: string): ConsoleItem[]
  /** One resource by its id or ARN; undefined when there is none. */
  detail(type: string, id: string): ConsoleDetail | undefined
  /**
   * Runs an action; `ctx` is an operation context in the resource's account and region, so a view
   * can run the service's own operations (their AWS errors answer the console as `{ error, message }`).
   */
  act?(type: string, id: string, action: string, params: Record<string, unknown>, ctx: OperationContext): unknown
  /** What the service has on the clock (a schedule's next run, a delayed message), soonest first. */
  due?(limit: number): ConsoleDue[]
}

/** A console request the view refuses: answered `{ error: code, message }` with `status`. */
export class ConsoleError extends Error {
  readonly code: string
  readonly status: number
  constructor(code: string, message: string, status = 400) {
    super(message)
    this.code = code
    this.status = status
  }
}

/** The action's parameter as text (absent: `fallback`). */
export function textParam(params: Record<string, unknown>, key: string, fallback?: string): string {
  const value = params[key]
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback
    throw new ConsoleError('MissingParameter', `The action needs "${key}".`)
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** The action's parameter as a number within [min, max] (absent: `fallback`). */
export function numberParam(params: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const value = params[key]
  if (value === undefined || value === null || value === '') return fallback
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(n) || n < min || n > max) throw new ConsoleError('InvalidParameter', `"${key}" must be a number from ${min} to ${max}.`)
  return n
}

export function unknownAction(action: string): ConsoleError {
  return new ConsoleError('UnknownAction', `No action "${action}" here.`)
}

/** Milliseconds → ISO text for a column, null when unset. */
export function isoTime(ms: number | undefined): string | null {
  return ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString()
}

/** Resource types by an ARN's service and resource prefix, so a view links to what an ARN names. */
const arnTypes: Array<[RegExp, string, string]> = [
  [/^arn:[^:]+:sqs:/, 'sqs', 'queue'],
  [/^arn:[^:]+:sns:[^:]*:[^:]*:[^:]+:/, 'sns', 'subscription'],
  [/^arn:[^:]+:sns:/, 'sns', 'topic'],
  [/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/, 'lambda', 'function'],
  [/^arn:[^:]+:s3:::[^/]+$/, 's3', 'bucket'],
  [/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//, 'eventbridge', 'bus'],
  [/^arn:[^:]+:events:[^:]*:[^:]*:rule\//, 'eventbridge', 'rule'],
  [/^arn:[^:]+:logs:/, 'logs', 'log-group'],
  [/^arn:[^:]+:kinesis:/, 'kinesis', 'stream'],
  [/^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+$/, 'dynamodb', 'table'],
  [/^arn:[^:]+:firehose:/, 'firehose', 'delivery-stream'],
]

/** A link to the resource an ARN names, when the console knows its type. */
export function arnLink(label: string, arn: string): ConsoleLink[] {
  const hit = arnTypes.find(([pattern]) => pattern.test(arn))
  // A function ARN with a qualifier links to the function.
  const id = hit?.[1] === 'lambda' ? arn.split(':').slice(0, 7).join(':') : arn
  return hit === undefined ? [] : [{ label, service: hit[1], type: hit[2], id }]
}

/** An operation context as the resource's owner (for views that read through their own operations). */
export function ownerContext(account: string, region: string, clock: OperationContext['clock'], protocol: OperationContext['protocol']): OperationContext {
  return { caller: { account, region, accessKeyId: 'test' }, requestId: 'console', clock, protocol, host: 'localhost',
    signal: new AbortController().signal }
}
