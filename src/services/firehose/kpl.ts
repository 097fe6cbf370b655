// KPL (Kinesis Producer Library) aggregated records, which Firehose de-aggregates when it reads a
// Kinesis stream: 4 magic bytes F3 89 9A C2, a protobuf `AggregatedRecord` (1: partition key table,
// 2: explicit hash key table, 3: records {1: key index, 2: hash key index, 3: data, 4: tags}), then
// the MD5 of the protobuf bytes. Anything else (or a checksum that does not match) is a plain record.
import { createHash } from 'node:crypto'

const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2])

/** The user records inside an aggregated record, or undefined when `data` is not one. */
export function deaggregateKpl(data: Buffer): Buffer[] | undefined {
  if (data.length < MAGIC.length + 16 || !data.subarray(0, 4).equals(MAGIC)) return undefined
  const message = data.subarray(4, data.length - 16)
  if (!createHash('md5').update(message).digest().equals(data.subarray(data.length - 16))) return undefined
  try {
    const records: Buffer[] = []
    for (const field of fields(message)) {
      if (field.number !== 3 || field.bytes === undefined) continue
      const inner = fields(field.bytes).find((f) => f.number === 3 && f.bytes !== undefined)
      records.push(Buffer.from(inner?.bytes ?? Buffer.alloc(0)))
    }
    return records
  } catch {
    return undefined
  }
}

interface Field { number: number; bytes?: Buffer }

/** A protobuf message's fields (varints skipped over; length-delimited ones kept as bytes). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = []
  let at = 0
  const varint = (): number => {
    let value = 0
    let scale = 1
    for (;;) {
      if (at >= buf.length) throw new Error('truncated varint')
      const byte = buf[at++]!
      value += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return value
      scale *= 128
      if (scale > 2 ** 63) throw new Error('varint too long')
    }
  }
  while (at < buf.length) {
    const key = varint()
    const number = Math.floor(key / 8)
    const wire = key % 8
    if (wire === 0) varint()
    else if (wire === 2) {
      const length = varint()
      if (at + length > buf.length) throw new Error('truncated field')
      out.push({ number, bytes: buf.subarray(at, at + length) })
      at += length
    } else if (wire === 1) at += 8
    else if (wire === 5) at += 4
    else throw new Error(`wire type ${wire}`)
    if (at > buf.length) throw new Error('truncated field')
  }
  return out
}
