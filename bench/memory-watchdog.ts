// Main-thread CPU of one memory-watchdog sample (memory-watchdog.ts) of a function's process tree, in µs (Linux
// only): the real Node.js bootstrap idle on its pipe, the same with two children, and a single-threaded python3.
// Back to back (hot caches; CPU time) and spaced 10 ms apart (closer to the real 100 ms period: colder caches; wall time).
// `node bench/memory-watchdog.ts [samples] [rounds]`; WATCHDOG_BASELINE=<path of another memory-watchdog.ts>
// alternates rounds between that one and this checkout's, so the machine's other load hits both alike.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MemoryWatchdog } from '../src/runtime/memory-watchdog.ts'
import { bootstrapRoot, PIPE_ARGUMENT } from '../src/runtime/process-launcher.ts'

const samples = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
const SPACED = 200
const SPACING_MS = 10

interface Sampler { sample(): void; stop(): void; peakMb: number }
type Make = (pid: number) => Sampler

const options = (pid: number) => ({ pid, limitMb: 1 << 20, periodMs: 1 << 30, active: () => true, onExceeded: () => {} })
const makers: Array<[string, Make]> = [['this', (pid) => new MemoryWatchdog(options(pid))]]
const baseline = process.env.WATCHDOG_BASELINE
if (baseline !== undefined) {
  const module = await import(pathToFileURL(baseline).href) as { MemoryWatchdog: new (o: ReturnType<typeof options>) => Sampler }
  makers.unshift(['baseline', (pid) => new module.MemoryWatchdog(options(pid))])
}

const root = mkdtempSync(join(tmpdir(), 'nimbus-watchdog-bench-'))
writeFileSync(join(root, 'index.js'), 'exports.handler = async () => ({})\n')
const env = { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: root, _HANDLER: 'index.handler', AWS_LAMBDA_RUNTIME_API: '127.0.0.1:9' }
const bootstrap = () => spawn(process.execPath, [join(bootstrapRoot, 'node', 'bootstrap.mjs'), PIPE_ARGUMENT], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'] })
const children: ChildProcess[] = []
const started = (child: ChildProcess) => (children.push(child), child)

const lone = started(bootstrap())
const parent = started(spawn(process.execPath, ['-e', "const { spawn } = require('node:child_process'); for (let i = 0; i < 2; i++) spawn('sleep', ['600'], { stdio: 'ignore' }); setInterval(() => {}, 1e6)"], { stdio: 'ignore' }))
const python = started(spawn('python3', ['-c', 'import time; time.sleep(600)'], { stdio: 'ignore' }))
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(root, { recursive: true, force: true })
})
// Let them start (threads, children) before measuring.
await new Promise((resolve) => setTimeout(resolve, 1500))

const cases: Array<[string, number]> = [['node bootstrap', lone.pid!], ['node + 2 children', parent.pid!], ['python3', python.pid!]]
const sleep = new Int32Array(new SharedArrayBuffer(4))
const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!

/** µs per sample: this thread's CPU back to back, then the median wall time spaced. */
function measure(make: Make, pid: number): [number, number, number] {
  const sampler = make(pid)
  for (let i = 0; i < 500; i++) sampler.sample()
  let before = process.threadCpuUsage()
  for (let i = 0; i < samples; i++) sampler.sample()
  let used = process.threadCpuUsage(before)
  const hot = (used.user + used.system) / samples
  // getrusage's thread time is too coarse for one sample: the median wall time (preemption lands in the tail).
  const spaced: number[] = []
  for (let i = 0; i < SPACED; i++) {
    Atomics.wait(sleep, 0, 0, SPACING_MS)
    const start = process.hrtime.bigint()
    sampler.sample()
    spaced.push(Number(process.hrtime.bigint() - start) / 1000)
  }
  const peak = sampler.peakMb
  sampler.stop()
  return [hot, median(spaced), peak]
}

const results = new Map<string, number[][]>()
for (let round = 0; round < rounds; round++) {
  for (const [name, pid] of cases) {
    for (const [label, make] of makers) {
      const key = `${name.padEnd(18)} ${label.padEnd(8)}`
      const list = results.get(key) ?? []
      list.push(measure(make, pid))
      results.set(key, list)
    }
  }
}
console.log(`µs per sample, median of ${rounds} rounds: main-thread CPU over ${samples} back to back; median wall time of ${SPACED} spaced ${SPACING_MS} ms`)
for (const [key, list] of results) {
  console.log(`${key} back-to-back ${median(list.map((r) => r[0]!)).toFixed(1).padStart(6)}  spaced ${median(list.map((r) => r[1]!)).toFixed(1).padStart(6)}  peak ${median(list.map((r) => r[2]!))} MB`)
}
process.exit(0)
