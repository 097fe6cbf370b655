// Snappy compression, written here (no dependency): the raw block format with a greedy hash
// matcher, the framing format Firehose's `Snappy` writes (stream identifier, chunks with masked
// CRC-32C) and Hadoop's block format (`HADOOP_SNAPPY`). Decoding is here for tests and readers.

const maxOffset = 65_535
const hashBits = 14

/** Writes into a buffer sized for the worst case (all literals), as the reference implementation bounds it. */
class Output {
  readonly buf: Buffer
  pos = 0
  constructor(inputLength: number) {
    this.buf = Buffer.allocUnsafe(32 + inputLength + Math.ceil(inputLength / 6))
  }
  byte(b: number): void {
    this.buf[this.pos++] = b
  }
  varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n & 0x7f) | 0x80)
      n = Math.floor(n / 128)
    }
    this.byte(n)
  }
  literal(input: Buffer, from: number, to: number): void {
    const n = to - from - 1
    if (n < 60) this.byte(n << 2)
    else if (n < 0x100) { this.byte(60 << 2); this.byte(n) }
    else if (n < 0x10000) { this.byte(61 << 2); this.byte(n & 0xff); this.byte(n >>> 8) }
    else { this.byte(62 << 2); this.byte(n & 0xff); this.byte((n >>> 8) & 0xff); this.byte(n >>> 16) }
    this.pos += input.copy(this.buf, this.pos, from, to)
  }
  copy(offset: number, length: number): void {
    while (length > 0) {
      // A copy with a 2-byte offset: tag 2, length 1–64.
      const n = Math.min(length, 64)
      this.byte(((n - 1) << 2) | 2)
      this.byte(offset & 0xff)
      this.byte(offset >>> 8)
      length -= n
    }
  }
}

/** One raw Snappy block (the format inside both framings): literals and copies found by a 4-byte hash. */
export function snappyCompress(input: Buffer): Buffer {
  const out = new Output(input.length)
  out.varint(input.length)
  const table = new Int32Array(1 << hashBits).fill(-1)
  let pending = 0
  let i = 0
  while (i + 4 <= input.length) {
    const word = input.readUInt32LE(i)
    const h = Math.imul(word, 0x1e35a7bd) >>> (32 - hashBits)
    const candidate = table[h]!
    table[h] = i
    if (candidate >= 0 && i - candidate <= maxOffset && input.readUInt32LE(candidate) === word) {
      let length = 4
      while (i + length < input.length && input[candidate + length] === input[i + length]) length++
      if (pending < i) out.literal(input, pending, i)
      out.copy(i - candidate, length)
      i += length
      pending = i
      continue
    }
    i++
  }
  if (pending < input.length) out.literal(input, pending, input.length)
  return out.buf.subarray(0, out.pos)
}

export function snappyDecompress(block: Buffer): Buffer {
  let pos = 0
  let length = 0
  for (let shift = 0; ; shift += 7) {
    const b = block[pos++]!
    length |= (b & 0x7f) << shift
    if (b < 0x80) break
  }
  const out = Buffer.alloc(length)
  let o = 0
  while (pos < block.length) {
    const tag = block[pos++]!
    if ((tag & 3) === 0) {
      let n = tag >>> 2
      if (n >= 60) {
        const bytes = n - 59
        n = 0
        for (let k = 0; k < bytes; k++) n |= block[pos++]! << (8 * k)
      }
      block.copy(out, o, pos, pos + n + 1)
      pos += n + 1
      o += n + 1
      continue
    }
    let len: number
    let offset: number
    if ((tag & 3) === 1) {
      len = ((tag >>> 2) & 7) + 4
      offset = ((tag >>> 5) << 8) | block[pos++]!
    } else if ((tag & 3) === 2) {
      len = (tag >>> 2) + 1
      offset = block.readUInt16LE(pos)
      pos += 2
    } else {
      len = (tag >>> 2) + 1
      offset = block.readUInt32LE(pos)
      pos += 4
    }
    for (let k = 0; k < len; k++, o++) out[o] = out[o - offset]!
  }
  return out
}

const crcTable = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32C (Castagnoli), as the framing format checksums each chunk's uncompressed data. */
export function crc32c(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

const masked = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0

/** The framing format: `0xff 06 00 00 sNaPpY`, then compressed chunks (type 0) of at most 64 KiB of input. */
export function snappyFrame(input: Buffer): Buffer {
  const chunks: Buffer[] = [Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59])]
  for (let i = 0; i < input.length; i += 65_536) {
    const piece = input.subarray(i, i + 65_536)
    const body = snappyCompress(piece)
    const header = Buffer.alloc(8)
    const size = body.length + 4
    header.writeUInt8(0x00, 0)
    header.writeUIntLE(size, 1, 3)
    header.writeUInt32LE(masked(crc32c(piece)), 4)
    chunks.push(header, body)
  }
  return Buffer.concat(chunks)
}

export function snappyUnframe(stream: Buffer): Buffer {
  const out: Buffer[] = []
  let pos = 0
  while (pos < stream.length) {
    const type = stream[pos]!
    const size = stream.readUIntLE(pos + 1, 3)
    const body = stream.subarray(pos + 4, pos + 4 + size)
    if (type === 0x00) out.push(snappyDecompress(body.subarray(4)))
    else if (type === 0x01) out.push(body.subarray(4))
    pos += 4 + size
  }
  return Buffer.concat(out)
}

/** Hadoop's SnappyCodec blocks: 4-byte big-endian raw length, then 4-byte length + raw Snappy block (256 KiB of input each). */
export function hadoopSnappy(input: Buffer): Buffer {
  const chunks: Buffer[] = []
  for (let i = 0; i < input.length || i === 0; i += 262_144) {
    const piece = input.subarray(i, i + 262_144)
    const body = snappyCompress(piece)
    const header = Buffer.alloc(8)
    header.writeUInt32BE(piece.length, 0)
    header.writeUInt32BE(body.length, 4)
    chunks.push(header, body)
    if (input.length === 0) break
  }
  return Buffer.concat(chunks)
}
