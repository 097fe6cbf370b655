// A data dir on a read-only or full file system: a read-only one is refused at start with one clear
// line (and left as it was); on a full disk writes answer 503 ServiceUnavailable, Nimbus keeps
// serving, and after `kill -9` and more space every acknowledged message is there. Needs a tmpfs
// of a chosen size: the tests mount one, so they run only where that is allowed (root on Linux).
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { CreateQueueCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { CliProcesses, cli } from '../../helpers/spawn-cli.ts'

const mounts: string[] = []
const processes = new CliProcesses()
after(() => {
  processes.killAll()
  for (const dir of mounts) {
    spawnSync('umount', [dir])
    rmSync(dir, { recursive: true, force: true })
  }
})

/** A fresh tmpfs of `size` (e.g. '256k'), or undefined where mounting is not allowed. */
function tmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-tmpfs-'))
  const mounted = process.platform === 'linux' && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0
  if (!mounted) {
    rmSync(dir, { recursive: true, force: true })
    return undefined
  }
  mounts.push(dir)
  return dir
}

const canMount = (() => {
  const probe = tmpfs('64k')
  return probe !== undefined
})()
const skip = canMount ? false : 'needs to mount a tmpfs (root on Linux)'

const client = (endpoint: string) =>
  new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })

describe('a data dir on a read-only or full disk', () => {
  it('refuses a read-only data dir at start with one clear line, and leaves the store as it was', { skip }, async () => {
    const mount = tmpfs('2m')!
    const dataDir = join(mount, 'data')
    const first = await processes.start(['--data-dir', dataDir])
    const sqs = client(first.endpoint)
    await sqs.send(new CreateQueueCommand({ QueueName: 'kept' }))
    sqs.destroy()
    first.child.kill('SIGTERM')
    await once(first.child, 'exit')
    const store = readFileSync(join(dataDir, 'nimbus.db'))
    execFileSync('mount', ['-o', 'remount,ro', mount])
    const refused = spawnSync(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir], { encoding: 'utf8', timeout: 20_000 })
    assert.equal(refused.status, 1)
    assert.equal(refused.stderr, `nimbus: --data-dir ${dataDir} is on a read-only file system: Nimbus writes its store there. `
      + 'Make it writable or use another folder; nothing in it was changed.\n')
    assert.deepEqual(readFileSync(join(dataDir, 'nimbus.db')), store)
    // Writable again: the queue is there.
    execFileSync('mount', ['-o', 'remount,rw', mount])
    const second = await processes.start(['--data-dir', dataDir])
    const again = client(second.endpoint)
    assert.deepEqual((await again.send(new ListQueuesCommand({}))).QueueUrls?.map((u) => u.split('/').pop()), ['kept'])
    again.destroy()
    second.child.kill('SIGTERM')
    await once(second.child, 'exit')
  })

  it('answers 503 ServiceUnavailable while the disk is full, keeps serving, and loses nothing acknowledged', { skip }, async () => {
    const mount = tmpfs('256k')!
    const dataDir = join(mount, 'data')
    const first = await processes.start(['--data-dir', dataDir])
    let sqs = client(first.endpoint)
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'filling' }))
    const acknowledged: string[] = []
    let refused = 0
    for (let i = 0; i < 200 && refused < 20; i++) {
      const body = `${i} ${'x'.repeat(4000)}`
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }))
        acknowledged.push(body)
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } }
        assert.equal(e.name, 'ServiceUnavailable')
        assert.equal(e.$metadata?.httpStatusCode, 503)
        refused++
      }
    }
    assert.ok(acknowledged.length > 0 && refused > 0, `${acknowledged.length} acknowledged, ${refused} refused`)
    // Still serving: a read needs no write.
    assert.ok((await sqs.send(new ListQueuesCommand({}))).QueueUrls?.length === 1)
    sqs.destroy()
    await processes.kill(first)

    // More space, then every acknowledged message is there (a refused one may be too: it was kept to retry).
    execFileSync('mount', ['-o', 'remount,size=8m', mount])
    const second = await processes.start(['--data-dir', dataDir])
    sqs = client(second.endpoint)
    const url = QueueUrl!.replace(first.endpoint, second.endpoint)
    const got = new Set<string>()
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 3600 }))
      if (Messages === undefined || Messages.length === 0) break
      for (const m of Messages) got.add(m.Body!)
    }
    for (const body of acknowledged) assert.ok(got.has(body), `acknowledged message ${body.slice(0, 4)} is there`)
    sqs.destroy()
    second.child.kill('SIGTERM')
    await once(second.child, 'exit')
  })
})
