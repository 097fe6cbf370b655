// CPU per API Gateway → Lambda proxy request of a Nimbus started with `--lambda-executor worker`: the main
// thread's and the whole process's µs per request, read from /proc before and after a fixed number of requests
// (robust to a busy machine, unlike requests/s). `node bench/proxy-cpu.ts [requests] [rounds]`; PROXY_CPU_PROF=<dir>
// writes a --cpu-prof profile of Nimbus there, PROXY_CPU_PERF=1 starts it with --perf-basic-prof for `perf record -t <pid>`.
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { proxyApi } from './apigateway-section.ts'
import { installCleanup, nimbusSourceSpec, startTarget, stopAll } from './servers.ts'
import { HOST } from './sqs.ts'

/** utime + stime in clock ticks (10 ms) of /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat. */
function ticks(path: string): number {
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}

const requests = Number(process.argv[2] ?? 20_000)
const rounds = Number(process.argv[3] ?? 3)
installCleanup()
try {
  const spec = nimbusSourceSpec()
  const profile = process.env.PROXY_CPU_PERF !== undefined ? ['--perf-basic-prof'] : process.env.PROXY_CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.PROXY_CPU_PROF}`]
  const nimbus = await startTarget({ ...spec, args: (port) => [...profile, ...spec.args(port), '--lambda-executor', 'worker'] })
  const { apiId } = await proxyApi(nimbus.port)
  const options = { url: `http://${HOST}:${nimbus.port}/bench/hello`, headers: { host: `${apiId}.execute-api.localhost:${nimbus.port}` }, connections: 8, pipelining: 1, timeout: 10 }
  await autocannon({ ...options, amount: 4_000 })
  const pid = nimbus.serverPid
  for (let round = 0; round < rounds; round++) {
    const [main0, all0] = [ticks(`/proc/${pid}/task/${pid}/stat`), ticks(`/proc/${pid}/stat`)]
    const result = await autocannon({ ...options, amount: requests })
    const [main1, all1] = [ticks(`/proc/${pid}/task/${pid}/stat`), ticks(`/proc/${pid}/stat`)]
    const n = result['2xx']
    console.log(`round ${round}: ${n} ok, ${result.non2xx} non-2xx; main thread ${((main1 - main0) * 10_000 / n).toFixed(1)} µs/req, process ${((all1 - all0) * 10_000 / n).toFixed(1)} µs/req, ${(n / result.duration).toFixed(0)} req/s`)
  }
} finally {
  await stopAll()
}
