// Init hooks (--init-dir): scripts in shell, Python and Node run in name order once Nimbus listens,
// pointed at it by AWS_ENDPOINT_URL and test credentials; health answers 503 until they are done.
// Failures, timeouts and non-executable files are reported, and Nimbus keeps serving.
import assert from 'node:assert/strict'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs'
import { startNimbus } from '../../src/index.ts'
import { rawRequest } from '../helpers/raw-http.ts'

const dirs: string[] = []
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

/** A folder of scripts; `mode` 0o755 unless given. */
function initDir(files: Record<string, string | [string, number]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-init-'))
  dirs.push(dir)
  for (const [name, file] of Object.entries(files)) {
    const [content, mode] = typeof file === 'string' ? [file, 0o755] : file
    writeFileSync(join(dir, name), content)
    chmodSync(join(dir, name), mode)
  }
  return dir
}

async function health(endpoint: string): Promise<{ status: number; body: { init: string; initScripts?: { name: string; state: string; reason?: string }[] } }> {
  const answer = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health' })
  return { status: answer.status, body: JSON.parse(answer.body) }
}

/** A killed orphan may linger as a zombie until the machine's init reaps it: that counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

describe('init scripts', () => {
  it('run in name order before health answers 200: a shell script creates a queue with the AWS CLI, Python and Node see the setup', async () => {
    const dir = initDir({
      // Waits for the test's go-ahead, so the test sees health while init runs without racing it.
      '00-gate.sh': '#!/bin/sh\nwhile [ ! -f go ]; do sleep 0.02; done\necho gate open\n',
      // `--endpoint-url "$AWS_ENDPOINT_URL"`: the CLI v1 ignores AWS_ENDPOINT_URL for SQS (see the README).
      '10-queue.sh': '#!/bin/sh\nset -e\naws sqs create-queue --queue-name made-by-init --endpoint-url "$AWS_ENDPOINT_URL" --output text\n',
      '20-check.py': '#!/usr/bin/env python3\nimport os\nprint("python", os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"], os.environ["AWS_REGION"], os.environ["AWS_DEFAULT_REGION"])\n',
      '30-check.mjs': '#!/usr/bin/env node\nconst r = await fetch(process.env.AWS_ENDPOINT_URL + "/_nimbus/health")\nconsole.log("node sees health", r.status)\n',
      '40-no-exec-bit.sh': ['echo run by sh\n', 0o644],
      'README.txt': ['not a script\n', 0o644],
    })
    const lines: string[] = []
    const nimbus = await startNimbus({ port: 0, region: 'eu-west-1', initDir: dir, log: (line) => lines.push(line) })
    try {
      const during = await health(nimbus.endpoint)
      assert.equal(during.status, 503)
      assert.equal(during.body.init, 'running')
      writeFileSync(join(dir, 'go'), '')
      const status = await nimbus.initialized()
      assert.equal(status.state, 'done')
      assert.deepEqual(status.scripts.map((s) => [s.name, s.state]), [['00-gate.sh', 'done'], ['10-queue.sh', 'done'], ['20-check.py', 'done'],
        ['30-check.mjs', 'done'], ['40-no-exec-bit.sh', 'done'], ['README.txt', 'skipped']])
      const done = await health(nimbus.endpoint)
      assert.equal(done.status, 200)
      assert.equal(done.body.init, 'done')
      // The first client call finds what the script made.
      const sqs = new SQSClient({ endpoint: nimbus.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'made-by-init' }))
      assert.match(QueueUrl ?? '', /\/000000000000\/made-by-init$/)
      sqs.destroy()
      assert.ok(lines.includes('[init:00-gate.sh] gate open'), lines.join('\n'))
      assert.ok(lines.some((l) => /^\[init:10-queue\.sh\] http:\/\/.*\/made-by-init$/.test(l)), lines.join('\n'))
      assert.ok(lines.includes('[init:20-check.py] python test test eu-west-1 eu-west-1'), lines.join('\n'))
      assert.ok(lines.includes('[init:30-check.mjs] node sees health 503'), lines.join('\n'))
      assert.ok(lines.includes('[init:40-no-exec-bit.sh] run by sh'), lines.join('\n'))
      assert.ok(lines.some((l) => l.startsWith('[init] skipping README.txt: not executable')), lines.join('\n'))
      const order = lines.filter((l) => l.startsWith('[init] running ')).map((l) => l.slice('[init] running '.length))
      assert.deepEqual(order, ['00-gate.sh', '10-queue.sh', '20-check.py', '30-check.mjs', '40-no-exec-bit.sh'])
    } finally {
      await nimbus.stop()
    }
  })

  it('a failing script and one past its timeout are reported; the rest still run and Nimbus serves', async () => {
    const dir = initDir({
      '1-fails.sh': '#!/bin/sh\necho about to fail >&2\nexit 3\n',
      '2-hangs.sh': '#!/bin/sh\necho $$ > hang.pid\nsleep 30\n',
      '3-after.sh': '#!/bin/sh\necho still ran\n',
    })
    const lines: string[] = []
    const nimbus = await startNimbus({ port: 0, initDir: dir, initTimeoutMs: 300, log: (line) => lines.push(line) })
    try {
      const status = await nimbus.initialized()
      assert.equal(status.state, 'failed')
      assert.deepEqual(status.scripts, [{ name: '1-fails.sh', state: 'failed', reason: 'exit 3' },
        { name: '2-hangs.sh', state: 'failed', reason: 'timed out after 0.3 s' }, { name: '3-after.sh', state: 'done' }])
      const answer = await health(nimbus.endpoint)
      assert.equal(answer.status, 200)
      assert.equal(answer.body.init, 'failed')
      assert.ok(lines.includes('[init:1-fails.sh] about to fail'))
      assert.ok(lines.includes('[init] 1-fails.sh failed (exit 3)'))
      assert.ok(lines.includes('[init:3-after.sh] still ran'))
      assert.equal(alive(Number(readFileSync(join(dir, 'hang.pid'), 'utf8'))), false)
    } finally {
      await nimbus.stop()
    }
  })

  it('a script still running when Nimbus stops is killed with its children', async () => {
    const dir = initDir({ 'hang.sh': '#!/bin/sh\nsleep 30 &\necho $! > child.pid\necho $$ > hang.pid\nwait\n', 'later.sh': '#!/bin/sh\ntouch ran\n' })
    const nimbus = await startNimbus({ port: 0, initDir: dir, log: () => {} })
    // Polls the script's own sign of life (its pid file): no wall-clock sleep.
    while (!existsSync(join(dir, 'child.pid')) || !existsSync(join(dir, 'hang.pid'))) await new Promise((resolve) => setTimeout(resolve, 10))
    await nimbus.stop()
    const status = await nimbus.initialized()
    assert.deepEqual(status.scripts.map((s) => s.state), ['failed', 'failed'])
    assert.equal(existsSync(join(dir, 'ran')), false)
    for (const file of ['hang.pid', 'child.pid']) assert.equal(alive(Number(readFileSync(join(dir, file), 'utf8'))), false, file)
  })

  it('a missing folder is a start-up error', async () => {
    await assert.rejects(startNimbus({ port: 0, initDir: '/nonexistent/nimbus-init', log: () => {} }),
      /^Error: --init-dir \/nonexistent\/nimbus-init: it does not exist$/)
  })
})
