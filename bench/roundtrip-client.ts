// One round-trip load-client process, spawned by roundtrip.ts: prints `ready`, waits for a line on stdin,
// runs its share of the workers, prints its result as one JSON line, and exits.
// Usage: node bench/roundtrip-client.ts '{"port":…,"queueUrl":…,"workers":…,"warmupSeconds":…,"seconds":…}'
import { once } from 'node:events'
import { type RoundTripOptions, runRoundTripWorkers } from './roundtrip.ts'

const options = JSON.parse(process.argv[2] ?? '{}') as RoundTripOptions
process.stdout.write('ready\n')
process.stdin.resume()
await once(process.stdin, 'data')
process.stdin.pause()
const result = await runRoundTripWorkers(options)
result.latencies = result.latencies.map((ms) => Math.round(ms * 100) / 100)
// Exit only once the (large) line is flushed: process.exit() right after write() can truncate a pipe.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0))
