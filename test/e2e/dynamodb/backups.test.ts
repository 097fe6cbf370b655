// On-demand backups (create, describe, list, delete, restore) and point-in-time recovery on the clock
// (the window, restoring the table as it was at an instant), both kept across a restart on a data dir.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateBackupCommand, DeleteBackupCommand, DeleteItemCommand, DescribeBackupCommand, DescribeContinuousBackupsCommand, DescribeTableCommand,
  GetItemCommand, ListBackupsCommand, PutItemCommand, RestoreTableFromBackupCommand, RestoreTableToPointInTimeCommand, ScanCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb'
import { activeTable, dynamoClient, transitionMs } from '../../helpers/dynamodb.ts'
import { durableNimbus } from '../../helpers/durable-nimbus.ts'
import { advance, useNimbus } from '../../helpers/nimbus.ts'
import { sdkError } from '../../helpers/sdk-error.ts'

const nimbus = useNimbus()
const item = (pk: string, v: string) => ({ pk: { S: pk }, sk: { N: '1' }, v: { S: v } })

describe('DynamoDB on-demand backups', () => {
  it('backs a table up and restores it into a new table', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db, {
      GlobalSecondaryIndexes: [{ IndexName: 'by-v', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'v', AttributeType: 'S' }],
    })
    await db.send(new PutItemCommand({ TableName, Item: item('a', 'one') }))
    await db.send(new PutItemCommand({ TableName, Item: item('b', 'two') }))
    const { BackupDetails } = await db.send(new CreateBackupCommand({ TableName, BackupName: 'nightly' }))
    assert.equal(BackupDetails?.BackupStatus, 'CREATING')
    assert.match(BackupDetails!.BackupArn!, new RegExp(`^arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}/backup/\\d{14}-[0-9a-f]{8}$`))
    const BackupArn = BackupDetails!.BackupArn!
    // Written after the backup: not in it.
    await db.send(new PutItemCommand({ TableName, Item: item('c', 'three') }))
    assert.equal((await sdkError(db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: `${TableName}-copy` })))).name, 'BackupInUseException')
    await advance(nimbus.current, transitionMs)

    const described = await db.send(new DescribeBackupCommand({ BackupArn }))
    assert.equal(described.BackupDescription?.BackupDetails?.BackupStatus, 'AVAILABLE')
    assert.equal(described.BackupDescription?.SourceTableDetails?.ItemCount, 2)
    assert.equal(described.BackupDescription?.SourceTableFeatureDetails?.GlobalSecondaryIndexes?.[0]?.IndexName, 'by-v')
    const listed = await db.send(new ListBackupsCommand({ TableName }))
    assert.deepEqual(listed.BackupSummaries?.map((b) => [b.BackupName, b.BackupStatus, b.BackupType]), [['nightly', 'AVAILABLE', 'USER']])

    const restored = await db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: `${TableName}-copy` }))
    assert.equal(restored.TableDescription?.TableStatus, 'CREATING')
    assert.equal(restored.TableDescription?.RestoreSummary?.SourceBackupArn, BackupArn)
    assert.equal(restored.TableDescription?.RestoreSummary?.RestoreInProgress, true)
    assert.equal((await sdkError(db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: TableName })))).name, 'TableAlreadyExistsException')
    await advance(nimbus.current, transitionMs)
    const copy = await db.send(new DescribeTableCommand({ TableName: `${TableName}-copy` }))
    assert.equal(copy.Table?.TableStatus, 'ACTIVE')
    assert.equal(copy.Table?.RestoreSummary?.RestoreInProgress, false)
    assert.equal(copy.Table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 2)
    const scanned = await db.send(new ScanCommand({ TableName: `${TableName}-copy` }))
    assert.deepEqual(scanned.Items?.map((i) => i.pk?.S).sort(), ['a', 'b'])

    // An index override keeps only the indexes it lists.
    const bare = await db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: `${TableName}-bare`, GlobalSecondaryIndexOverride: [] }))
    assert.equal(bare.TableDescription?.GlobalSecondaryIndexes, undefined)
    assert.deepEqual(bare.TableDescription?.AttributeDefinitions?.map((d) => d.AttributeName), ['pk', 'sk'])
    assert.equal((await sdkError(db.send(new RestoreTableFromBackupCommand({ BackupArn, TargetTableName: `${TableName}-odd`,
      GlobalSecondaryIndexOverride: [{ IndexName: 'nope', KeySchema: [{ AttributeName: 'v', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] })))).name,
    'ValidationException')

    const deleted = await db.send(new DeleteBackupCommand({ BackupArn }))
    assert.equal(deleted.BackupDescription?.BackupDetails?.BackupStatus, 'DELETED')
    assert.deepEqual(await sdkError(db.send(new DescribeBackupCommand({ BackupArn }))),
      { name: 'BackupNotFoundException', message: `Backup not found: ${BackupArn}`, status: 400 })
    assert.equal((await sdkError(db.send(new CreateBackupCommand({ TableName: 'no-such-table', BackupName: 'x1x' })))).name, 'TableNotFoundException')
    db.destroy()
  })
})

