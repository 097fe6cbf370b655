// CPU per API Gateway → Lambda proxy request: Nimbus's main thread (and its user time apart), its whole process, its function processes
// together (the process executor's children) and the load generator, µs per request, with context switches per
// request, read from /proc before and after a fixed number of requests (robust to a busy machine, unlike
// requests/s). `node bench/proxy-cpu.ts [requests] [rounds] [process|worker] [autocannon|wrk]` (default 20000 3
// process autocannon; wrk runs for requests/2500 s instead of a count). PROXY_CPU_PROF=<dir> writes a --cpu-prof
// profile of Nimbus there, PROXY_CPU_PERF=1 starts it with --perf-basic-prof for `perf record -t <pid>`;
// PROXY_CPU_AB=batch alternates rounds between the children under SCHED_BATCH and SCHED_OTHER (set from outside
// with chrt, every thread), PROXY_CPU_AB=nice<N> between nice N and 0 (renice), PROXY_CPU_AB=autogroup<N> between
// their autogroups (each function process is its own session) at nice N and 0; PROXY_CPU_CONNECTIONS (default 8)
// sets autocannon's connections.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import autocannon from 'autocannon'
import { proxyApi } from './apigateway-section.ts'
import { childPids, installCleanup, nimbusSourceSpec, startTarget, stopAll } from './servers.ts'
import { wrkPath } from './s3-wrk.ts'
import { HOST } from './sqs.ts'

/** utime + stime in clock ticks (10 ms) of /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat. */
function ticks(path: string): number {
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

/** Voluntary and involuntary context switches of one thread (/proc/<pid>/task/<tid>/status). */
function switches(path: string): [number, number] {
  try {
    const status = readFileSync(path, 'utf8')
    return [Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0), Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0)]
  } catch {
    return [0, 0]
  }
}

/** Every thread's switches of a process, summed. */
function processSwitches(pid: number): [number, number] {
  let v = 0
  let n = 0
  let tids: string[] = []
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return [0, 0]
  }
  for (const tid of tids) {
    const [a, b] = switches(`/proc/${pid}/task/${tid}/status`)
    v += a
    n += b
  }
  return [v, n]
}

/** This process's CPU and that of its reaped children (wrk, once it exited), in clock ticks: the load generator's. */
function generatorTicks(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])
}

/** utime of one thread or process alone, in clock ticks (its stime is `ticks` minus this). */
function userTicks(path: string): number {
  try {
    return Number(readFileSync(path, 'utf8').split(') ')[1]!.split(' ')[11])
  } catch {
    return 0
  }
}

interface Sample { generator: number; main: number; mainUser: number; all: number; allUser: number; kids: number; mainSw: [number, number]; allSw: [number, number]; kidsSw: [number, number] }

function sample(pid: number, kids: number[]): Sample {
  const kidsSw: [number, number] = [0, 0]
  let kidTicks = 0
  for (const kid of kids) {
    kidTicks += ticks(`/proc/${kid}/stat`)
    const [v, n] = processSwitches(kid)
    kidsSw[0] += v
    kidsSw[1] += n
  }
  return { generator: generatorTicks(), main: ticks(`/proc/${pid}/task/${pid}/stat`), mainUser: userTicks(`/proc/${pid}/task/${pid}/stat`),
    all: ticks(`/proc/${pid}/stat`), allUser: userTicks(`/proc/${pid}/stat`), kids: kidTicks,
    mainSw: switches(`/proc/${pid}/task/${pid}/status`), allSw: processSwitches(pid), kidsSw }
}

const run = promisify(execFile)

/**
 * About `amount` requests with wrk (a C generator, 1 thread, 8 connections). wrk runs for a duration
 * (its main thread sleeps it out whatever a script does), so the duration is `amount` at 2,500 req/s.
 */
async function wrkAmount(url: string, host: string, amount: number): Promise<{ ok: number; non2xx: number; seconds: number }> {
  const duration = Math.max(2, Math.ceil(amount / 2500))
  const { stdout } = await run(wrkPath()!, ['-t1', '-c8', `-d${duration}s`, '--timeout', '10s', '-H', `Host: ${host}`, url], { timeout: (duration + 30) * 1000 })
  const total = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0)
  return { ok: total - non2xx, non2xx, seconds: Number(/requests in ([\d.]+)s/.exec(stdout)?.[1] ?? duration) }
}

