// Keeps V8's young generation from growing past a cap in Nimbus's own process (the CLI's). V8 doubles
// the new space each time as many bytes have survived scavenges as it holds, so under a long flood
// of requests (each call's objects alive across a few scavenges) it climbs from 8 to 128 MiB and
// stays there: measured ~120 MB of RSS during a 60 s Kinesis PutRecords flood, none of it data.
// `--max-semi-space-size` would cap it, but only as a flag on node's command line (set from inside
// the process it has no effect, measured) — which `npx nimbus` and the bin's shebang can't portably
// pass. The growth factor, though, is read each time V8 grows the space: it is 1 (no growth) while
// the space is at the cap and V8's 2 below it (after V8 shrinks it when idle, it can grow back).
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8'
import { PerformanceObserver } from 'node:perf_hooks'

/** The new space (both semi-spaces) at most: measured 16 MiB → ~50 MB less RSS under the flood than 64–128. */
export const YOUNG_GENERATION_CAP_BYTES = 16 * 1_048_576

/** Watches every garbage collection (a heap-statistics read each, ~µs) and sets the growth factor; `stop` ends it. */
export function capYoungGeneration(cap = YOUNG_GENERATION_CAP_BYTES): { stop: () => void } {
  let growing = true
  const check = () => {
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    if (space === undefined) return
    const grow = space.space_size < cap
    if (grow === growing) return
    growing = grow
    setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`)
  }
  const observer = new PerformanceObserver(check)
  observer.observe({ entryTypes: ['gc'] })
  check()
  return { stop: () => observer.disconnect() }
}
