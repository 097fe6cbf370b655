// `nimbus start`: one ready line with the endpoint, options passed through, clean exit on SIGTERM/SIGINT.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
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
