// ImportTable, DescribeImport, ListImports: a new table filled from S3 objects (DynamoDB JSON — an
// export's own data files — and CSV with a header or HeaderList and a delimiter), counts and errors.
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { describe, it } from 'node:test'
import {
  DescribeImportCommand, DescribeTableCommand, ExportTableToPointInTimeCommand, GetItemCommand, ImportTableCommand, ListImportsCommand,
  PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { activeTable, dynamoClient, transitionMs } from '../../helpers/dynamodb.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const keyed = { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }, { AttributeName: 'sk', AttributeType: 'N' as const }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }], BillingMode: 'PAY_PER_REQUEST' as const }

describe('DynamoDB imports from S3', () => {
  it('imports an export of another table (DynamoDB JSON, GZIP) into a new table', async () => {
    const db = dynamoClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('imp')
    await s3.send(new CreateBucketCommand({ Bucket }))
    const source = await activeTable(nimbus.current, db)
    await db.send(new UpdateContinuousBackupsCommand({ TableName: source, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    for (const pk of ['a', 'b', 'c']) await db.send(new PutItemCommand({ TableName: source, Item: { pk: { S: pk }, sk: { N: '1' }, bin: { B: Buffer.from(pk) } } }))
    const exported = await db.send(new ExportTableToPointInTimeCommand({ TableArn: `arn:aws:dynamodb:us-east-1:000000000000:table/${source}`, S3Bucket: Bucket }))
    const id = exported.ExportDescription!.ExportArn!.split('/').pop()

    const TableName = uniqueName('imported')
    const { ImportTableDescription: started } = await db.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: Bucket, S3KeyPrefix: `AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
      TableCreationParameters: { TableName, ...keyed }, ClientToken: 'imp-1',
    }))
    assert.equal(started?.ImportStatus, 'IN_PROGRESS')
    assert.match(started!.ImportArn!, new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}/import/\\d{14}-[0-9a-f]{8}$`))
    assert.equal((await db.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus, 'CREATING')
    // The table exists now: a second import into it is refused.
    const dup = await sdkError(db.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: Bucket }, InputFormat: 'DYNAMODB_JSON',
      TableCreationParameters: { TableName, ...keyed } })))
    assert.equal(dup.name, 'ResourceInUseException')
    await advance(nimbus.current, transitionMs)
    const { ImportTableDescription: done } = await db.send(new DescribeImportCommand({ ImportArn: started!.ImportArn! }))
    assert.equal(done?.ImportStatus, 'COMPLETED')
    assert.deepEqual([done?.ProcessedItemCount, done?.ImportedItemCount, done?.ErrorCount], [3, 3, 0])
    assert.equal(done?.CloudWatchLogGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws-dynamodb/imports:*')
    const got = await db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'b' }, sk: { N: '1' } } }))
    assert.equal(Buffer.from(got.Item!.bin!.B!).toString(), 'b')
    const listed = await db.send(new ListImportsCommand({ TableArn: done!.TableArn! }))
    assert.deepEqual(listed.ImportSummaryList?.map((i) => [i.ImportArn, i.ImportStatus, i.InputFormat]), [[started!.ImportArn, 'COMPLETED', 'DYNAMODB_JSON']])
    assert.equal((await sdkError(db.send(new DescribeImportCommand({ ImportArn: `${started!.ImportArn}0` })))).name, 'ImportNotFoundException')
    db.destroy()
    s3.destroy()
  })

  it('imports CSV with a header line or a HeaderList and a delimiter, counting bad lines', async () => {
    const db = dynamoClient(nimbus.current)
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('csv')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'csv/one.csv', Body: 'pk,sk,note\na,1,"hello, world"\nb,2,plain\n,3,no key\n' }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'csv/two.csv', Body: 'c,3,x\n' }))
    const TableName = uniqueName('csv')
    const first = await db.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: Bucket, S3KeyPrefix: 'csv/one' }, InputFormat: 'CSV',
      TableCreationParameters: { TableName, ...keyed } }))
    assert.deepEqual([first.ImportTableDescription?.ProcessedItemCount, first.ImportTableDescription?.ImportedItemCount, first.ImportTableDescription?.ErrorCount], [3, 2, 1])
    await advance(nimbus.current, transitionMs)
    const a = await db.send(new GetItemCommand({ TableName, Key: { pk: { S: 'a' }, sk: { N: '1' } } }))
    assert.deepEqual(a.Item, { pk: { S: 'a' }, sk: { N: '1' }, note: { S: 'hello, world' } })

    await s3.send(new PutObjectCommand({ Bucket, Key: 'pipes/x.csv.gz', Body: gzipSync('d|4|y\ne|5|z\n') }))
    const piped = uniqueName('pipes')
    await db.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: Bucket, S3KeyPrefix: 'pipes/' }, InputFormat: 'CSV', InputCompressionType: 'GZIP',
      InputFormatOptions: { Csv: { Delimiter: '|', HeaderList: ['pk', 'sk', 'v'] } }, TableCreationParameters: { TableName: piped, ...keyed } }))
    await advance(nimbus.current, transitionMs)
    const scanned = await db.send(new ScanCommand({ TableName: piped }))
    assert.deepEqual(scanned.Items?.map((i) => `${i.pk?.S}${i.sk?.N}${i.v?.S}`).sort(), ['d4y', 'e5z'])

    const failed = await db.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: 'no-such-bucket-x' }, InputFormat: 'CSV',
      TableCreationParameters: { TableName: uniqueName('none'), ...keyed } }))
    assert.equal(failed.ImportTableDescription?.ImportStatus, 'FAILED')
    assert.equal(failed.ImportTableDescription?.FailureCode, 'S3NoSuchBucket')
    db.destroy()
    s3.destroy()
  })

  it('keeps imports across a restart', async () => {
    const n = await durableNimbus('dynamodb-imports')
    let db = dynamoClient(n.nimbus)
    const s3 = s3Client(n.nimbus)
    const Bucket = bucketName('dur')
    await s3.send(new CreateBucketCommand({ Bucket }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'items.json', Body: '{"Item":{"pk":{"S":"k"},"sk":{"N":"1"}}}\n' }))
    s3.destroy()
    const { ImportTableDescription } = await db.send(new ImportTableCommand({ S3BucketSource: { S3Bucket: Bucket }, InputFormat: 'DYNAMODB_JSON',
      TableCreationParameters: { TableName: uniqueName('dur'), ...keyed } }))
    db.destroy()
    await n.restart()
    db = dynamoClient(n.nimbus)
    await advance(n.nimbus, transitionMs)
    const described = await db.send(new DescribeImportCommand({ ImportArn: ImportTableDescription!.ImportArn! }))
    assert.equal(described.ImportTableDescription?.ImportStatus, 'COMPLETED')
    assert.equal(described.ImportTableDescription?.ImportedItemCount, 1)
    db.destroy()
    await n.stop()
  })
})
