// CompressionFormat applied to a delivered object, and the file extension it implies.
import { crc32, deflateRawSync, gzipSync } from 'node:zlib'
import type { CompressionFormat } from './generated/types.ts'
import { hadoopSnappy, snappyFrame } from './snappy.ts'

/** [R] The extensions Firehose appends when FileExtension is not set. */
const extensions: Record<CompressionFormat, string> = { UNCOMPRESSED: '', GZIP: '.gz', ZIP: '.zip', Snappy: '.snappy', HADOOP_SNAPPY: '.hsnappy' }

export function fileExtension(format: CompressionFormat, custom: string | undefined): string {
  return custom !== undefined && custom !== '' ? custom : extensions[format]
}

export function compress(format: CompressionFormat, body: Buffer, entryName: string): Buffer {
  switch (format) {
    case 'GZIP': return gzipSync(body)
    case 'ZIP': return zip(entryName, body)
    case 'Snappy': return snappyFrame(body)
    case 'HADOOP_SNAPPY': return hadoopSnappy(body)
    default: return body
  }
}

/** A ZIP archive holding one deflated entry ([R]: the entry is named after the object). */
function zip(name: string, body: Buffer): Buffer {
  const fileName = Buffer.from(name, 'utf8')
  const data = deflateRawSync(body)
  const crc = crc32(body)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(0x0800, 6) // UTF-8 names
  local.writeUInt16LE(8, 8) // deflate
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt32LE(body.length, 22)
  local.writeUInt16LE(fileName.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(0x0800, 8)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt32LE(body.length, 24)
  central.writeUInt16LE(fileName.length, 28)
  const directoryOffset = local.length + fileName.length + data.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + fileName.length, 12)
  end.writeUInt32LE(directoryOffset, 16)
  return Buffer.concat([local, fileName, data, central, fileName, end])
}
