// Holds an environment to its MemorySize: samples the resident memory of its whole process tree
// (a Node Buffer or a Python list is outside any heap limit; children count too, as in AWS's sandbox)
// and remembers every process it sees, so teardown can kill even those that left the tree.
// A sample runs on Nimbus's main thread every 100 ms per busy environment, so it is kept cheap
// (bench/memory-watchdog.ts): the runtime process's stat and its threads' children lists stay open and
// are read once each (proc-stat.ts), RSS is the stat line's, and only the tree's processes are read.
import { readdirSync } from 'node:fs'
import { closeProc, openProc, pageSize, procStat, readChildren, readChildrenAt, readStat, readStatAt } from './proc-stat.ts'
import { childrenByScan, hasProc, isAlive, type ProcessId } from './process-tree.ts'

const MiB = 1024 * 1024
/** Processes remembered before the dead ones are forgotten. */
const MAX_KNOWN = 1024
/**
 * After this long without a sample (no invocation running) the threads' open children lists are
 * reopened: an fd outlives its thread, and the thread's id could by then be another thread's.
 */
const REOPEN_AFTER_MS = 1000

/** Whether the kernel lists each thread's children (CONFIG_PROC_CHILDREN); else every process's ppid is read. */
const hasChildrenFiles = (() => {
  const fd = hasProc ? openProc(`/proc/self/task/${process.pid}/children`) : -1
  if (fd >= 0) closeProc(fd)
  return fd >= 0
})()

export interface WatchdogOptions {
  readonly pid: number
  readonly limitMb: number
  /** Real time between samples. */
  readonly periodMs: number
  /** Sampling happens only while this holds (init or an invocation running). */
  readonly active: () => boolean
  readonly onExceeded: () => void
}

/** A thread's open children list, with the sample that last saw the thread. */
interface ThreadFile { readonly fd: number; round: number }

export class MemoryWatchdog {
  /** Every process seen in the tree (by pid, with its start time against pid reuse). */
  readonly known = new Map<number, ProcessId>()
  /** The largest tree RSS sampled, in MB. */
  peakMb = 0
  private readonly options: WatchdogOptions
  private readonly timer: NodeJS.Timeout
  private stopped = false
  /** /proc/<pid>/stat of the runtime process, open while watched (bound to that process: -1 once gone). */
  private rootStat: number
  private readonly rootTid: string
  /** The runtime process's threads' children lists, by thread id. */
  private readonly threads = new Map<string, ThreadFile>()
  private round = 0
  private lastSampleAt = 0
  /** Reused by every sample: the tree's pids in the order found, and those already counted. */
  private readonly tree: number[] = []
  private readonly counted = new Set<number>()

  constructor(options: WatchdogOptions) {
    this.options = options
    this.rootTid = String(options.pid)
    this.rootStat = hasProc ? openProc(`/proc/${options.pid}/stat`) : -1
    // Real time: memory is the machine's, whatever the injected clock says.
    this.timer = setInterval(() => this.sample(), options.periodMs).unref()
  }

  stop(): void {
    clearInterval(this.timer)
    if (this.stopped) return
    this.stopped = true
    if (this.rootStat >= 0) closeProc(this.rootStat)
    this.rootStat = -1
    this.closeThreads()
  }

  /** One sample now (the timer's; bench/memory-watchdog.ts calls it directly). */
  sample(): void {
    if (this.stopped || this.rootStat < 0 || !this.options.active()) return
    const now = performance.now()
    if (now - this.lastSampleAt > REOPEN_AFTER_MS) this.closeThreads()
    this.lastSampleAt = now
    const bytes = this.treePages() * pageSize()
    if (this.known.size > MAX_KNOWN) for (const [pid, id] of this.known) if (!isAlive(id)) this.known.delete(pid)
    this.peakMb = Math.max(this.peakMb, Math.ceil(bytes / MiB))
    if (bytes > this.options.limitMb * MiB) {
      this.stop()
      this.options.onExceeded()
    }
  }

  /** Resident pages of the runtime process and all its live descendants, each noted in `known`. */
  private treePages(): number {
    const root = this.options.pid
    if (!readStat(this.rootStat)) return 0
    this.note(root, procStat.startTime)
    let pages = procStat.rssPages
    const tree = this.tree
    tree.length = 0
    this.rootChildren(procStat.threads, tree)
    const counted = this.counted
    counted.clear()
    counted.add(root)
    for (let i = 0; i < tree.length; i++) {
      const pid = tree[i]!
      if (counted.has(pid)) continue
      counted.add(pid)
      if (!readStatAt(`/proc/${pid}/stat`)) continue
      this.note(pid, procStat.startTime)
      pages += procStat.rssPages
      childrenOf(pid, procStat.threads, tree)
    }
    return pages
  }

  private note(pid: number, startTime: number): void {
    const id = this.known.get(pid)
    if (id === undefined || id.startTime !== startTime) this.known.set(pid, { pid, startTime })
  }

  /** Children of each of the runtime process's threads (a child is listed under the thread that started it). */
  private rootChildren(threadCount: number, into: number[]): void {
    if (!hasChildrenFiles) return childrenByScan(this.options.pid, into)
    const round = ++this.round
    let open = 0
    for (const tid of threadIds(this.options.pid, threadCount, this.rootTid)) open += this.readThread(tid, round, into)
    if (this.threads.size > open) {
      for (const [tid, file] of this.threads) {
        if (file.round === round) continue
        closeProc(file.fd)
        this.threads.delete(tid)
      }
    }
  }

  /** 1 when the thread's children list is open (and was read), 0 when the thread is gone. */
  private readThread(tid: string, round: number, into: number[]): number {
    let file = this.threads.get(tid)
    if (file === undefined) {
      const fd = openProc(`/proc/${this.options.pid}/task/${tid}/children`)
      if (fd < 0) return 0
      file = { fd, round }
      this.threads.set(tid, file)
    }
    file.round = round
    readChildren(file.fd, into)
    return 1
  }

  private closeThreads(): void {
    for (const file of this.threads.values()) closeProc(file.fd)
    this.threads.clear()
  }
}

/** Appends the children of a descendant (opened, read once and closed: a function's own processes are few). */
function childrenOf(pid: number, threadCount: number, into: number[]): void {
  if (!hasChildrenFiles) return childrenByScan(pid, into)
  for (const tid of threadIds(pid, threadCount, String(pid))) readChildrenAt(`/proc/${pid}/task/${tid}/children`, into)
}

/** A process's thread ids: its own (`mainTid`) alone when single-threaded (no directory read), none once it is gone. */
function threadIds(pid: number, threadCount: number, mainTid: string): readonly string[] {
  if (threadCount <= 1) return [mainTid]
  try {
    return readdirSync(`/proc/${pid}/task`)
  } catch {
    return []
  }
}
