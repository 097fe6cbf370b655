// ImportTable, DescribeImport, ListImports: a new table (CreateTable's rules) filled from the objects
// under an S3 prefix, read through S3's port (imports.ts parses them). The items are written before
// the call answers; the import reads IN_PROGRESS, and the table CREATING, for the transition time.
import { randomBytes } from 'node:crypto'
import { AwsError } from '../../../protocol/errors.ts'
import type { S3Port } from '../../s3/port.ts'
import type { Operation, OperationContext } from '../../service.ts'
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { type ImportDefinition, importStatus, parseObject } from '../imports.ts'
import { jobPage } from '../jobs.ts'
import { limits } from '../limits.ts'
import type { DynamoState } from '../store.ts'
import { tableOperations } from './tables.ts'

// [R] the import calls' messages.
const importNotFound = (arn: string) => new AwsError('ImportNotFoundException', `Import not found: ${arn}`)

/** AWS logs an import's errors to this group (Nimbus writes none there: README, Gaps). */
const logGroupArn = (region: string, account: string) => `arn:aws:logs:${region}:${account}:log-group:/aws-dynamodb/imports:*`

function description(i: ImportDefinition, now: number): T.ImportTableDescription {
  const status = importStatus(i, now)
  const r = i.request as unknown as T.ImportTableInput
  return {
    ImportArn: i.arn, ImportStatus: status, TableArn: i.tableArn, TableId: i.tableId,
    ...(i.clientToken !== undefined && { ClientToken: i.clientToken }),
    S3BucketSource: r.S3BucketSource, ErrorCount: i.errors, CloudWatchLogGroupArn: logGroupArn(i.region, i.account),
    InputFormat: r.InputFormat, ...(r.InputFormatOptions !== undefined && { InputFormatOptions: r.InputFormatOptions }),
    InputCompressionType: r.InputCompressionType ?? 'NONE', TableCreationParameters: r.TableCreationParameters,
    StartTime: new Date(i.startTime), ...(status !== 'IN_PROGRESS' && { EndTime: new Date(i.startTime + limits.transitionMs) }),
    ProcessedSizeBytes: i.processedBytes, ProcessedItemCount: i.processedItems, ImportedItemCount: i.importedItems,
    ...(i.failure !== undefined && { FailureCode: i.failure.code, FailureMessage: i.failure.message }),
  }
}

