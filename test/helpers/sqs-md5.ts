// AWS's message-attribute digest, written independently of src/ so tests check the server against the spec (§1.6).
import { createHash } from 'node:crypto'

export interface AttributeValue {
  DataType: string
  StringValue?: string
  BinaryValue?: Uint8Array | string
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex')
}

/** Names sorted; per attribute: len+name, len+type, transport byte (1 string, 2 binary), len+value bytes. */
export function attributesMd5(attributes: Record<string, AttributeValue>): string {
  const parts: Buffer[] = []
  const prefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    parts.push(length, bytes)
  }
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!
    prefixed(Buffer.from(name, 'utf8'))
    prefixed(Buffer.from(value.DataType, 'utf8'))
    const binary = value.DataType.startsWith('Binary')
    parts.push(Buffer.of(binary ? 2 : 1))
    prefixed(binary ? Buffer.from(value.BinaryValue as Uint8Array) : Buffer.from(value.StringValue ?? '', 'utf8'))
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex')
}
