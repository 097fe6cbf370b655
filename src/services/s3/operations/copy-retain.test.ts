// Copies and the source's body file (data directory): UploadPartCopy holds the source blob while it
// reads, so an overwrite that lands mid-copy can't remove the file under it; CopyObject refused by a
// check takes no reference. Driven on the operations directly, so the overwrite lands exactly
// between the copy's start and its first read (the file opens asynchronously).
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ManualClock } from '../../../core/clock.ts'
import { isAwsError } from '../../../protocol/errors.ts'
import { FileBlobStore, INLINE_MAX_BYTES } from '../../../storage/blob-store.ts'
import type { OperationContext } from '../../service.ts'
import { Bucket } from '../bucket.ts'
import type * as T from '../generated/types.ts'
import { S3State } from '../store.ts'
import { copyOperations } from './copy.ts'
import { multipartOperations } from './multipart.ts'

const dir = mkdtempSync(join(tmpdir(), 'nimbus-copy-retain-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const clock = new ManualClock(0)
const state = new S3State(clock, new FileBlobStore(dir))
const ctx: OperationContext = { caller: { account: '000000000000', region: 'us-east-1', accessKeyId: 'test' }, requestId: 'r', clock,
  protocol: 'rest-xml', host: 'localhost', signal: new AbortController().signal }
const bucket = new Bucket('copies', 'us-east-1', '000000000000', new Date(0))
state.addBucket(bucket)
const multipart = multipartOperations(state)
const copy = copyOperations(state)

/** Bodies past the inline limit, so each has a file of its own (smaller ones live in their rows). */
const padded = (text: string) => text + ' '.repeat(INLINE_MAX_BYTES)

/** Stores `text` (padded) under `key` (replacing the current version); returns its file's path. */
function put(key: string, text: string): string {
  const body = padded(text)
  const writer = state.blobs.writer()
  writer.write(Buffer.from(body))
  const blob = writer.commit()
  const { replaced } = bucket.put(key, { blob, size: body.length, etag: `"${md5(body)}"`, headers: {}, metadata: {}, tags: {},
    storageClass: 'STANDARD', checksum: undefined, parts: undefined }, state.writeContext('000000000000'))
  state.release(replaced)
  return (blob as unknown as { path: string }).path
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex')

/** Yields to the event loop until `done` holds (stream close is asynchronous); never sleeps. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100_000; attempt++) {
    if (done()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error(`never: ${what}`)
}

describe('S3 copies hold the source body', () => {
  it('UploadPartCopy completes with the old body when the source is overwritten mid-copy, then lets go of its file', async () => {
    const oldFile = put('src', 'the old body')
    const { UploadId } = await multipart.CreateMultipartUpload!({ Bucket: 'copies', Key: 'dest' } as T.CreateMultipartUploadRequest, ctx)
    // Runs up to its first await: the source's read stream exists, its file not yet opened.
    const copying = multipart.UploadPartCopy!({ Bucket: 'copies', Key: 'dest', UploadId, PartNumber: 1,
      CopySource: 'copies/src' } as T.UploadPartCopyRequest, ctx)
    put('src', 'the new body')
    assert.ok(existsSync(oldFile), 'the copy still holds the replaced body')
    const out = await copying as T.UploadPartCopyOutput
    assert.equal(out.CopyPartResult?.ETag, `"${md5(padded('the old body'))}"`)
    await until(() => !existsSync(oldFile), 'the replaced body\'s file removed once the copy closed its read')
  })

  it('UploadPartCopy of a deleted source, after the copy started, still completes', async () => {
    const file = put('gone', 'soon deleted')
    const { UploadId } = await multipart.CreateMultipartUpload!({ Bucket: 'copies', Key: 'dest2' } as T.CreateMultipartUploadRequest, ctx)
    const copying = multipart.UploadPartCopy!({ Bucket: 'copies', Key: 'dest2', UploadId, PartNumber: 1,
      CopySource: 'copies/gone', CopySourceRange: 'bytes=0-3' } as T.UploadPartCopyRequest, ctx)
    const { replaced } = bucket.deleteCurrent('gone', state.writeContext('000000000000'))
    state.release(replaced)
    const out = await copying as T.UploadPartCopyOutput
    assert.equal(out.CopyPartResult?.ETag, `"${md5('soon')}"`)
    await until(() => !existsSync(file), 'the deleted body\'s file removed')
  })

  it('a CopyObject refused by a check takes no reference to the source', async () => {
    const file = put('tagged', 'body')
    assert.throws(() => copy.CopyObject!({ Bucket: 'copies', Key: 'c', CopySource: 'copies/tagged', TaggingDirective: 'REPLACE',
      Tagging: 'a=1&a=2' } as T.CopyObjectRequest, ctx), (e) => isAwsError(e) && e.code === 'InvalidTag')
    assert.throws(() => copy.CopyObject!({ Bucket: 'copies', Key: 'c', CopySource: 'copies/tagged', StorageClass: 'NOPE' } as unknown as
      T.CopyObjectRequest, ctx), (e) => isAwsError(e) && e.code === 'InvalidStorageClass')
    put('tagged', 'replaced')
    assert.equal(existsSync(file), false, 'the only holder let go: the file is removed')
  })
})