export function importOperations(state: DynamoState, s3: S3Port | undefined) {
  const createTable = tableOperations(state).CreateTable
  const find = (arn: string, ctx: OperationContext) => {
    const i = state.imports.get(arn)
    if (i === undefined || i.account !== ctx.caller.account || i.region !== ctx.caller.region) throw importNotFound(arn)
    return i
  }

  const importTable: Operation<T.ImportTableInput, T.ImportTableOutput> = async (input, ctx) => {
    if (input.InputFormat === 'ION') throw dynamoErrors.validation('Nimbus does not serve InputFormat ION in ImportTable yet')
    if (s3 === undefined) throw dynamoErrors.validation('Nimbus does not serve ImportTable without S3')
    const { account, region } = ctx.caller
    const now = ctx.clock.now()
    if (input.ClientToken !== undefined) {
      const same = state.imports.list(account, region).find((i) => i.clientToken === input.ClientToken)
      if (same !== undefined) {
        if (JSON.stringify(same.request) !== JSON.stringify(input)) {
          throw new AwsError('IdempotentParameterMismatchException', 'ClientToken was used with different parameters') // [R]
        }
        return { ImportTableDescription: description(same, now) }
      }
    }
    const params = input.TableCreationParameters
    const delimiter = input.InputFormatOptions?.Csv?.Delimiter ?? ','
    // [R] AWS takes one of , \t : ; | and space.
    if (![',', '\t', ':', ';', '|', ' '].includes(delimiter)) throw dynamoErrors.validation(`Invalid delimiter: ${delimiter}`)
    const prefix = input.S3BucketSource.S3KeyPrefix ?? ''
    const bucketThere = s3.exists(input.S3BucketSource.S3Bucket)
    const id = `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`
    const def: ImportDefinition = {
      arn: '', account, region, tableArn: '', tableId: '', startTime: now, request: JSON.parse(JSON.stringify(input)) as Record<string, unknown>,
      processedBytes: 0, processedItems: 0, importedItems: 0, errors: 0,
      ...(input.ClientToken !== undefined && { clientToken: input.ClientToken }),
    }
    if (!bucketThere) {
      // [R] no table is created when the source bucket is missing; the code and message.
      def.tableArn = `arn:aws:dynamodb:${region}:${account}:table/${params.TableName}`
      def.failure = { code: 'S3NoSuchBucket', message: 'The specified bucket does not exist' }
    } else {
      const created = await createTable({
        TableName: params.TableName, AttributeDefinitions: params.AttributeDefinitions, KeySchema: params.KeySchema,
        ...(params.BillingMode !== undefined && { BillingMode: params.BillingMode }),
        ...(params.ProvisionedThroughput !== undefined && { ProvisionedThroughput: params.ProvisionedThroughput }),
        ...(params.GlobalSecondaryIndexes !== undefined && { GlobalSecondaryIndexes: params.GlobalSecondaryIndexes }),
        ...(params.SSESpecification !== undefined && { SSESpecification: params.SSESpecification }),
        ...(params.OnDemandThroughput !== undefined && { OnDemandThroughput: params.OnDemandThroughput }),
      } as T.CreateTableInput, ctx)
      const table = state.require(account, region, params.TableName)
      def.tableArn = created.TableDescription!.TableArn!
      def.tableId = table.def.id
      const types = new Map(params.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType as string]))
      for (const key of s3.listKeys(input.S3BucketSource.S3Bucket, prefix)) {
        const body = s3.getObject(input.S3BucketSource.S3Bucket, key).body
        def.processedBytes += body.length
        let parsed
        try {
          parsed = parseObject(body, { format: input.InputFormat as 'DYNAMODB_JSON' | 'CSV', compression: input.InputCompressionType ?? 'NONE', delimiter,
            ...(input.InputFormatOptions?.Csv?.HeaderList !== undefined && { header: input.InputFormatOptions.Csv.HeaderList }),
            key: table.def.key, types })
        } catch {
          // An object that does not decompress counts as one error. [R]
          def.errors++
          continue
        }
        def.processedItems += parsed.processed
        def.errors += parsed.errors
        for (const item of parsed.items) state.putItem(table, item)
        def.importedItems += parsed.items.length
      }
    }
    def.arn = `${def.tableArn}/import/${id}`
    state.imports.add(def)
    return { ImportTableDescription: description(def, now) }
  }

  const describeImport: Operation<T.DescribeImportInput, T.DescribeImportOutput> = (input, ctx) =>
    ({ ImportTableDescription: description(find(input.ImportArn, ctx), ctx.clock.now()) })

  const listImports: Operation<T.ListImportsInput, T.ListImportsOutput> = (input, ctx) => {
    if (input.PageSize !== undefined && (input.PageSize < 1 || input.PageSize > 25)) {
      throw dynamoErrors.constraint(input.PageSize, 'pageSize', `Member must have value ${input.PageSize < 1 ? 'greater than or equal to 1' : 'less than or equal to 25'}`)
    }
    const now = ctx.clock.now()
    const list = state.imports.list(ctx.caller.account, ctx.caller.region, input.TableArn)
    const { page, nextToken } = jobPage(list, input.NextToken, input.PageSize ?? 25)
    return {
      ImportSummaryList: page.map((i) => {
        const d = description(i, now)
        return { ImportArn: d.ImportArn, ImportStatus: d.ImportStatus, TableArn: d.TableArn, S3BucketSource: d.S3BucketSource,
          CloudWatchLogGroupArn: d.CloudWatchLogGroupArn, InputFormat: d.InputFormat, StartTime: d.StartTime, ...(d.EndTime !== undefined && { EndTime: d.EndTime }) }
      }),
      ...(nextToken !== undefined && { NextToken: nextToken }),
    }
  }

  return { ImportTable: importTable, DescribeImport: describeImport, ListImports: listImports }
}
