// CPU the bootstrap's processes spend per warm invoke: Nimbus's end of the runtime pipe
// (runtime-pipe.ts) drives bootstrap.mjs with an API Gateway-sized event, and each child's user and
// system time come from /proc (Linux only). `node bench/bootstrap-pipe.ts [invokes] [processes]
// [bootstrap.mjs ...]`: `processes` children per bootstrap (default 1), each always busy. Given two
// bootstraps (say, a copy of the folder before a change), their children run side by side, so the
// machine's other load hits both alike: a paired A/B of a bootstrap change. A `.py` one is Python's
// (bootstrap.py, on the host's python3), with the same handler. A bootstrap argument may start with
// Node.js flags, space-separated (`"--max-semi-space-size=1 /tmp/a/bootstrap.mjs"`): a paired A/B of flags.
// Each child's resident set (RSS) after the warm-up and at the end is reported too: what a leak per invoke adds.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { bootstrapRoot, PIPE_ARGUMENT } from '../src/runtime/process-launcher.ts'
import { RuntimePipe } from '../src/runtime/runtime-pipe.ts'

const invokes = Number(process.argv[2] ?? 50_000)
const processes = Number(process.argv[3] ?? 1)
const bootstraps = process.argv.length > 4 ? process.argv.slice(4) : [join(bootstrapRoot, 'node', 'bootstrap.mjs')]
/** BOOTSTRAP_PIPE_WRAP: a command the children run under, e.g. `valgrind --tool=callgrind` (instructions counted, whatever the load). */
const wrapper = (process.env.BOOTSTRAP_PIPE_WRAP ?? '').split(' ').filter((word) => word !== '')
/** Warm invokes per bootstrap before measuring. */
const WARM_UP = 2_000
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100

const root = mkdtempSync(join(tmpdir(), 'nimbus-bootstrap-bench-'))
writeFileSync(join(root, 'index.py'), "import json\ndef handler(event, context):\n    return {'statusCode': 200, 'headers': {'content-type': 'application/json'}, 'body': json.dumps({'ok': True, 'path': event['path']})}\n")
writeFileSync(join(root, 'index.js'), "exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, path: event.path }) })\n")
const event = Buffer.from(JSON.stringify({
  resource: '/hello', path: '/hello', httpMethod: 'GET',
  headers: { host: 'localhost:4566', 'user-agent': 'autocannon', accept: '*/*', 'x-forwarded-for': '127.0.0.1' },
  multiValueHeaders: { host: ['localhost:4566'], 'user-agent': ['autocannon'], accept: ['*/*'], 'x-forwarded-for': ['127.0.0.1'] },
  queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null,
  requestContext: { resourceId: 'abc123', resourcePath: '/hello', httpMethod: 'GET', path: '/dev/hello', accountId: '000000000000', apiId: 'abcdef1234', stage: 'dev', requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef', requestTimeEpoch: 1_700_000_000_000, protocol: 'HTTP/1.1', identity: { sourceIp: '127.0.0.1', userAgent: 'autocannon' } },
  body: null, isBase64Encoded: false,
}))

/** One bootstrap's children and what they answered. */
interface Group { bootstrap: string; children: ChildProcess[]; answered: number; start: [number, number]; rss: number[] }

/** A child's [user, system] CPU seconds so far. */
function cpu(child: ChildProcess): [number, number] {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return [Number(fields[11]) / TICKS, Number(fields[12]) / TICKS]
}

/** A child's resident set in KiB (/proc/<pid>/stat's rss, in pages of 4 KiB). */
function rssKiB(child: ChildProcess): number {
  return Number(readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[21]) * 4
}

function groupCpu(group: Group): [number, number] {
  let user = 0
  let system = 0
  for (const child of group.children) {
    const [u, s] = cpu(child)
    user += u
    system += s
  }
  return [user, system]
}

let sent = 0
let measuring = false
let startMs = 0
let done = false
const groups: Group[] = bootstraps.map((bootstrap) => ({ bootstrap, children: [], answered: 0, start: [0, 0], rss: [] }))
for (const group of groups) {
  for (let i = 0; i < processes; i++) {
    const words = group.bootstrap.split(' ')
    const file = resolve(words.pop()!)
    const command = [...wrapper, file.endsWith('.py') ? 'python3' : process.execPath, ...words, file, PIPE_ARGUMENT]
    const child = spawn(command[0]!, command.slice(1), {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: root, _HANDLER: 'index.handler', AWS_LAMBDA_FUNCTION_NAME: 'bench', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9' },
      stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'],
    })
    group.children.push(child)
    const pipe: RuntimePipe = new RuntimePipe(child.stdio[3] as Writable, child.stdio[4] as Readable, {
      post() {
        group.answered++
      },
      next() {
        if (done) return
        if (!measuring && groups.every((g) => g.answered >= WARM_UP)) begin()
        if (measuring && group.answered - WARM_UP >= invokes) return finish()
        sent++
        pipe.deliver({ requestId: `bench-${sent}`, deadlineMs: Date.now() + 30_000, invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench', traceId: `Root=1-00000000-${String(sent).padStart(24, '0')}`, payload: event })
      },
      output(line) {
        console.log(line)
      },
      memory() {},
    })
  }
}

function begin(): void {
  measuring = true
  startMs = performance.now()
  for (const group of groups) {
    group.start = groupCpu(group)
    group.rss = group.children.map(rssKiB)
    // Counted from here: each group's own invokes during the same window.
    group.answered = WARM_UP
  }
}

/** Ends when the first group has done its invokes: every group is read over the same window. */
function finish(): void {
  done = true
  const seconds = (performance.now() - startMs) / 1000
  for (const group of groups) {
    const [user, system] = groupCpu(group)
    const n = group.answered - WARM_UP
    const per = (s: number): string => ((s * 1e6) / n).toFixed(1)
    console.log(`${group.bootstrap}: ${processes} process(es), ${n} warm invokes: user ${per(user - group.start[0])} µs + system ${per(system - group.start[1])} µs per invoke; ${Math.round(n / seconds)} invokes/s`)
    const rss = group.children.map((child, i) => `${group.rss[i]} → ${rssKiB(child)} KiB`)
    console.log(`  RSS after warm-up → at the end: ${rss.join(', ')}`)
    for (const child of group.children) child.kill()
  }
  rmSync(root, { recursive: true, force: true })
}
