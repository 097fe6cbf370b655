// The CLI tutorial's ("Perform basic Kinesis Data Stream operations using the AWS CLI") step 3, run
// in bash exactly as printed: SHARD_ITERATOR=$(aws kinesis get-shard-iterator … --query 'ShardIterator')
// without --output text keeps the JSON quotes in the variable, and `aws kinesis get-records
// --shard-iterator $SHARD_ITERATOR` sends them along. AWS takes such an iterator (the tutorial shows its
// records, and scripts written against AWS rely on it), so Nimbus reads one wrapped in double quotes as
// the iterator inside; anything else that isn't an iterator it issued stays "Invalid ShardIterator.".
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis'
import { awsCliEnv } from '../../../helpers/aws-cli.ts'
import { activeStream, kinesisClient } from '../../../helpers/kinesis.ts'
import { useNimbus } from '../../../helpers/nimbus.ts'
import { sdkError } from '../../../helpers/sdk-error.ts'

const run = promisify(execFile)
const nimbus = useNimbus()

describe('Kinesis CLI tutorial: the shard iterator kept in a shell variable', () => {
  it('get-records --shard-iterator $SHARD_ITERATOR reads the records, quotes and all', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: '123', Data: Buffer.from('testdata') }))
    const script = `
      SHARD_ITERATOR=$(aws kinesis get-shard-iterator --shard-id shardId-000000000000 --shard-iterator-type TRIM_HORIZON --stream-name "$STREAM" --query 'ShardIterator' --endpoint-url "$ENDPOINT")
      aws kinesis get-records --shard-iterator $SHARD_ITERATOR --endpoint-url "$ENDPOINT" --output json`
    const { stdout } = await run('bash', ['-c', script], { env: { ...awsCliEnv, STREAM: name, ENDPOINT: nimbus.current.endpoint } })
    const answer = JSON.parse(stdout) as { Records: { Data: string; PartitionKey: string }[]; NextShardIterator: string }
    assert.deepEqual(answer.Records.map((r) => [r.Data, r.PartitionKey]), [['dGVzdGRhdGE=', '123']])
    // The next iterator it hands back is a plain one.
    assert.match(answer.NextShardIterator, /^[A-Za-z0-9+/]+={0,2}$/)
  })

  it('the SDK takes a quoted iterator too; other wrappings are still invalid', async () => {
    const k = kinesisClient(nimbus.current)
    const name = await activeStream(nimbus.current, k)
    await k.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'p', Data: Buffer.from('x') }))
    const { ShardIterator } = await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))
    const read = await k.send(new GetRecordsCommand({ ShardIterator: `"${ShardIterator}"` }))
    assert.deepEqual(read.Records!.map((r) => Buffer.from(r.Data!).toString()), ['x'])
    for (const bad of [`'${ShardIterator}'`, `"${ShardIterator}`, `""${ShardIterator}""`, '""']) {
      assert.deepEqual(await sdkError(k.send(new GetRecordsCommand({ ShardIterator: bad }))),
        { name: 'InvalidArgumentException', message: 'Invalid ShardIterator.', status: 400 })
    }
  })
})
