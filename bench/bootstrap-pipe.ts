// CPU the Node.js bootstrap's process spends per warm invoke, alone: Nimbus's end of the runtime pipe
// (runtime-pipe.ts) drives bootstrap.mjs with an API Gateway-sized event, and the child's user and
// system time come from /proc (Linux only). `node bench/bootstrap-pipe.ts [invokes] [bootstrap.mjs]`
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { bootstrapRoot, PIPE_ARGUMENT } from '../src/runtime/process-launcher.ts'
import { RuntimePipe } from '../src/runtime/runtime-pipe.ts'

const invokes = Number(process.argv[2] ?? 50_000)
const bootstrap = process.argv[3] ?? join(bootstrapRoot, 'node', 'bootstrap.mjs')
const WARM_UP = 2_000
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100

const root = mkdtempSync(join(tmpdir(), 'nimbus-bootstrap-bench-'))
writeFileSync(join(root, 'index.js'), "exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, path: event.path }) })\n")
const event = Buffer.from(JSON.stringify({
  resource: '/hello', path: '/hello', httpMethod: 'GET',
  headers: { host: 'localhost:4566', 'user-agent': 'autocannon', accept: '*/*', 'x-forwarded-for': '127.0.0.1' },
  multiValueHeaders: { host: ['localhost:4566'], 'user-agent': ['autocannon'], accept: ['*/*'], 'x-forwarded-for': ['127.0.0.1'] },
  queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null,
  requestContext: { resourceId: 'abc123', resourcePath: '/hello', httpMethod: 'GET', path: '/dev/hello', accountId: '000000000000', apiId: 'abcdef1234', stage: 'dev', requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', requestTimeEpoch: 1_700_000_000_000, protocol: 'HTTP/1.1', identity: { sourceIp: '127.0.0.1', userAgent: 'autocannon' } },
  body: null, isBase64Encoded: false,
}))

const child = spawn(process.execPath, [bootstrap, PIPE_ARGUMENT], {
  cwd: root,
  env: { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: root, _HANDLER: 'index.handler', AWS_LAMBDA_FUNCTION_NAME: 'bench', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9' },
  stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'],
})

/** The child's [user, system] CPU seconds so far. */
function cpu(): [number, number] {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return [Number(fields[11]) / TICKS, Number(fields[12]) / TICKS]
}

let sent = 0
let answered = 0
let start: [number, number] = [0, 0]
let startMs = 0
const pipe = new RuntimePipe(child.stdio[3] as Writable, child.stdio[4] as Readable, {
  post() {
    answered++
  },
  next() {
    if (answered === WARM_UP) {
      start = cpu()
      startMs = performance.now()
    }
    if (answered === WARM_UP + invokes) return finish()
    sent++
    pipe.deliver({ requestId: `bench-${sent}`, deadlineMs: Date.now() + 30_000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench', traceId: `Root=1-00000000-${String(sent).padStart(24, '0')}`, payload: event })
  },
  output(line) {
    console.log(line)
  },
  memory() {},
})

function finish(): void {
  const [user, system] = cpu()
  const per = (seconds: number): string => ((seconds * 1e6) / invokes).toFixed(1)
  console.log(`bootstrap child, ${invokes} warm invokes: user ${per(user - start[0])} µs + system ${per(system - start[1])} µs per invoke; ${Math.round((invokes / (performance.now() - startMs)) * 1000)} invokes/s`)
  child.kill()
  rmSync(root, { recursive: true, force: true })
}