const requests = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
const executor = process.argv[4] ?? 'process'
const generator = process.argv[5] ?? 'autocannon'
if (generator === 'wrk' && wrkPath() === undefined) throw new Error('wrk is not on PATH')
installCleanup()
try {
  const spec = nimbusSourceSpec()
  const profile = process.env.PROXY_CPU_PERF !== undefined ? ['--perf-basic-prof'] : process.env.PROXY_CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.PROXY_CPU_PROF}`]
  const nimbus = await startTarget({ ...spec, args: (port) => [...profile, ...spec.args(port), '--lambda-executor', executor] })
  const { apiId } = await proxyApi(nimbus.port)
  const url = `http://${HOST}:${nimbus.port}/bench/hello`
  const host = `${apiId}.execute-api.localhost:${nimbus.port}`
  const options = { url, headers: { host }, connections: Number(process.env.PROXY_CPU_CONNECTIONS ?? 8), pipelining: 1, timeout: 10 }
  const drive = async (amount: number) => {
    if (generator === 'wrk') return wrkAmount(url, host, amount)
    const started = performance.now()
    const result = await autocannon({ ...options, amount })
    return { ok: result['2xx'], non2xx: result.non2xx, seconds: (performance.now() - started) / 1000 }
  }
  await drive(4_000)
  const pid = nimbus.serverPid
  // Nimbus's direct children: the function processes (each its own group).
  const kids = childPids(pid)
  // Experiment (PROXY_CPU_AB): even rounds with the children re-scheduled from outside (every thread), odd rounds as usual.
  const ab = process.env.PROXY_CPU_AB !== undefined
  const policy = async (flag: string) => {
    for (const kid of kids) for (const tid of readdirSync(`/proc/${kid}/task`)) await run('chrt', [flag, '-p', '0', tid]).catch(() => {})
  }
  console.log(`${executor} executor, ${generator}; ${kids.length} child processes of Nimbus${ab ? `; even rounds: children ${process.env.PROXY_CPU_AB}` : ''}`)
  for (let round = 0; round < rounds; round++) {
    if (ab && process.env.PROXY_CPU_AB!.startsWith('autogroup')) {
      // Each function process is in its own session (detached), so its own autogroup: its nice weighs it against Nimbus's.
      const value = round % 2 === 1 ? '0' : process.env.PROXY_CPU_AB!.slice(9)
      for (const kid of kids) {
        try {
          writeFileSync(`/proc/${kid}/autogroup`, value)
        } catch (error) {
          console.log(`autogroup of ${kid}: ${String(error)}`)
        }
      }
    } else if (ab && process.env.PROXY_CPU_AB!.startsWith('nice')) {
      const value = round % 2 === 1 ? '0' : process.env.PROXY_CPU_AB!.slice(4)
      for (const kid of kids) for (const tid of readdirSync(`/proc/${kid}/task`)) await run('renice', ['-n', value, '-p', tid]).catch(() => {})
    } else if (ab) await policy(round % 2 === 1 ? '-o' : '-b')
    const a = sample(pid, kids)
    const result = await drive(requests)
    const b = sample(pid, kids)
    const n = result.ok
    const us = (t: number) => (t * 10_000 / n).toFixed(1)
    const per = (x: number) => (x / n).toFixed(2)
    console.log(`round ${round}: ${n} ok, ${result.non2xx} non-2xx, ${(n / result.seconds).toFixed(0)} req/s; µs/req main thread ${us(b.main - a.main)} ` +
      `(user ${us(b.mainUser - a.mainUser)} sys ${us(b.main - a.main - b.mainUser + a.mainUser)}), ` +
      `Nimbus ${us(b.all - a.all)} (user ${us(b.allUser - a.allUser)}), children ${us(b.kids - a.kids)}, Nimbus+children ${us(b.all - a.all + b.kids - a.kids)}, load generator ${us(b.generator - a.generator)}; ` +
      `switches/req (vol/invol) main ${per(b.mainSw[0] - a.mainSw[0])}/${per(b.mainSw[1] - a.mainSw[1])}, ` +
      `Nimbus ${per(b.allSw[0] - a.allSw[0])}/${per(b.allSw[1] - a.allSw[1])}, children ${per(b.kidsSw[0] - a.kidsSw[0])}/${per(b.kidsSw[1] - a.kidsSw[1])}`)
  }
} finally {
  await stopAll()
}
