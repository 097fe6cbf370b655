// ExportTableToPointInTime, DescribeExport, ListExports: a table with point-in-time recovery on is
// exported (full, at an instant; or incremental, its changes in a window) to an S3 bucket through S3's
// port, in AWS's layout (exports.ts). The objects are written before the call answers; the export
// reads IN_PROGRESS for the transition time on the clock, then COMPLETED.
import { AwsError } from '../../../protocol/errors.ts'
import type { S3Port } from '../../s3/port.ts'
import type { Operation, OperationContext } from '../../service.ts'
import { dynamoErrors } from '../errors.ts'
import { type ExportDefinition, exportDir, exportStatus, fullLines, incrementalLines, newExportId, writeExport } from '../exports.ts'
import type * as T from '../generated/types.ts'
import { keyOf } from '../keys.ts'
import { jobPage } from '../jobs.ts'
import { limits } from '../limits.ts'
import { latestLagMs } from '../pitr.ts'
import type { DynamoState } from '../store.ts'

// [R] the export calls' messages.
const exportNotFound = (arn: string) => new AwsError('ExportNotFoundException', `Export not found: ${arn}`)
const invalidTime = (message: string) => new AwsError('InvalidExportTimeException', message)

function description(e: ExportDefinition, now: number): T.ExportDescription {
  const status = exportStatus(e, now)
  return {
    ExportArn: e.arn, ExportStatus: status, StartTime: new Date(e.startTime),
    ...(status !== 'IN_PROGRESS' && { EndTime: new Date(e.startTime + limits.transitionMs) }),
    ...(status === 'COMPLETED' && { ExportManifest: `${exportDir(e)}/manifest-summary.json` }),
    TableArn: e.tableArn, TableId: e.tableId,
    ...(e.type === 'FULL_EXPORT' && { ExportTime: new Date(e.exportTime) }),
    ...(e.clientToken !== undefined && { ClientToken: e.clientToken }),
    S3Bucket: e.bucket, ...(e.bucketOwner !== undefined && { S3BucketOwner: e.bucketOwner }),
    ...(e.prefix !== undefined && { S3Prefix: e.prefix }), S3SseAlgorithm: (e.sse ?? 'AES256') as T.S3SseAlgorithm,
    ...(e.kmsKeyId !== undefined && { S3SseKmsKeyId: e.kmsKeyId }),
    ...(e.failure !== undefined && { FailureCode: e.failure.code, FailureMessage: e.failure.message }),
    ExportFormat: e.format, ExportType: e.type,
    ...(status === 'COMPLETED' && { BilledSizeBytes: e.billedBytes, ItemCount: e.itemCount }),
    ...(e.incremental !== undefined && { IncrementalExportSpecification: {
      ExportFromTime: new Date(e.incremental.from), ExportToTime: new Date(e.incremental.to), ExportViewType: e.incremental.viewType,
    } }),
  }
}

