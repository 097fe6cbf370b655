// PutRecord / PutRecordBatch: AWS's limits (1,000 KiB a record, 500 records and 4 MiB a batch),
// then the records are buffered for delivery (acknowledged = stored, with a data dir on disk).
import { randomBytes } from 'node:crypto'
import type { Operation } from '../../service.ts'
import type { DeliveryStream } from '../delivery-stream.ts'
import { firehoseErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { FirehoseState } from '../store.ts'
import { checkStreamName } from './common.ts'

/** The JSON protocol reads blobs as Buffers; the generated types say Uint8Array. */
const asBuffer = (data: Uint8Array): Buffer => Buffer.isBuffer(data) ? data : Buffer.from(data)

/** Record ids are opaque: a per-process random prefix and the record's sequence number. */
const idPrefix = randomBytes(48).toString('base64url')
const recordId = (seq: number) => idPrefix + seq.toString(36).padStart(12, '0')

function writable(state: FirehoseState, account: string, region: string, name: string): DeliveryStream {
  const stream = state.require(account, region, name)
  // [R] A stream still CREATING is not found by the data plane yet.
  if (stream.status(state.clock.now()) !== 'ACTIVE') throw firehoseErrors.notFound(name, account)
  if (stream.type !== 'DirectPut') throw firehoseErrors.notDirectPut(stream.type)
  return stream
}

/**
 * PutRecord's rules and effect, for the API and for other services (port.ts). `quota` false: a write
 * from another service (SNS, EventBridge, CloudWatch Logs), which the Direct PUT quota does not
 * refuse here (README Gaps).
 */
export function putOne(state: FirehoseState, account: string, region: string, name: string, data: Buffer, quota = true): T.PutRecordOutput {
  checkStreamName(name)
  if (data.length > limits.maxRecordBytes) {
    throw firehoseErrors.validation(data, 'record.data', `Member must have length less than or equal to ${limits.maxRecordBytes}`)
  }
  const stream = writable(state, account, region, name)
  if (quota) {
    // Over the stream's quota this second (its requests, records or bytes): the call is refused whole.
    const call = state.putThrottle.request(stream, state.clock.now())
    if (call === undefined || !call.record(data.length)) {
      state.metrics?.throttled(stream, 1)
      throw firehoseErrors.slowDown()
    }
  }
  const [seq] = state.put(stream, [data])
  state.metrics?.put(stream, 1, data.length, false)
  return { RecordId: recordId(seq!), Encrypted: stream.encryptionStatus(state.clock.now()) === 'ENABLED' }
}

export function recordOperations(state: FirehoseState) {
  const putRecord: Operation<T.PutRecordInput, T.PutRecordOutput> = (input, ctx) =>
    putOne(state, ctx.caller.account, ctx.caller.region, input.DeliveryStreamName, asBuffer(input.Record.Data))

  // The batch's name, its 1-500 records and each record's 1,000 KiB were checked against the model
  // before this runs (index.ts); only the batch's total is Firehose's own rule.
  const putRecordBatch: Operation<T.PutRecordBatchInput, T.PutRecordBatchOutput> = (input, ctx) => {
    const records = input.Records.map((r) => ({ Data: asBuffer(r.Data) }))
    let total = 0
    for (const r of records) total += r.Data.length
    if (total > limits.maxBatchBytes) throw firehoseErrors.batchTooLarge()
    const stream = writable(state, ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    // The stream's requests this second are used up: the whole call is refused. Otherwise records are
    // taken in order while the second's records and bytes last; from the first that doesn't fit, the
    // rest fail with AWS's per-record "Slow down." (so a later record never overtakes an earlier one [R]).
    const call = state.putThrottle.request(stream, state.clock.now())
    if (call === undefined) {
      state.metrics?.throttled(stream, records.length)
      throw firehoseErrors.slowDown()
    }
    let admitted = 0
    let admittedBytes = 0
    while (admitted < records.length && call.record(records[admitted]!.Data.length)) admittedBytes += records[admitted++]!.Data.length
    const seqs = admitted === 0 ? [] : state.put(stream, records.slice(0, admitted).map((r) => r.Data))
    const failed = records.length - admitted
    if (admitted > 0) state.metrics?.put(stream, admitted, admittedBytes, true)
    if (failed > 0) state.metrics?.throttled(stream, failed)
    const refused: T.PutRecordBatchResponseEntry = { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
    return {
      FailedPutCount: failed,
      Encrypted: stream.encryptionStatus(state.clock.now()) === 'ENABLED',
      RequestResponses: [...seqs.map((seq) => ({ RecordId: recordId(seq) })), ...Array.from({ length: failed }, () => ({ ...refused }))],
    }
  }

  return { PutRecord: putRecord, PutRecordBatch: putRecordBatch }
}
