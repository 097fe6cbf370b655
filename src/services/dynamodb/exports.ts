// Exports to S3 (ExportTableToPointInTime): the table's items at an instant (full) or its changes in a
// window (incremental), written through S3's port in AWS's layout — `<prefix>/AWSDynamoDB/<exportId>/`
// with `_started`, `data/<random>.json.gz` (one `{"Item":…}` line per item), `manifest-files.json`
// and `manifest-summary.json`. IN_PROGRESS for the transition time on the clock, COMPLETED after.
import { createHash, randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import type { S3Port } from '../s3/port.ts'
import { type Item, itemSize, toJsonItem } from './attribute-value.ts'
import type { DynamoRows, ExportDefinition } from './dynamodb-rows.ts'
import { Jobs } from './jobs.ts'
import { limits } from './limits.ts'

export type { ExportDefinition }

export type ExportStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED'

export function exportStatus(e: ExportDefinition, now: number): ExportStatus {
  if (e.failure !== undefined) return 'FAILED'
  return now < e.startTime + limits.transitionMs ? 'IN_PROGRESS' : 'COMPLETED'
}

/** The export's folder: `<prefix>/AWSDynamoDB/<exportId>` (no leading slash without a prefix). */
export function exportDir(e: Pick<ExportDefinition, 'prefix' | 'id'>): string {
  const prefix = e.prefix === undefined || e.prefix === '' ? '' : `${e.prefix.replace(/\/+$/, '')}/`
  return `${prefix}AWSDynamoDB/${e.id}`
}

/** One incremental change: the key, the item after it (none when deleted) and before it. */
export interface ExportChange {
  keys: Item
  newImage?: Item
  oldImage?: Item
  at: number
}

/** The account's exports by ARN. */
export class Exports extends Jobs<ExportDefinition> {
  constructor(rows: DynamoRows | undefined) {
    super((def) => rows?.exportRow(def))
  }
}

/** A new export's id as AWS forms it: `<14-digit ms>-<8 hex>`. */
export function newExportId(now: number): string {
  return `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`
}

/** Writes the export's objects; on an S3 failure records FailureCode/FailureMessage instead. */
export async function writeExport(s3: S3Port, e: ExportDefinition, lines: string[], end: number): Promise<void> {
  const dir = exportDir(e)
  const put = (key: string, body: Buffer | string, contentType?: string) =>
    s3.putObject(e.bucket, key, typeof body === 'string' ? Buffer.from(body) : body, contentType === undefined ? undefined : { contentType })
  await put(`${dir}/_started`, '')
  // One data file (AWS writes at least one per partition; a table here is one partition's worth).
  const dataKey = `${dir}/data/${base32Name()}.json.gz`
  const gz = gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join('')))
  const { etag } = await put(dataKey, gz)
  const files = `${JSON.stringify({ itemCount: lines.length, md5Checksum: createHash('md5').update(gz).digest('base64'), etag: etag.replaceAll('"', ''), dataFileS3Key: dataKey })}\n`
  await put(`${dir}/manifest-files.json`, files)
  await put(`${dir}/manifest-files.checksum`, createHash('md5').update(files).digest('hex'))
  const summary = JSON.stringify({
    version: e.type === 'INCREMENTAL_EXPORT' ? '2023-08-01' : '2020-06-30',
    exportArn: e.arn, startTime: new Date(e.startTime).toISOString(), endTime: new Date(end).toISOString(),
    tableArn: e.tableArn, tableId: e.tableId,
    ...(e.type === 'INCREMENTAL_EXPORT'
      ? { exportFromTime: new Date(e.incremental!.from).toISOString(), exportToTime: new Date(e.incremental!.to).toISOString() }
      : { exportTime: new Date(e.exportTime).toISOString() }),
    s3Bucket: e.bucket, s3Prefix: e.prefix ?? null, s3SseAlgorithm: e.sse ?? 'AES256', s3SseKmsKeyId: e.kmsKeyId ?? null,
    manifestFilesS3Key: `${dir}/manifest-files.json`, billedSizeBytes: e.billedBytes, itemCount: e.itemCount,
    outputFormat: e.format, ...(e.type === 'INCREMENTAL_EXPORT' && { outputView: e.incremental!.viewType }), exportType: e.type,
  })
  await put(`${dir}/manifest-summary.json`, summary)
  await put(`${dir}/manifest-summary.checksum`, createHash('md5').update(summary).digest('hex'))
}

/** A data file's name as AWS's look: 26 lower-case base32 characters (`bafybeiczss3yxay3o4abnabbb`). */
function base32Name(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  return [...randomBytes(26)].map((b) => alphabet[b & 31]).join('')
}

/** A full export's lines: `{"Item":{…}}` in DynamoDB JSON. */
export function fullLines(items: Item[]): { lines: string[]; bytes: number } {
  return { lines: items.map((i) => JSON.stringify({ Item: toJsonItem(i) })), bytes: items.reduce((n, i) => n + itemSize(i), 0) }
}

/**
 * An incremental export's lines, AWS's shape: `{"Metadata":{"WriteTimestampMicros":{"N":…}},"Keys":…,
 * "NewImage":…,"OldImage":…}` — NewImage absent for a deleted item, OldImage only in NEW_AND_OLD_IMAGES.
 */
export function incrementalLines(changes: ExportChange[], withOld: boolean): { lines: string[]; bytes: number } {
  let bytes = 0
  const lines = changes.map((c) => {
    bytes += itemSize(c.keys) + (c.newImage === undefined ? 0 : itemSize(c.newImage)) + (withOld && c.oldImage !== undefined ? itemSize(c.oldImage) : 0)
    return JSON.stringify({
      Metadata: { WriteTimestampMicros: { N: String(c.at * 1000) } }, Keys: toJsonItem(c.keys),
      ...(c.newImage !== undefined && { NewImage: toJsonItem(c.newImage) }),
      ...(withOld && c.oldImage !== undefined && { OldImage: toJsonItem(c.oldImage) }),
    })
  })
  return { lines, bytes }
}
