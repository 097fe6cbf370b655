// The daily-use CLI: `nimbus clock` against a running Nimbus, one-line start-up errors with a non-zero
// exit (port in use, bad port, unknown region, a data dir that is a file), and `npm start` stopped by
// a signal to npm taking Nimbus down with it.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { readyEndpoint, untilRefused } from '../helpers/cli-process.ts'
import { rawRequest } from '../helpers/raw-http.ts'

const run = promisify(execFile)

/** `node src/cli.ts …`: exit code and stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['src/cli.ts', ...args])
    return { code: 0, stdout, stderr }
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string }
    return { code, stdout, stderr }
  }
}

describe('nimbus clock', () => {
  it('shows, advances and sets the clock of a running Nimbus; refuses to go back', async () => {
    const child = spawn(process.execPath, ['src/cli.ts', 'start', '--port', '0', '--clock', 'manual'], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const endpoint = await readyEndpoint(child)
      const set = await cli('clock', 'set', '2030-06-01T00:00:00Z', '--endpoint', endpoint)
      assert.deepEqual([set.code, set.stdout], [0, `manual clock at 2030-06-01T00:00:00.000Z (${Date.UTC(2030, 5, 1)})\n`])
      const advanced = await cli('clock', 'advance', '1h30m', '--endpoint', endpoint)
      assert.match(advanced.stdout, /^manual clock at 2030-06-01T01:30:00\.000Z /)
      // AWS_ENDPOINT_URL is the default endpoint, as for every AWS client.
      const { stdout } = await run(process.execPath, ['src/cli.ts', 'clock'], { env: { ...process.env, AWS_ENDPOINT_URL: endpoint } })
      assert.match(stdout, /^manual clock at 2030-06-01T01:30:00\.000Z /)
      const back = await cli('clock', 'set', '2030-01-01T00:00:00Z', '--endpoint', endpoint)
      assert.equal(back.code, 1)
      assert.match(back.stderr, /^nimbus: setTo 2030-01-01T00:00:00\.000Z is before the clock's time 2030-06-01T01:30:00\.000Z: the clock only moves forward/)
      const bad = await cli('clock', 'advance', 'soon', '--endpoint', endpoint)
      assert.deepEqual([bad.code, bad.stderr], [1, 'nimbus: "soon" is not a duration: use ms, s, m, h, d, e.g. 90s, 15m, 1h30m\n'])
    } finally {
      child.kill('SIGTERM')
    }
  })

  it('says when nothing answers', async () => {
    const free = createServer().listen(0, '127.0.0.1')
    await once(free, 'listening')
    const { port } = free.address() as { port: number }
    free.close()
    const answer = await cli('clock', '--endpoint', `http://127.0.0.1:${port}`)
    assert.equal(answer.code, 1)
    assert.match(answer.stderr, /^nimbus: nothing answers at http:\/\/127\.0\.0\.1:\d+: is Nimbus running\?/)
  })
})

describe('nimbus start: errors in one line, exit 1', () => {
  it('a port in use, a bad port, an unknown region, a data dir that is a file', async () => {
    const taken = createServer().listen(0, '127.0.0.1')
    await once(taken, 'listening')
    const { port } = taken.address() as { port: number }
    const file = join(tmpdir(), `nimbus-not-a-dir-${process.pid}`)
    writeFileSync(file, 'x')
    try {
      const cases: [string[], string][] = [
        [['--port', String(port)], `nimbus: port ${port} is in use: is Nimbus already running? use --port to pick another (0: any free port)\n`],
        [['--port', '70000'], 'nimbus: --port must be a port number (0 to 65535; 0 picks a free one), not 70000\n'],
        [['--region', 'us-east1'], 'nimbus: --region us-east1 is not an AWS region (did you mean us-east-1?); a region newer than Nimbus can be allowed with NIMBUS_EXTRA_REGIONS\n'],
        [['--port', '0', '--data-dir', file], `nimbus: --data-dir ${file} is a file, not a folder\n`],
        [['--port', '0', '--api-gateway-account-throttle', '10000'],
          'nimbus: --api-gateway-account-throttle must be <requests per second>,<burst>, both above 0, e.g. 10000,5000, not 10000\n'],
        [['--port', '0', '--api-gateway-account-throttle', '0,5000'],
          'nimbus: --api-gateway-account-throttle must be <requests per second>,<burst>, both above 0, e.g. 10000,5000, not 0,5000\n'],
        [['--port', '0', '--api-gateway-account-throttle', '100,0'],
          'nimbus: --api-gateway-account-throttle must be <requests per second>,<burst>, both above 0, e.g. 10000,5000, not 100,0\n'],
        [['--port', '0', '--firehose-put-quota', '5000,2000'],
          'nimbus: --firehose-put-quota must be <records>,<requests>,<MiB> per second, e.g. 500000,2000,5, not 5000,2000\n'],
      ]
      const answers = await Promise.all(cases.map(([args]) => cli('start', ...args)))
      cases.forEach(([, message], i) => assert.deepEqual([answers[i]!.code, answers[i]!.stderr], [1, message]))
    } finally {
      taken.close()
    }
  })
})

describe('nimbus start --init-dir', () => {
  it('takes NIMBUS_INIT_DIR, shows script output on the console, and health reports init done', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-init-'))
    writeFileSync(join(dir, 'hello.sh'), 'echo "hello from init in $AWS_REGION"\n')
    const child = spawn(process.execPath, ['src/cli.ts', 'start', '--port', '0', '--region', 'eu-north-1'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NIMBUS_INIT_DIR: dir } })
    let err = ''
    const initialised = new Promise<void>((resolve) => child.stderr.on('data', (c: Buffer) => (err += c.toString()).includes('[init] done') && resolve()))
    try {
      const endpoint = await readyEndpoint(child)
      await initialised
      assert.match(err, /\[init:hello\.sh\] hello from init in eu-north-1\n/)
      const health = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health', headers: { connection: 'close' } })
      assert.equal(health.status, 200)
      assert.equal((JSON.parse(health.body) as { init: string }).init, 'done')
    } finally {
      child.kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('npm start', () => {
  it('stops Nimbus when npm gets SIGTERM (npm hands it to a shell that would leave Nimbus running)', async () => {
    const npm = spawn('npm', ['start', '--silent', '--', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const endpoint = await readyEndpoint(npm)
    assert.equal((await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health', headers: { connection: 'close' } })).status, 200)
    npm.kill('SIGTERM')
    await once(npm, 'exit')
    // Nimbus notices within a fraction of a second that npm is gone.
    await untilRefused(endpoint)
  })
})
