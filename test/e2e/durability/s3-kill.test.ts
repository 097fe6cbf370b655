// S3 survives `kill -9`: the built CLI on a data dir is killed while PutObjects (and a multipart
// upload's parts) are in flight, then started again on the same folder. Every acknowledged object is
// there with its body and ETag; bodies of writes the kill cut off leave no file behind.
import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import {
  CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, ListPartsCommand, PutBucketVersioningCommand,
  PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3'
import { INLINE_MAX_BYTES } from '../../../src/storage/blob-store.ts'
import { killTestDir } from '../../helpers/spawn-cli.ts'

const { dataDir, processes } = killTestDir('nimbus-s3-kill-')

function client(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1 })
}

const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`

describe('S3 on a data dir, killed with SIGKILL', () => {
  it('keeps every acknowledged PutObject with its body and ETag, and sweeps the bodies of cut-off ones', async () => {
    const first = await processes.start(['--data-dir', dataDir])
    let s3 = client(first.endpoint)
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }))
    await s3.send(new CreateBucketCommand({ Bucket: 'versioned' }))
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned', VersioningConfiguration: { Status: 'Enabled' } }))
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'plain', Key: 'multi' }))

    // Unique keys in the plain bucket; one key overwritten again and again in the versioned one; parts of one upload.
    const acknowledged = new Map<string, { body: Buffer; etag: string }>()
    const versions = new Map<string, Buffer>()
    const parts = new Map<number, string>()
    let stop = false
    let cutOff = 0
    const loop = async (n: number) => {
      for (let i = 0; !stop; i++) {
        // Sizes from 1 KiB to ~256 KiB, so the kill finds bodies half written.
        const body = randomBytes(1024 << (i % 9))
        try {
          if (n === 0) {
            const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'hot', Body: body }))
            versions.set(VersionId!, body)
          } else if (n === 1) {
            const { ETag } = await s3.send(new UploadPartCommand({ Bucket: 'plain', Key: 'multi', UploadId, PartNumber: i + 1, Body: body }))
            parts.set(i + 1, ETag!)
          } else {
            const key = `k${n}/${i}`
            const { ETag } = await s3.send(new PutObjectCommand({ Bucket: 'plain', Key: key, Body: body, Metadata: { n: String(n) } }))
            acknowledged.set(key, { body, etag: ETag! })
          }
        } catch {
          cutOff++
          return
        }
      }
    }
    const loops = [0, 1, 2, 3, 4].map(loop)
    while (acknowledged.size < 150) await new Promise((r) => setImmediate(r))
    await processes.kill(first)
    stop = true
    await Promise.all(loops)
    assert.ok(cutOff > 0, 'the kill cut off writes in flight')
    s3.destroy()

    const second = await processes.start(['--data-dir', dataDir])
    s3 = client(second.endpoint)
    for (const [key, { body, etag }] of acknowledged) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'plain', Key: key }))
      assert.equal(got.ETag, etag, key)
      assert.equal(got.ETag, md5(body))
      assert.deepEqual(got.Metadata, { n: key.slice(1, 2) })
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body), `body of ${key}`)
    }
    // Anything else listed is a write that committed but whose answer the kill cut off: at most one per loop.
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'k' }))).Contents ?? []
    assert.ok(listed.length - acknowledged.size <= 3)
    for (const [versionId, body] of versions) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'hot', VersionId: versionId }))
      assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(body), `version ${versionId}`)
    }
    const storedParts = (await s3.send(new ListPartsCommand({ Bucket: 'plain', Key: 'multi', UploadId }))).Parts ?? []
    for (const [number, etag] of parts) assert.equal(storedParts.find((p) => p.PartNumber === number)?.ETag, etag, `part ${number}`)
    assert.ok(storedParts.length - parts.size <= 1)
    // One file per stored body past the inline limit (smaller ones live in their rows): nothing
    // half-written or unreferenced survived the start.
    const { Versions } = await s3.send(new ListObjectVersionsCommand({ Bucket: 'versioned' }))
    const files = readdirSync(join(dataDir, 's3')).filter((name) => name.endsWith('.blob'))
    const sizes = [...listed.map((o) => o.Size), ...(Versions ?? []).map((v) => v.Size), ...storedParts.map((p) => p.Size)]
    assert.equal(files.length, sizes.filter((size) => (size ?? 0) > INLINE_MAX_BYTES).length)
    assert.ok(sizes.some((size) => (size ?? 0) <= INLINE_MAX_BYTES), 'some bodies were small enough to be inlined')
    s3.destroy()
    second.child.kill('SIGTERM')
    assert.deepEqual(await once(second.child, 'exit'), [0, null])
  })
})
