// Which records are encrypted: AWS encrypts a record by when it was written, not by the stream's
// setting when it is read. StartStreamEncryption: "Once the status of the stream is ACTIVE,
// encryption begins for records written to the stream" (records written before, or while UPDATING,
// stay unencrypted); StopStreamEncryption: once ACTIVE, "records written to the stream are no longer
// encrypted" (the ones written before stay encrypted). Kept as arrival-time spans in the stream's row.

/** The part of a stream's row this reads and writes (stream.ts's StreamMeta). */
interface EncryptionMeta {
  encryption: { type: 'NONE' | 'KMS' }
  encryptedSpans?: EncryptedSpan[]
}

/** [from, to) in arrival milliseconds of the clock; `to` null while encryption is still on. */
export type EncryptedSpan = [from: number, to: number | null]

const NEVER: readonly EncryptedSpan[] = []
const ALWAYS: readonly EncryptedSpan[] = [[0, null]]

function spansOf(meta: EncryptionMeta): readonly EncryptedSpan[] {
  // A row written before spans existed: encrypted all along if it is encrypted now (what it answered then).
  return meta.encryptedSpans ?? (meta.encryption.type === 'KMS' ? ALWAYS : NEVER)
}

/** The encryption of a record that arrived (or arrives) at `arrival`. */
export function encryptionAt(meta: EncryptionMeta, arrival: number): 'KMS' | 'NONE' {
  for (const [from, to] of spansOf(meta)) if (arrival >= from && (to === null || arrival < to)) return 'KMS'
  return 'NONE'
}

/**
 * StartStreamEncryption (`on`) or StopStreamEncryption takes effect for records arriving from
 * `effectiveAt` (when the stream is ACTIVE again). A new key on an encrypted stream changes no span.
 * Spans that ended before the oldest record the stream can still hold are dropped.
 */
export function switchEncryption(meta: EncryptionMeta, on: boolean, effectiveAt: number, oldestKept: number): void {
  const spans = spansOf(meta).filter(([, to]) => to === null || to > oldestKept).map(([from, to]): EncryptedSpan => [from, to])
  const last = spans.at(-1)
  const open = last !== undefined && last[1] === null
  if (on && !open) spans.push([effectiveAt, null])
  if (!on && open) last[1] = effectiveAt
  meta.encryptedSpans = spans
}
