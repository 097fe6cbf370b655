// Shared set-up for the runtime tests: temp code directories, a fake log sink, function specs and a
// runtime on a manual clock, with a check that no function process outlives a test file.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ManualClock } from '../../src/core/clock.ts'
import { createLambdaRuntime } from '../../src/runtime/index.ts'
import type { FunctionSpec, InvokeRequest, InvokeResult, LambdaRuntimeApi, LogSink, LogTarget } from '../../src/runtime/types.ts'

export const ACCOUNT = '123456789012'
/** NIMBUS_LAMBDA_EXECUTOR=worker runs the runtime suites with Node.js functions in worker threads. */
export const testExecutor = process.env.NIMBUS_LAMBDA_EXECUTOR === 'worker' ? 'worker' : 'process'
export const ENDPOINT = 'http://127.0.0.1:4566'

/** Writes `files` (path → content) into a fresh temp directory; `mode` 0o755 for executables. */
export function codeDir(files: Record<string, string | { content: string; mode: number }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-runtime-test-'))
  for (const [path, file] of Object.entries(files)) {
    const full = join(dir, path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, typeof file === 'string' ? file : file.content)
    if (typeof file !== 'string') chmodSync(full, file.mode)
  }
  return dir
}

export class FakeLogSink implements LogSink {
  readonly events: { functionName: string; logGroup: string; account: string; region: string; logStream: string; timestamp: number; message: string }[] = []
  write(target: LogTarget, logStream: string, lines: readonly { timestamp: number; message: string }[]): void {
    for (const line of lines) this.events.push({ ...target, logStream, ...line })
  }
  messages(functionName?: string): string[] {
    return this.events.filter((e) => functionName === undefined || e.functionName === functionName).map((e) => e.message)
  }
}

let counter = 0
export function spec(dir: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  counter += 1
  const functionName = overrides.functionName ?? `fn-${process.pid}-${counter}`
  const functionArn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${functionName}`
  return {
    key: `${functionArn}:$LATEST:${counter}`, functionName, functionArn, version: '$LATEST', runtime: 'nodejs22.x',
    handler: 'index.handler', codeDir: dir, layerDirs: [], memoryMb: 128, timeoutSeconds: 3, environment: {},
    region: 'us-east-1', account: ACCOUNT, ...overrides,
  }
}

export function request(fn: FunctionSpec, payload: unknown = {}, extra: Partial<InvokeRequest> = {}): InvokeRequest {
  return { requestId: randomUUID(), payload: Buffer.from(JSON.stringify(payload)), invokedFunctionArn: fn.functionArn, ...extra }
}

export function json(result: InvokeResult): any { // oxlint-disable-line typescript/no-explicit-any -- test payloads are free-form
  return JSON.parse(result.payload.toString('utf8'))
}

/** A runtime on a manual clock; `cleanUp()` stops it, removes temp dirs and checks no process is left. */
export function testRuntime(executor: 'process' | 'worker' = testExecutor) {
  const clock = new ManualClock()
  const sink = new FakeLogSink()
  const runtime: LambdaRuntimeApi = createLambdaRuntime({ clock, endpoint: ENDPOINT, logSink: sink, log: () => {}, executor })
  const dirs: string[] = []
  const pids = new Set<number>()
  return {
    clock, sink, runtime, pids,
    code(files: Parameters<typeof codeDir>[0]): string {
      const dir = codeDir(files)
      dirs.push(dir)
      return dir
    },
    async cleanUp(): Promise<void> {
      await runtime.stop()
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
      // A worker-thread function reports Nimbus's own pid.
      for (const pid of pids) if (pid !== process.pid) assert.equal(isRunning(pid), false, `function process ${pid} still running`)
      assert.deepEqual(childProcesses(), [], 'no function process outlives the runtime')
    },
  }
}

/** This process's children (Linux /proc), other than any shell the test runner may have. */
export function childProcesses(): string[] {
  if (!existsSync('/proc/self/stat')) return []
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(fields[1]) === process.pid ? [`${pid} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 1)}`] : []
    } catch {
      return []
    }
  })
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Lets real I/O happen until `check` holds (no sleeping: a bounded number of event-loop turns). */
export async function waitFor(check: () => boolean, what: string, turns = 200_000): Promise<void> {
  for (let i = 0; i < turns; i += 1) {
    if (check()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  assert.fail(`timed out waiting for ${what}`)
}
