// CPU time per API Gateway MOCK request: the Nimbus process's utime + stime (/proc/<pid>/stat) over N
// requests (8 connections, host-form invoke URL, the MOCK API bench/apigateway.ts deploys), and the bare
// node:http server's for the same client. Unlike requests/s it holds on a shared, busy machine: the
// ceiling share is roughly the ratio of the two. Linux only. Usage:
// `node bench/apigateway-cpu.ts [--requests 20000] [--rounds 3]`; prints each round and the lowest.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { mockApi } from './apigateway.ts'
import { helloSpec, installCleanup, nimbusSourceSpec, startTarget, stopAll } from './servers.ts'
import { HOST } from './sqs.ts'

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100

function cpuMicros(pid: number): number {
  // The fields after the command name (which may hold spaces) are: state, ppid, … utime (14th), stime (15th).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS
}

async function perRequest(pid: number, options: Parameters<typeof autocannon>[0], requests: number, rounds: number): Promise<number[]> {
  await autocannon({ ...options, amount: Math.min(5000, requests) })
  const out: number[] = []
  for (let i = 0; i < rounds; i++) {
    const before = cpuMicros(pid)
    const result = await autocannon({ ...options, amount: requests })
    if (result.non2xx > 0) throw new Error(`${result.non2xx} answers were not 2xx`)
    out.push((cpuMicros(pid) - before) / requests)
  }
  return out
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { requests: { type: 'string' }, rounds: { type: 'string' } } })
  const requests = Number(values.requests ?? 20_000)
  const rounds = Number(values.rounds ?? 3)
  installCleanup()
  try {
    const hello = await startTarget(helloSpec())
    const nimbus = await startTarget(nimbusSourceSpec())
    const apiId = await mockApi(nimbus.port)
    const common = { connections: 8, pipelining: 1, timeout: 10 }
    const mock = await perRequest(nimbus.serverPid, { ...common, url: `http://${HOST}:${nimbus.port}/bench/ping`,
      headers: { host: `${apiId}.execute-api.localhost:${nimbus.port}` } }, requests, rounds)
    const bare = await perRequest(hello.serverPid, { ...common, url: `http://${HOST}:${hello.port}/` }, requests, rounds)
    const show = (xs: number[]) => `${xs.map((x) => x.toFixed(1)).join(', ')} (lowest ${Math.min(...xs).toFixed(1)})`
    console.log(`CPU µs per request — Nimbus MOCK: ${show(mock)}; node:http ceiling: ${show(bare)}`)
    console.log(`ceiling share by CPU: ${(Math.min(...bare) / Math.min(...mock)).toFixed(2)}`)
  } finally {
    await stopAll()
  }
}