export function exportOperations(state: DynamoState, s3: S3Port | undefined) {
  const find = (arn: string, ctx: OperationContext) => {
    const e = state.exports.get(arn)
    if (e === undefined || e.account !== ctx.caller.account || e.region !== ctx.caller.region) throw exportNotFound(arn)
    return e
  }

  const exportTable: Operation<T.ExportTableToPointInTimeInput, T.ExportTableToPointInTimeOutput> = async (input, ctx) => {
    if (input.ExportFormat === 'ION') throw dynamoErrors.validation('Nimbus does not serve ExportFormat ION in ExportTableToPointInTime yet')
    if (s3 === undefined) throw dynamoErrors.validation('Nimbus does not serve ExportTableToPointInTime without S3')
    const now = ctx.clock.now()
    const table = state.find(ctx.caller.account, ctx.caller.region, input.TableArn)
    // [R] TableNotFoundException as for the backup calls.
    if (table === undefined || table.def.goneAt !== undefined || !input.TableArn.startsWith('arn:')) {
      throw new AwsError('TableNotFoundException', `Table not found: ${input.TableArn}`)
    }
    if (input.ClientToken !== undefined) {
      const same = state.exports.list(ctx.caller.account, ctx.caller.region).find((e) => e.clientToken === input.ClientToken && e.tableArn === table.arn)
      if (same !== undefined) return { ExportDescription: description(same, now) }
    }
    const earliest = state.pitr.earliest(table.def.id, now)
    // [R] the message when point-in-time recovery is off (the restore calls' wording).
    if (earliest === undefined) throw new AwsError('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${table.name}'`)
    const type = input.ExportType ?? 'FULL_EXPORT'
    const id = newExportId(now)
    const base: ExportDefinition = {
      arn: `${table.arn}/export/${id}`, id, account: ctx.caller.account, region: ctx.caller.region, tableArn: table.arn, tableId: table.def.id,
      startTime: now, exportTime: now, bucket: input.S3Bucket, format: input.ExportFormat ?? 'DYNAMODB_JSON', type, itemCount: 0, billedBytes: 0,
      ...(input.ClientToken !== undefined && { clientToken: input.ClientToken }),
      ...(input.S3BucketOwner !== undefined && { bucketOwner: input.S3BucketOwner }),
      ...(input.S3Prefix !== undefined && { prefix: input.S3Prefix }),
      ...(input.S3SseAlgorithm !== undefined && { sse: input.S3SseAlgorithm }),
      ...(input.S3SseKmsKeyId !== undefined && { kmsKeyId: input.S3SseKmsKeyId }),
    }
    let out: { lines: string[]; bytes: number }
    if (type === 'FULL_EXPORT') {
      if (input.IncrementalExportSpecification !== undefined) {
        throw dynamoErrors.validation('IncrementalExportSpecification can only be used with ExportType INCREMENTAL_EXPORT') // [R]
      }
      const at = input.ExportTime?.getTime() ?? now
      // [R] the window's wording.
      if (at < earliest || at > now) throw invalidTime('ExportTime must be within the point in time recovery window of the table')
      base.exportTime = at
      out = fullLines(state.pitr.itemsAt(table.def.id, at))
    } else {
      if (input.ExportTime !== undefined) throw dynamoErrors.validation('ExportTime cannot be used with ExportType INCREMENTAL_EXPORT') // [R]
      const spec = input.IncrementalExportSpecification
      const from = spec?.ExportFromTime?.getTime()
      if (from === undefined) throw dynamoErrors.validation('IncrementalExportSpecification.ExportFromTime must be specified') // [R]
      const to = spec?.ExportToTime?.getTime() ?? Math.max(earliest, now - latestLagMs)
      // AWS: the window is 15 minutes to 24 hours long, inside the PITR window. [R] the wording.
      if (from < earliest || to > now) throw invalidTime('Incremental export period must be within the point in time recovery window of the table')
      if (to - from < 15 * 60_000) throw invalidTime('Incremental export period must be at least 15 minutes')
      if (to - from > 24 * 60 * 60_000) throw invalidTime('Incremental export period must be at most 24 hours')
      const viewType = spec?.ExportViewType ?? 'NEW_AND_OLD_IMAGES'
      base.exportTime = to
      base.incremental = { from, to, viewType }
      out = incrementalLines(state.pitr.changesIn(table.def.id, from, to, (i) => keyOf(table.def.key, i)), viewType === 'NEW_AND_OLD_IMAGES')
    }
    base.itemCount = out.lines.length
    base.billedBytes = out.bytes
    if (!s3.exists(base.bucket)) {
      // [R] the code and message AWS records for a missing bucket.
      base.failure = { code: 'S3NoSuchBucket', message: 'The specified bucket does not exist' }
    } else {
      try {
        await writeExport(s3, base, out.lines, now + limits.transitionMs)
      } catch (err) {
        base.failure = { code: 'S3AccessDenied', message: err instanceof Error ? err.message : String(err) } // [R]
      }
    }
    state.exports.add(base)
    return { ExportDescription: description(base, now) }
  }

  const describeExport: Operation<T.DescribeExportInput, T.DescribeExportOutput> = (input, ctx) =>
    ({ ExportDescription: description(find(input.ExportArn, ctx), ctx.clock.now()) })

  const listExports: Operation<T.ListExportsInput, T.ListExportsOutput> = (input, ctx) => {
    if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 25)) {
      throw dynamoErrors.constraint(input.MaxResults, 'maxResults', `Member must have value ${input.MaxResults < 1 ? 'greater than or equal to 1' : 'less than or equal to 25'}`)
    }
    const now = ctx.clock.now()
    const list = state.exports.list(ctx.caller.account, ctx.caller.region, input.TableArn)
    const { page, nextToken } = jobPage(list, input.NextToken, input.MaxResults ?? 25)
    return {
      ExportSummaries: page.map((e) => ({ ExportArn: e.arn, ExportStatus: exportStatus(e, now), ExportType: e.type })),
      ...(nextToken !== undefined && { NextToken: nextToken }),
    }
  }

  return { ExportTableToPointInTime: exportTable, DescribeExport: describeExport, ListExports: listExports }
}
