// Imports from S3 (ImportTable): every object under the bucket's key prefix, DynamoDB JSON lines
// (`{"Item":{…}}`) or CSV (a header line or HeaderList, a delimiter; key attributes typed by the
// AttributeDefinitions, every other value a String, as AWS imports CSV), GZIP, ZSTD or uncompressed.
// A line that does not parse or is not a valid item counts in ErrorCount and is skipped.
import { gunzipSync } from 'node:zlib'
import * as zlib from 'node:zlib'
import { csvRows } from '../../core/csv.ts'
import { fromJsonItem, type Item, itemSize, validateItem } from './attribute-value.ts'
import type { DynamoRows, ImportDefinition } from './dynamodb-rows.ts'
import { checkItemKey, type KeySchema } from './keys.ts'
import { Jobs } from './jobs.ts'
import { limits } from './limits.ts'

export type { ImportDefinition }

export function importStatus(i: ImportDefinition, now: number): 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' {
  if (i.failure !== undefined) return 'FAILED'
  return now < i.startTime + limits.transitionMs ? 'IN_PROGRESS' : 'COMPLETED'
}

/** The account's imports by ARN. */
export class Imports extends Jobs<ImportDefinition> {
  constructor(rows: DynamoRows | undefined) {
    super((def) => rows?.importRow(def))
  }
}

export interface ParseOptions {
  format: 'DYNAMODB_JSON' | 'CSV'
  compression: 'GZIP' | 'ZSTD' | 'NONE'
  delimiter: string
  header?: string[]
  key: KeySchema
  types: Map<string, string>
}

/** One object's items; `errors` counts the lines that were not valid items. */
export function parseObject(body: Buffer, o: ParseOptions): { items: Item[]; processed: number; errors: number } {
  const text = decompress(body, o.compression).toString('utf8')
  const items: Item[] = []
  let processed = 0
  let errors = 0
  const accept = (build: () => Item) => {
    processed++
    try {
      const item = build()
      validateItem(item)
      checkItemKey(o.key, item)
      if (itemSize(item) > limits.maxItemBytes) throw new Error('item too large')
      items.push(item)
    } catch {
      errors++
    }
  }
  if (o.format === 'DYNAMODB_JSON') {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue
      accept(() => {
        const parsed = JSON.parse(line) as { Item?: Record<string, Record<string, unknown>> }
        if (typeof parsed?.Item !== 'object' || parsed.Item === null) throw new Error('no Item')
        return fromJsonItem(parsed.Item)
      })
    }
    return { items, processed, errors }
  }
  const rows = csvRows(text, o.delimiter)
  const header = o.header ?? rows.shift()
  if (header === undefined) return { items, processed, errors }
  for (const row of rows) {
    if (row.length === 1 && row[0] === '') continue
    accept(() => {
      if (row.length > header.length) throw new Error('too many values')
      const item: Item = {}
      header.forEach((name, n) => {
        const value = row[n]
        if (value === undefined || value === '') return
        const type = o.types.get(name)
        item[name] = type === 'N' ? { N: value } : type === 'B' ? { B: Buffer.from(value, 'base64') } : { S: value }
      })
      return item
    })
  }
  return { items, processed, errors }
}

function decompress(body: Buffer, compression: ParseOptions['compression']): Buffer {
  if (compression === 'GZIP') return gunzipSync(body)
  if (compression === 'ZSTD') {
    const zstd = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync
    if (zstd === undefined) throw new Error('ZSTD is not available')
    return zstd(body)
  }
  return body
}
