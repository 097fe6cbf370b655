// `nimbus start`: one ready line with the endpoint, options passed through, clean exit on SIGTERM/SIGINT.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { rawRequest } from '../helpers/raw-http.ts'

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['src/cli.ts', 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const ready = new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.includes('ready on'))
      if (line !== undefined) resolve(line)
    })
    child.once('exit', (code) => reject(new Error(`nimbus exited with ${code} before it was ready: ${out}`)))
  })
  return { child, ready }
}

describe('nimbus start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints one ready line, serves, and exits 0 on ${signal}`, async () => {
      const { child, ready } = startCli(['--port', '0', '--host', '127.0.0.1', '--region', 'eu-west-1', '--clock', 'manual'])
      const line = await ready
      const endpoint = /ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]
      assert.ok(endpoint, line)
      assert.match(line, /region eu-west-1, manual clock/)
      const health = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health' })
      assert.equal(health.status, 200)
      child.kill(signal)
      const [code] = await once(child, 'exit')
      assert.equal(code, 0)
    })
  }

  it('refuses a bad port with a clear message', async () => {
    const child = spawn(process.execPath, ['src/cli.ts', 'start', '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const [code] = await once(child, 'exit')
    assert.equal(code, 1)
    assert.match(err, /--port must be a port number/)
  })
})

describe('nimbus start console', () => {
  it('mirrors Lambda function output, prefixed by the function name', async () => {
    const { child, ready } = startCli(['--port', '0'])
    const endpoint = /ready on (http:\/\/[^ ]+)/.exec(await ready)![1]!
    let out = ''
    const printed = new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString()
        if (/\[lambda:console-fn\] .*hello from the handler/.test(out)) resolve()
      })
    })
    const { LambdaClient, CreateFunctionCommand, InvokeCommand } = await import('@aws-sdk/client-lambda')
    const { makeZip } = await import('../helpers/zip.ts')
    const lambda = new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'console-fn', Runtime: 'nodejs22.x', Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/r',
      Code: { ZipFile: makeZip([{ path: 'index.js', content: 'exports.handler = async () => console.log("hello from the handler")' }]) } }))
    await lambda.send(new InvokeCommand({ FunctionName: 'console-fn' }))
    await printed
    assert.match(out, /\[lambda:console-fn\] START RequestId: /)
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    assert.equal(code, 0)
  })
})

/** Nimbus's own health document, fetched on a fresh connection (so it never holds one open). */
async function health(endpoint: string): Promise<{ services: { sqs: { longPolls: number } }; server: { inFlight: number } }> {
  const answer = await rawRequest(endpoint, { method: 'GET', path: '/_nimbus/health', headers: { connection: 'close' } })
  return JSON.parse(answer.body)
}

const signed = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`

describe('nimbus start drains on SIGTERM', () => {
  it('answers a long poll in flight with an empty 200 and exits 0', async () => {
    const { child, ready } = startCli(['--port', '0', '--clock', 'manual'])
    const endpoint = /ready on (http:\/\/[^ ]+)/.exec(await ready)![1]!
    const { SQSClient, CreateQueueCommand, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs')
    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'sigterm-q' }))
    const polled = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }))
    while ((await health(endpoint)).services.sqs.longPolls < 1) await new Promise((resolve) => setImmediate(resolve))
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    const answer = await polled
    assert.equal(answer.$metadata.httpStatusCode, 200)
    assert.equal(answer.Messages, undefined)
    assert.equal((await exited)[0], 0)
    sqs.destroy()
  })

  it('lets a 50 MB upload in flight complete, then exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-cli-drain-'))
    try {
      const { child, ready } = startCli(['--port', '0', '--data-dir', dataDir])
      const endpoint = /ready on (http:\/\/[^ ]+)/.exec(await ready)![1]!
      const made = await rawRequest(endpoint, { method: 'PUT', path: '/drain-cli', headers: { authorization: signed('s3') } })
      assert.equal(made.status, 200)
      const chunk = Buffer.alloc(1024 * 1024, 3)
      const total = 50
      let resume!: () => void
      const resumed = new Promise<void>((resolve) => (resume = resolve))
      const put = new Promise<{ status: number; etag: unknown }>((resolve, reject) => {
        const req = request(`${endpoint}/drain-cli/big`, { method: 'PUT', agent: false, headers: {
          'content-length': String(total * chunk.length), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', authorization: signed('s3'),
        } }, (res) => {
          res.resume()
          res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag }))
        })
        req.on('error', reject)
        // 5 MB before the signal, the other 45 MB after it.
        const send = async () => {
          for (let i = 0; i < total; i++) {
            if (i === 5) await resumed
            if (!req.write(chunk)) await once(req, 'drain')
          }
          req.end()
        }
        send().catch(reject)
      })
      // The upload and the health request itself are in flight.
      while ((await health(endpoint)).server.inFlight < 2) await new Promise((resolve) => setImmediate(resolve))
      const exited = once(child, 'exit')
      const stopping = new Promise<void>((resolve) => child.stdout.on('data', (c: Buffer) => c.toString().includes('stopping') && resolve()))
      child.kill('SIGTERM')
      await stopping
      resume()
      const answer = await put
      assert.equal(answer.status, 200)
      const md5 = createHash('md5')
      for (let i = 0; i < total; i++) md5.update(chunk)
      assert.equal(answer.etag, `"${md5.digest('hex')}"`)
      assert.equal((await exited)[0], 0)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

describe('nimbus start --data-dir', () => {
  it('refuses a non-empty folder that is not Nimbus\'s, and leaves it alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-foreign-'))
    try {
      writeFileSync(join(dir, 'thesis.tex'), 'mine')
      const child = spawn(process.execPath, ['src/cli.ts', 'start', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
      let err = ''
      child.stderr.on('data', (c: Buffer) => (err += c.toString()))
      const [code] = await once(child, 'exit')
      assert.equal(code, 1)
      assert.match(err, /is not empty and is not Nimbus's/)
      assert.deepEqual(readdirSync(dir), ['thesis.tex'])
      assert.equal(statSync(join(dir, 'thesis.tex')).size, 4)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
