// --data-dir: Nimbus marks the folder as its own, refuses someone else's, and deletes only the
// files it wrote (reset leaves a user's files alone; stop keeps the bodies, which are durable).
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { startNimbus } from '../../../src/index.ts'
import { DATA_DIR_MARKER } from '../../../src/storage/data-dir.ts'
import { s3Client } from '../../helpers/s3.ts'

const root = mkdtempSync(join(tmpdir(), 'nimbus-data-dir-'))
after(() => rmSync(root, { recursive: true, force: true }))

const start = (dataDir: string) => startNimbus({ port: 0, clock: 'manual', log: () => {}, dataDir })

describe('data dir', () => {
  it('marks a new folder, reset deletes only the blobs Nimbus wrote, and stop keeps them', async () => {
    const dir = join(root, 'fresh')
    const nimbus = await start(dir)
    assert.equal(JSON.parse(readFileSync(join(dir, DATA_DIR_MARKER), 'utf8')).version, 1)
    const s3 = s3Client(nimbus)
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }))
    // Past the inline limit, so the body is a file of its own (smaller ones live in their rows).
    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'object body '.repeat(1000) }))
    assert.equal(readdirSync(join(dir, 's3')).filter((name) => name.endsWith('.blob')).length, 1)
    // A user's own files, where Nimbus also writes.
    writeFileSync(join(dir, 's3', 'notes.txt'), 'mine')
    writeFileSync(join(dir, 'README'), 'mine too')
    nimbus.reset()
    // The files go once the cleared rows committed (the next answer waits for that commit).
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }))
    assert.deepEqual(readdirSync(join(dir, 's3')), ['notes.txt'])
    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'again '.repeat(2000) }))
    await nimbus.stop()
    s3.destroy()
    assert.equal(readdirSync(join(dir, 's3')).filter((name) => name.endsWith('.blob')).length, 1, 'the body stays for the next start')
    assert.ok(existsSync(join(dir, 's3', 'notes.txt')))
    assert.ok(existsSync(join(dir, 'README')))
    // Marked: the same folder is Nimbus's next time, user files and all.
    await (await start(dir)).stop()
  })

  it('uses an existing empty folder', async () => {
    const dir = mkdtempSync(join(root, 'empty-'))
    await (await start(dir)).stop()
    assert.ok(existsSync(join(dir, DATA_DIR_MARKER)))
  })

  it('refuses a non-empty folder without the marker, touching nothing', async () => {
    const dir = mkdtempSync(join(root, 'foreign-'))
    writeFileSync(join(dir, 'photo.jpg'), 'not Nimbus data')
    await assert.rejects(start(dir), /is not empty and is not Nimbus's/)
    assert.deepEqual(readdirSync(dir), ['photo.jpg'])
  })

  it('refuses a folder marked by a newer layout', async () => {
    const dir = mkdtempSync(join(root, 'newer-'))
    writeFileSync(join(dir, DATA_DIR_MARKER), JSON.stringify({ nimbus: true, version: 99 }))
    await assert.rejects(start(dir), /newer or unknown Nimbus/)
  })
})
