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
const YOUNG_GENERATION_CAP_BYTES = 16 * 1_048_576

/**
 * While at the cap the space cannot grow (factor 1), only shrink when idle: a timer this slow notices
 * that, instead of a heap-statistics read after every garbage collection of a flood. A shrunk space
 * merely stays small that long.
 */
const AT_CAP_CHECK_MS = 5_000

/**
 * Sets the growth factor from the new space's size: below the cap it watches every garbage collection
 * (a growth happens at one); at the cap it only polls slowly for a shrink. `stop` ends it.
 */
export function capYoungGeneration(cap = YOUNG_GENERATION_CAP_BYTES, atCapCheckMs = AT_CAP_CHECK_MS): { stop: () => void } {
  let growing = true
  const observer = new PerformanceObserver(() => check())
  const timer = setInterval(() => check(), atCapCheckMs).unref()
  const check = () => {
    const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
    if (space === undefined) return
    const grow = space.space_size < cap
    if (grow === growing) return
    growing = grow
    setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`)
    if (grow) observer.observe({ entryTypes: ['gc'] })
    else observer.disconnect()
  }
  observer.observe({ entryTypes: ['gc'] })
  check()
  return { stop: () => { observer.disconnect(); clearInterval(timer) } }
}
