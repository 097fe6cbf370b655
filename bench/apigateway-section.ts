// API Gateway in `npm run bench` (issue 15's targets): requests/s through a MOCK integration vs the
// bare node:http ceiling; a Lambda proxy route vs invoking the same function directly (requests/s
// at 8 in flight, and the added p50 latency, sequential, interleaved); and the same Lambda route
// served by serverless-offline (npm, the peer most people use). serverless-offline and its
// serverless@3 peer are large (≈280 MB), so they are not devDependencies: the first bench run
// installs them into bench/.peers (git-ignored); without the npm registry the row is skipped. With wrk on
// PATH the Lambda-proxy cells (both executors, direct Invoke, serverless-offline) are measured a second
// time with it: a C generator costs less CPU per request than autocannon in this process (≈20 vs ≈45 µs),
// which shares the cores with the servers it measures (the same generator for every row of a comparison).
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import { nodeHandlerZip } from '../test/helpers/zip.ts'
import { apiGatewayMockBench, type MockBenchResult } from './apigateway.ts'
import { fmt } from './report.ts'
import { freePort, startTarget, stopChild, tempDir, type TargetSpec } from './servers.ts'
import { wrkPath } from './s3-wrk.ts'
import { HOST } from './sqs.ts'
import { wrkRate } from './wrk-rate.ts'

export const APIGATEWAY_TARGETS = { mockCeilingShare: 0.4, proxyOverheadMs: 1, serverlessOfflineRatio: 3 }
const IN_FLIGHT = 8
const HANDLER = "exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{\"ok\":true}' })\n"
const repoRoot = join(import.meta.dirname, '..')
const peersDir = join(repoRoot, 'bench', '.peers')

export interface ApiGatewaySectionOptions {
  nimbus: { label: string; port: number } | undefined
  /** How that Nimbus was started: a sibling with `--lambda-executor worker` measures the worker executor's Lambda rows too. */
  nimbusSpec?: TargetSpec
  hello: { port: number } | undefined
  seconds: number
  log: (line: string) => void
}

interface Rates { perSecond: number; non2xx: number }
/** What drives a cell: autocannon always; wrk too when it is on PATH. */
type Generator = 'autocannon' | 'wrk'
type ByGenerator = Partial<Record<Generator, Rates>>

const agent = new Agent({ keepAlive: true, maxSockets: 1 })

