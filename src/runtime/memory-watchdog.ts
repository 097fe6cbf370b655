// Holds an environment to its MemorySize: samples the resident memory of its whole process tree
// (a Node Buffer or a Python list is outside any heap limit; children count too, as in AWS's sandbox)
// and remembers every process it sees, so teardown can kill even those that left the tree.
import { isAlive, processTree, type ProcessId, residentBytes } from './process-tree.ts'

const MiB = 1024 * 1024
/** Processes remembered before the dead ones are forgotten. */
const MAX_KNOWN = 1024

export interface WatchdogOptions {
  readonly pid: number
  readonly limitMb: number
  /** Real time between samples. */
  readonly periodMs: number
  /** Sampling happens only while this holds (init or an invocation running). */
  readonly active: () => boolean
  readonly onExceeded: () => void
}

export class MemoryWatchdog {
  /** Every process seen in the tree (by pid, with its start time against pid reuse). */
  readonly known = new Map<number, ProcessId>()
  /** The largest tree RSS sampled, in MB. */
  peakMb = 0
  private readonly options: WatchdogOptions
  private readonly timer: NodeJS.Timeout

  constructor(options: WatchdogOptions) {
    this.options = options
    // Real time: memory is the machine's, whatever the injected clock says.
    this.timer = setInterval(() => this.sample(), options.periodMs).unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private sample(): void {
    if (!this.options.active()) return
    let bytes = 0
    for (const id of processTree(this.options.pid)) {
      this.known.set(id.pid, id)
      bytes += residentBytes(id.pid)
    }
    if (this.known.size > MAX_KNOWN) for (const [pid, id] of this.known) if (!isAlive(id)) this.known.delete(pid)
    this.peakMb = Math.max(this.peakMb, Math.ceil(bytes / MiB))
    if (bytes > this.options.limitMb * MiB) {
      this.stop()
      this.options.onExceeded()
    }
  }
}
