// The bench's one parser of wrk's report (bench/wrk-output.ts), on wrk 4.x's own text.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseWrkOutput } from '../../bench/wrk-output.ts'

// Captured from `wrk -t1 -c2 -d1s --latency` against a server answering every tenth request 500.
const withLatency = `Running 1s test @ http://127.0.0.1:33287/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.39ms   13.17ms  79.75ms   87.96%
    Req/Sec     4.01k     4.81k   15.56k    90.00%
  Latency Distribution
     50%  151.00us
     75%    4.59ms
     90%   22.78ms
     99%   65.00ms
  3984 requests in 1.01s, 489.82KB read
  Non-2xx or 3xx responses: 398
Requests/sec:   3962.94
Transfer/sec:    487.23KB
`

const withErrors = `Running 2m test @ http://127.0.0.1:4566/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20s   300.00ms   2.00s    70.00%
    Req/Sec     6.00      2.00     10.00     80.00%
  720 requests in 2.00m, 720.00MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
Requests/sec:      6.00
Transfer/sec:      6.00MB
`

describe('parseWrkOutput', () => {
  it('reads the counts, the duration, the rate and the median latency', () => {
    assert.deepEqual(parseWrkOutput(withLatency), { requests: 3984, seconds: 1.01, requestsPerSecond: 3962.94, non2xx: 398, socketErrors: 0,
      p50Ms: 0.151 })
  })

  it('sums the socket errors, reads minutes, and has no median without --latency', () => {
    assert.deepEqual(parseWrkOutput(withErrors), { requests: 720, seconds: 120, requestsPerSecond: 6, non2xx: 0, socketErrors: 10, p50Ms: undefined })
  })

  it('reads nothing from something that is not wrk\'s report', () => {
    assert.deepEqual(parseWrkOutput('wrk: command failed'), { requests: 0, seconds: 0, requestsPerSecond: 0, non2xx: 0, socketErrors: 0, p50Ms: undefined })
  })
})