/** One request on a kept-alive connection: its status and how long it took (ms). */
function timed(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const req = request({ host: HOST, port, method, path, headers, agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function json(port: number, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body)
    const req = request({ host: HOST, port, method, path, headers: { 'content-type': 'application/json', 'x-amz-date': '20260101T000000Z', ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const out = Buffer.concat(chunks).toString('utf8')
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${out}`))
        else resolve(out === '' ? {} : JSON.parse(out) as Record<string, unknown>)
      })
    })
    req.on('error', reject)
    req.end(text)
  })
}

/** Nimbus reads the signing name and region from a SigV4 header; the signature itself is not checked. */
const sign = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`

/** A function answering a proxy response, and a REST API whose GET /hello proxies to it; returns the API id and function name. */
export async function proxyApi(port: number): Promise<{ apiId: string; functionName: string }> {
  const functionName = `bench-proxy-${Date.now()}`
  const lambda = { authorization: sign('lambda') }
  const fn = await json(port, 'POST', '/2015-03-31/functions', { FunctionName: functionName, Runtime: 'nodejs22.x', Handler: 'index.handler',
    Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: nodeHandlerZip(HANDLER).toString('base64') } }, lambda)
  const gw = { authorization: sign('apigateway') }
  const api = await json(port, 'POST', '/restapis', { name: 'bench-proxy' }, gw)
  const apiId = api.id as string
  const resources = await json(port, 'GET', `/restapis/${apiId}/resources`, undefined, gw) as { item: { id: string }[] }
  const resource = await json(port, 'POST', `/restapis/${apiId}/resources/${resources.item[0]!.id}`, { pathPart: 'hello' }, gw)
  const method = `/restapis/${apiId}/resources/${resource.id as string}/methods/GET`
  await json(port, 'PUT', method, { authorizationType: 'NONE' }, gw)
  await json(port, 'PUT', `${method}/integration`, { type: 'AWS_PROXY', httpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn as string}/invocations` }, gw)
  await json(port, 'POST', `/restapis/${apiId}/deployments`, { stageName: 'bench' }, gw)
  return { apiId, functionName }
}

/** Warm-up before each measured cell: long enough for 8 cold execution environments (processes or workers) to start on a busy machine. */
const WARM_UP_SECONDS = 2

interface Target { url: string; method?: string; headers?: Record<string, string>; body?: string }

async function rate(generator: Generator, target: Target, seconds: number): Promise<Rates> {
  if (generator === 'wrk') {
    await wrkRate(target, WARM_UP_SECONDS, IN_FLIGHT)
    return wrkRate(target, seconds, IN_FLIGHT)
  }
  const options = { ...target, connections: IN_FLIGHT, pipelining: 1, timeout: 10 }
  await autocannon({ ...options, duration: WARM_UP_SECONDS })
  const result = await autocannon({ ...options, duration: seconds })
  return { perSecond: result['2xx'] / result.duration, non2xx: result.non2xx }
}

/** Each generator's rates for one target, one after the other. */
async function rates(generators: readonly Generator[], target: Target, seconds: number): Promise<ByGenerator> {
  const out: ByGenerator = {}
  for (const generator of generators) out[generator] = await rate(generator, target, seconds)
  return out
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

interface ProxyResult { proxy: ByGenerator; direct: ByGenerator; proxyP50: number; directP50: number }

async function lambdaProxy(port: number, seconds: number, generators: readonly Generator[]): Promise<ProxyResult> {
  const { apiId, functionName } = await proxyApi(port)
  const host = `${apiId}.execute-api.localhost:${port}`
  const invokePath = `/2015-03-31/functions/${functionName}/invocations`
  const invokeHeaders = { 'content-type': 'application/json', authorization: sign('lambda') }
  const proxy = await rates(generators, { url: `http://${HOST}:${port}/bench/hello`, headers: { host } }, seconds)
  const direct = await rates(generators, { url: `http://${HOST}:${port}${invokePath}`, method: 'POST', body: '{}', headers: invokeHeaders }, seconds)
  // Sequential and interleaved: one request through API Gateway, one straight to Invoke, alternately.
  const through: number[] = []
  const straight: number[] = []
  for (let i = 0; i < 600; i++) {
    const a = await timed(port, 'GET', '/bench/hello', { host })
    const b = await timed(port, 'POST', invokePath, invokeHeaders, '{}')
    if (i >= 100 && a.status === 200 && b.status === 200) {
      through.push(a.ms)
      straight.push(b.ms)
    }
  }
  return { proxy, direct, proxyP50: median(through), directP50: median(straight) }
}

/** serverless-offline (and serverless@3) in bench/.peers, installed on first use; undefined when that fails. */
function serverlessOffline(log: (line: string) => void): string | undefined {
  const bin = join(peersDir, 'node_modules', 'serverless', 'bin', 'serverless.js')
  if (existsSync(join(peersDir, 'node_modules', 'serverless-offline')) && existsSync(bin)) return bin
  log('  installing serverless@3 and serverless-offline@13 into bench/.peers (first run only, ≈1 min)')
  try {
    mkdirSync(peersDir, { recursive: true })
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', peersDir, 'serverless@3', 'serverless-offline@13'],
      { stdio: 'ignore', timeout: 600_000 })
    return bin
  } catch (error) {
    log(`  serverless-offline could not be installed: ${String(error)}`)
    return undefined
  }
}

async function serverlessOfflineRate(seconds: number, log: (line: string) => void, generators: readonly Generator[]): Promise<ByGenerator | undefined> {
  const bin = serverlessOffline(log)
  if (bin === undefined) return undefined
  const dir = tempDir('nimbus-bench-sls-')
  writeFileSync(join(dir, 'handler.js'), HANDLER.replace('exports.handler', 'exports.hello'))
  writeFileSync(join(dir, 'serverless.yml'), ['service: bench', "frameworkVersion: '3'", 'provider:', '  name: aws', '  runtime: nodejs20.x',
    'functions:', '  hello:', '    handler: handler.hello', '    events:', '      - http:', '          path: hello', '          method: get',
    'plugins:', '  - serverless-offline', ''].join('\n'))
  execFileSync('ln', ['-s', join(peersDir, 'node_modules'), join(dir, 'node_modules')])
  // A fresh serverless-offline for each load generator: its rate falls the longer it serves (measured with wrk
  // alone, 3 s rounds: 2,930 → 2,616 → 2,445 → 2,005 → 1,574 → 1,385 req/s), so a second cell on the same process
  // would compare Nimbus with a slower peer than the first.
  const out: ByGenerator = {}
  for (const generator of generators) {
    const [httpPort, lambdaPort] = [await freePort(), await freePort()]
    const child = spawn(process.execPath, [bin, 'offline', 'start', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort),
      '--noPrependStageInUrl', '--host', HOST], { cwd: dir, stdio: 'ignore', env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' } })
    try {
      for (let i = 0; ; i++) {
        const ok = await timed(httpPort, 'GET', '/hello', {}).then((r) => r.status === 200, () => false)
        if (ok) break
        if (i > 240) throw new Error('serverless-offline did not answer within 120 s')
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
      out[generator] = await rate(generator, { url: `http://${HOST}:${httpPort}/hello` }, seconds)
    } finally {
      await stopChild(child)
    }
  }
  return out
}

export async function apiGatewaySection(options: ApiGatewaySectionOptions): Promise<string> {
  const { nimbus, hello, seconds, log } = options
  // The Lambda-proxy cells with autocannon, and again with wrk when it is installed.
  const generators: Generator[] = wrkPath() === undefined ? ['autocannon'] : ['autocannon', 'wrk']
  let mock: MockBenchResult | undefined
  let proxy: ProxyResult | undefined
  let workerProxy: ProxyResult | undefined
  let offline: ByGenerator | undefined
  const perGenerator = (by: ByGenerator | undefined) => generators.map((g) => `${fmt(by?.[g]?.perSecond)} (${g})`).join(', ')
  if (nimbus !== undefined && hello !== undefined) {
    try {
      mock = await apiGatewayMockBench(nimbus.port, hello.port, seconds, IN_FLIGHT)
      log(`  MOCK ${fmt(mock.mockPerSecond)} req/s vs node:http ${fmt(mock.ceilingPerSecond)} req/s`)
    } catch (error) {
      log(`  API Gateway MOCK measurement failed: ${String(error)}`)
    }
  }
  if (nimbus !== undefined) {
    try {
      proxy = await lambdaProxy(nimbus.port, seconds, generators)
      log(`  Lambda proxy ${perGenerator(proxy.proxy)} req/s, direct Invoke ${perGenerator(proxy.direct)} req/s;` +
        ` p50 ${proxy.proxyP50.toFixed(2)} vs ${proxy.directP50.toFixed(2)} ms`)
    } catch (error) {
      log(`  API Gateway Lambda proxy measurement failed: ${String(error)}`)
    }
  }
  if (options.nimbusSpec !== undefined) {
    // The same Nimbus running Node.js functions in worker threads (`--lambda-executor worker`).
    const spec = options.nimbusSpec
    try {
      const sibling = await startTarget({ ...spec, label: `${spec.label}, worker executor`, args: (port) => [...spec.args(port), '--lambda-executor', 'worker'] })
      try {
        workerProxy = await lambdaProxy(sibling.port, seconds, generators)
      } finally {
        await sibling.stop()
      }
      log(`  worker executor: Lambda proxy ${perGenerator(workerProxy.proxy)} req/s, direct Invoke ${perGenerator(workerProxy.direct)} req/s;` +
        ` p50 ${workerProxy.proxyP50.toFixed(2)} vs ${workerProxy.directP50.toFixed(2)} ms`)
    } catch (error) {
      log(`  worker-executor Lambda proxy measurement failed: ${String(error)}`)
    }
  }
  try {
    offline = await serverlessOfflineRate(seconds, log, generators)
    if (offline !== undefined) log(`  serverless-offline ${perGenerator(offline)} req/s`)
  } catch (error) {
    log(`  serverless-offline measurement failed: ${String(error)}`)
  }
  const r = (a: number | undefined, b: number | undefined, digits = 2) => a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(digits) : '—'
  const lambdaRows = (p: ProxyResult | undefined, executor: string) => {
    const overhead = p === undefined ? undefined : p.proxyP50 - p.directP50
    const rows = (g: Generator, label: string) => {
      const [through, direct, peer] = [p?.proxy[g]?.perSecond, p?.direct[g]?.perSecond, offline?.[g]?.perSecond]
      return [
        `| Lambda proxy requests/s vs direct Invoke (${label}) | ${fmt(through)} | ${fmt(direct)} | ${r(through, direct)} | |`,
        `| Lambda proxy requests/s vs serverless-offline (${label}) | ${fmt(through)} | ${fmt(peer)} | ${r(through, peer, 1)}× | ≥ ${APIGATEWAY_TARGETS.serverlessOfflineRatio}× |`,
      ]
    }
    const [first, second] = rows('autocannon', executor)
    return [
      first!,
      `| Lambda proxy p50 added over direct Invoke (ms, ${executor}) | ${p?.proxyP50.toFixed(2) ?? '—'} | ${p?.directP50.toFixed(2) ?? '—'} | ${overhead?.toFixed(2) ?? '—'} ms | < ${APIGATEWAY_TARGETS.proxyOverheadMs} ms |`,
      second!,
      ...(generators.includes('wrk') ? rows('wrk', `${executor}, wrk`) : []),
    ]
  }
  return [
    '## API Gateway',
    '',
    `Same Nimbus child as above, ${seconds} s per cell (after ${WARM_UP_SECONDS} s of warm-up for the Lambda and serverless-offline cells), ${IN_FLIGHT} connections (autocannon). MOCK: a deployed REST API's GET answering`,
    'a mapping template, host-form invoke URL, vs the bare node:http server. Lambda proxy: GET /hello → AWS_PROXY → a Node.js',
    'function answering a fixed proxy response, vs POSTing Invoke for the same function; the added latency is the difference of the',
    'two medians of 500 sequential requests each, interleaved, on one kept-alive connection. serverless-offline 13 (serverless 3,',
    'installed into bench/.peers on first use) serves the same handler on the same route. The Lambda rows are measured with the',
    'process executor (the default: a process per execution environment) and, on a second Nimbus started with',
    '`--lambda-executor worker`, with Node.js functions in worker threads.' + (generators.includes('wrk')
      ? ' The rows marked wrk measure the same cells again with wrk (1 thread, the same 8 connections and warm-up): autocannon runs in'
      : ''),
    ...(generators.includes('wrk')
      ? ['the benchmark\'s own Node.js process, on the same cores as the servers, and spends about twice wrk\'s CPU per request (`bench/proxy-cpu.ts`).']
      : []),
    '',
    '| Measurement | Nimbus | reference | ratio | target |',
    '|---|---|---|---|---|',
    `| MOCK requests/s vs node:http ceiling | ${fmt(mock?.mockPerSecond)} | ${fmt(mock?.ceilingPerSecond)} | ${r(mock?.mockPerSecond, mock?.ceilingPerSecond)} | ≥ ${APIGATEWAY_TARGETS.mockCeilingShare} |`,
    ...lambdaRows(proxy, 'process executor'),
    ...lambdaRows(workerProxy, 'worker executor'),
  ].join('\n')
}

if (import.meta.main) {
  // Standalone: `node bench/apigateway-section.ts` starts the hello ceiling and Nimbus (from source) as children.
  const { helloSpec, installCleanup, nimbusSourceSpec, stopAll } = await import('./servers.ts')
  installCleanup()
  try {
    const hello = await startTarget(helloSpec())
    const nimbus = await startTarget(nimbusSourceSpec())
    console.log(await apiGatewaySection({ nimbus: { label: 'Nimbus', port: nimbus.port }, nimbusSpec: nimbusSourceSpec(), hello: { port: hello.port }, seconds: 3,
      log: (line) => console.log(line) }))
  } finally {
    await stopAll()
  }
}
