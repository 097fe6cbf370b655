// Lambda runtime latency: cold start (new environment: spawn → result) and warm-invoke overhead
// (invoke() wall time for a handler that does nothing). `node bench/lambda-runtime.ts [warm-count]`
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { SystemClock } from '../src/core/clock.ts'
import { createLambdaRuntime } from '../src/runtime/index.ts'
import type { FunctionSpec } from '../src/runtime/types.ts'

const warmCount = Number(process.argv[2] ?? 5000)
const dir = mkdtempSync(join(tmpdir(), 'nimbus-bench-'))
writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({ ok: true })')
writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n')
const clock = new SystemClock()
const runtime = createLambdaRuntime({ clock, endpoint: 'http://127.0.0.1:4566', logSink: { write() {} } })

let n = 0
function spec(runtimeName: string, handler: string): FunctionSpec {
  n += 1
  const arn = `arn:aws:lambda:us-east-1:123456789012:function:bench-${n}`
  return {
    key: `${arn}:${n}`, functionName: `bench-${n}`, functionArn: arn, version: '$LATEST', runtime: runtimeName, handler,
    codeDir: dir, layerDirs: [], memoryMb: 128, timeoutSeconds: 30, environment: {}, region: 'us-east-1', account: '123456789012',
  }
}
const invoke = (fn: FunctionSpec) =>
  runtime.invoke(fn, { requestId: randomUUID(), payload: Buffer.from('{"a":1}'), invokedFunctionArn: fn.functionArn })

function stats(label: string, samples: number[]): void {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2)
  console.log(`${label.padEnd(28)} n=${String(s.length).padEnd(5)} p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms  max ${at(1)} ms`)
}

async function cold(runtimeName: string, handler: string, count: number): Promise<void> {
  const times: number[] = []
  for (let i = 0; i < count; i += 1) {
    const fn = spec(runtimeName, handler)
    const t0 = performance.now()
    const result = await invoke(fn)
    if (result.outcome !== 'success') throw new Error(result.payload.toString())
    times.push(performance.now() - t0)
    await runtime.dispose(fn.key)
  }
  stats(`cold start ${runtimeName}`, times)
}

await cold('nodejs22.x', 'index.handler', 1) // warms the host's file cache and Nimbus's own code
await cold('nodejs22.x', 'index.handler', 20)
await cold('python3.12', 'app.handler', 10)

const fn = spec('nodejs22.x', 'index.handler')
for (let i = 0; i < 200; i += 1) await invoke(fn)
const total: number[] = []
const own: number[] = []
for (let i = 0; i < warmCount; i += 1) {
  const t0 = performance.now()
  const result = await invoke(fn)
  total.push(performance.now() - t0)
  own.push(result.durationMs)
}
stats('warm invoke, wall time', total)
stats('warm invoke, REPORT Duration', own)
await runtime.stop()
clock.stop()
rmSync(dir, { recursive: true, force: true })
