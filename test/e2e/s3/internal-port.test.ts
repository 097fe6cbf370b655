// S3's internal port (nimbus.services.s3) and what uses it: Lambda deploys code from S3 objects;
// object events go out on a typed channel for the notifications to come.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { CreateFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda'
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { isAwsError } from '../../../src/protocol/errors.ts'
import type { ObjectEvent } from '../../../src/services/s3/events.ts'
import { decode, lambdaClient, role } from '../../helpers/lambda.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'
import { bucketName, s3Client } from '../../helpers/s3.ts'
import { sdkError } from '../../helpers/sdk-error.ts'
import { makeZip } from '../../helpers/zip.ts'

const nimbus = useNimbus()

describe('S3 internal port', () => {
  it('reads, writes and checks objects; a missing key is NoSuchKey', async () => {
    const port = nimbus.current.services.s3
    const Bucket = bucketName('port')
    await s3Client(nimbus.current).send(new CreateBucketCommand({ Bucket }))
    const written = await port.putObject(Bucket, 'from/firehose.json', Buffer.from('{"a":1}'), { contentType: 'application/json' })
    assert.equal(written.etag, `"${createHash('md5').update('{"a":1}').digest('hex')}"`)
    const read = port.getObject(Bucket, 'from/firehose.json')
    assert.deepEqual([read.body.toString(), read.contentType], ['{"a":1}', 'application/json'])
    assert.equal(port.exists(Bucket), true)
    assert.equal(port.exists(Bucket, 'from/firehose.json'), true)
    assert.equal(port.exists(Bucket, 'nope'), false)
    assert.throws(() => port.getObject(Bucket, 'nope'), (e) => isAwsError(e) && e.code === 'NoSuchKey')
  })

  it('announces created and removed objects on the event channel', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('events')
    await s3.send(new CreateBucketCommand({ Bucket }))
    const seen: ObjectEvent[] = []
    const off = nimbus.current.services.s3.events.on((e) => {
      if (e.bucket === Bucket) seen.push(e)
    })
    await s3.send(new PutObjectCommand({ Bucket, Key: 'photo.jpg', Body: 'jpg' }))
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy.jpg', CopySource: `${Bucket}/photo.jpg` }))
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'photo.jpg' }))
    off()
    const etag = createHash('md5').update('jpg').digest('hex')
    assert.deepEqual(seen.map((e) => [e.name, e.key, e.size, e.etag]), [
      ['ObjectCreated:Put', 'photo.jpg', 3, etag],
      ['ObjectCreated:Copy', 'copy.jpg', 3, etag],
      ['ObjectRemoved:Delete', 'photo.jpg', undefined, undefined],
    ])
    assert.ok(seen[0]!.sequencer! < seen[2]!.sequencer!, 'later events on a key have greater sequencers')
    assert.deepEqual([seen[0]!.account, seen[0]!.region], ['000000000000', 'us-east-1'])
  })

  it('lets Lambda create and update functions from code in S3', async () => {
    const s3 = s3Client(nimbus.current)
    const Bucket = bucketName('code')
    await s3.send(new CreateBucketCommand({ Bucket }))
    const zip = (answer: string) => makeZip([{ path: 'index.js', content: `exports.handler = async () => (${JSON.stringify(answer)})` }])
    await s3.send(new PutObjectCommand({ Bucket, Key: 'v1.zip', Body: zip('from s3 v1') }))
    await s3.send(new PutObjectCommand({ Bucket, Key: 'v2.zip', Body: zip('from s3 v2') }))
    const lambda = lambdaClient(nimbus.current)
    const FunctionName = uniqueName('s3code')
    await lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: role,
      Code: { S3Bucket: Bucket, S3Key: 'v1.zip' } }))
    assert.equal(decode((await lambda.send(new InvokeCommand({ FunctionName }))).Payload), 'from s3 v1')
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, S3Bucket: Bucket, S3Key: 'v2.zip' }))
    assert.equal(decode((await lambda.send(new InvokeCommand({ FunctionName }))).Payload), 'from s3 v2')
    const missing = await sdkError(lambda.send(new CreateFunctionCommand({ FunctionName: uniqueName('nocode'), Runtime: 'nodejs22.x',
      Handler: 'index.handler', Role: role, Code: { S3Bucket: Bucket, S3Key: 'missing.zip' } })))
    assert.equal(missing.name, 'InvalidParameterValueException')
    assert.match(missing.message, /S3 Error Code: NoSuchKey/)
  })
})
