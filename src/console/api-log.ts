// The bounded log of API calls the gateway answers, beside the fabric's hops (fabric/trace.ts) and
// built the same way: columns preallocated once, each call stored as numbers and references to
// strings the request already has — no object, string or JSON made per call — so the request path
// pays nothing measurable. Rows are built only when the console or a script reads.
import type { TraceSequence } from '../fabric/trace.ts'

/** What a call's answer named (an SQS message id, a PutEvents entry list): read into ids only when the trace is read. */
export type CallRef = string | readonly unknown[] | undefined

/** Who called: the gateway's caller object, held by reference. */
export interface CallScope {
  readonly account: string
  readonly region: string
}

export interface ApiCallRow {
  seq: number
  /** Clock time the call arrived (epoch ms). */
  at: number
  service: string
  operation: string
  status: number
  durationMs: number
  /** The resource the call named (queue URL, bucket, function name, ARN…), as the client sent it. */
  resource?: string
  /** A second name within it (an S3 object key). */
  detail?: string
  requestId: string
  /** Ids the answer carried (MessageId, EventId; several for batches), which the hops it caused carry as their `id`. */
  refs: string[]
  account?: string
  region?: string
}

export class ApiCallLog {
  readonly capacity: number
  readonly sequence: TraceSequence
  private readonly seq: Float64Array
  private readonly at: Float64Array
  private readonly duration: Float64Array
  private readonly status: Uint16Array
  private readonly service: (string | undefined)[]
  private readonly operation: (string | undefined)[]
  private readonly resource: (string | undefined)[]
  private readonly detail: (string | undefined)[]
  private readonly requestId: (string | undefined)[]
  private readonly ref: CallRef[]
  private readonly scope: (CallScope | undefined)[]
  private count = 0

  /** `capacity` 0 is `--no-trace`: recording returns at once. */
  constructor(capacity: number, sequence: TraceSequence) {
    this.capacity = Math.max(0, Math.floor(capacity))
    this.sequence = sequence
    const n = this.capacity
    this.seq = new Float64Array(n)
    this.at = new Float64Array(n)
    this.duration = new Float64Array(n)
    this.status = new Uint16Array(n)
    this.service = new Array<string | undefined>(n).fill(undefined)
    this.operation = new Array<string | undefined>(n).fill(undefined)
    this.resource = new Array<string | undefined>(n).fill(undefined)
    this.detail = new Array<string | undefined>(n).fill(undefined)
    this.requestId = new Array<string | undefined>(n).fill(undefined)
    this.ref = new Array<CallRef>(n).fill(undefined)
    this.scope = new Array<CallScope | undefined>(n).fill(undefined)
  }

  get enabled(): boolean {
    return this.capacity > 0
  }

  /** Calls ever recorded (the log holds the newest `capacity`). */
  get total(): number {
    return this.count
  }

  record(at: number, service: string, operation: string, status: number, durationMs: number, requestId: string,
    resource: string | undefined, detail: string | undefined, ref: CallRef, scope: CallScope | undefined): void {
    if (this.capacity === 0) return
    const i = this.count % this.capacity
    this.count += 1
    this.seq[i] = this.sequence.value++
    this.at[i] = at
    this.duration[i] = durationMs
    this.status[i] = status
    this.service[i] = service
    this.operation[i] = operation
    this.resource[i] = resource
    this.detail[i] = detail
    this.requestId[i] = requestId
    this.ref[i] = ref
    this.scope[i] = scope
  }

  /** Calls numbered after `since`, oldest first. */
  rows(since = 0): ApiCallRow[] {
    const held = Math.min(this.count, this.capacity)
    const rows: ApiCallRow[] = []
    for (let k = this.count - held; k < this.count; k++) {
      const i = k % this.capacity
      if (this.seq[i]! <= since) continue
      const row: ApiCallRow = { seq: this.seq[i]!, at: this.at[i]!, service: this.service[i]!, operation: this.operation[i]!,
        status: this.status[i]!, durationMs: Math.round(this.duration[i]! * 1000) / 1000, requestId: this.requestId[i]!, refs: refIds(this.ref[i]) }
      if (this.resource[i] !== undefined) row.resource = this.resource[i]
      if (this.detail[i] !== undefined) row.detail = this.detail[i]
      const scope = this.scope[i]
      if (scope !== undefined) {
        row.account = scope.account
        row.region = scope.region
      }
      rows.push(row)
    }
    return rows
  }

  clear(): void {
    this.count = 0
    for (const column of [this.service, this.operation, this.resource, this.detail, this.requestId, this.ref, this.scope]) column.fill(undefined)
  }
}

/** A batch's answer (PutEvents' Entries, SendMessageBatch's Successful) → the ids in it. */
function refIds(ref: CallRef): string[] {
  if (ref === undefined) return []
  if (typeof ref === 'string') return [ref]
  const ids: string[] = []
  for (const entry of ref) {
    const e = entry as Record<string, unknown> | null
    const id = e?.['EventId'] ?? e?.['MessageId'] ?? e?.['SequenceNumber']
    if (typeof id === 'string') ids.push(id)
  }
  return ids
}