describe('DynamoDB point-in-time recovery', () => {
  it('restores the table as it was at an instant of the window', async () => {
    const db = dynamoClient(nimbus.current)
    const TableName = await activeTable(nimbus.current, db)
    await db.send(new PutItemCommand({ TableName, Item: item('before', 'x') }))
    assert.equal((await sdkError(db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: TableName, TargetTableName: `${TableName}-pitr`,
      UseLatestRestorableTime: true })))).name, 'PointInTimeRecoveryUnavailableException')
    const enabled = await db.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    const since = nimbus.current.clock.now()
    assert.equal(enabled.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus, 'ENABLED')
    assert.equal(enabled.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime?.getTime(), since)

    await advance(nimbus.current, 60_000)
    await db.send(new PutItemCommand({ TableName, Item: item('during', 'y') }))
    await advance(nimbus.current, 60_000)
    const instant = nimbus.current.clock.now()
    await advance(nimbus.current, 60_000)
    await db.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'before' }, sk: { N: '1' } } }))
    await db.send(new PutItemCommand({ TableName, Item: item('after', 'z') }))
    await advance(nimbus.current, 10 * 60_000)

    const window = (await db.send(new DescribeContinuousBackupsCommand({ TableName }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription
    assert.equal(window?.LatestRestorableDateTime?.getTime(), nimbus.current.clock.now() - 5 * 60_000)
    assert.equal(window?.RecoveryPeriodInDays, 35)
    assert.equal((await sdkError(db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: TableName, TargetTableName: `${TableName}-early`,
      RestoreDateTime: new Date(since - 1000) })))).name, 'InvalidRestoreTimeException')

    const restored = await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: TableName, TargetTableName: `${TableName}-pitr`,
      RestoreDateTime: new Date(instant) }))
    assert.equal(restored.TableDescription?.RestoreSummary?.SourceTableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${TableName}`)
    await advance(nimbus.current, transitionMs)
    const items = await db.send(new ScanCommand({ TableName: `${TableName}-pitr` }))
    assert.deepEqual(items.Items?.map((i) => i.pk?.S).sort(), ['before', 'during'])
    await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: TableName, TargetTableName: `${TableName}-latest`, UseLatestRestorableTime: true }))
    await advance(nimbus.current, transitionMs)
    const latest = await db.send(new ScanCommand({ TableName: `${TableName}-latest` }))
    assert.deepEqual(latest.Items?.map((i) => i.pk?.S).sort(), ['after', 'during'])
    db.destroy()
  })

  it('keeps backups and the PITR history across a restart', async () => {
    const n = await durableNimbus('dynamodb-backups')
    let db = dynamoClient(n.nimbus)
    const TableName = await activeTable(n.nimbus, db)
    await db.send(new UpdateContinuousBackupsCommand({ TableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }))
    await db.send(new PutItemCommand({ TableName, Item: item('kept', '1') }))
    const { BackupDetails } = await db.send(new CreateBackupCommand({ TableName, BackupName: 'durable' }))
    await advance(n.nimbus, 10 * 60_000)
    await db.send(new PutItemCommand({ TableName, Item: item('later', '2') }))
    db.destroy()
    await n.restart()
    db = dynamoClient(n.nimbus)
    assert.equal((await db.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn! }))).BackupDescription?.SourceTableDetails?.ItemCount, 1)
    await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: TableName, TargetTableName: `${TableName}-r`, RestoreDateTime: new Date(n.nimbus.clock.now() - 6 * 60_000) }))
    await advance(n.nimbus, transitionMs)
    assert.ok((await db.send(new GetItemCommand({ TableName: `${TableName}-r`, Key: { pk: { S: 'kept' }, sk: { N: '1' } } }))).Item)
    assert.equal((await db.send(new GetItemCommand({ TableName: `${TableName}-r`, Key: { pk: { S: 'later' }, sk: { N: '1' } } }))).Item, undefined)
    db.destroy()
    await n.stop()
  })
})
