// Every process an execution environment started, found through Linux's /proc: everything carrying
// its tag, for teardown (memory-watchdog.ts walks its process tree). Processes a function detaches into a
// new session leave the runtime's process group, so killing the group alone is not enough.
import { readdirSync, readFileSync } from 'node:fs'
import { procStat, readStatAt } from './proc-stat.ts'

/** Set in every function process's environment, and inherited by whatever it starts. */
export const ENVIRONMENT_TAG = 'NIMBUS_ENVIRONMENT_ID'

export const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat')
    return true
  } catch {
    return false
  }
})()

/** A process as /proc shows it; the start time tells a pid apart from a later process reusing it. */
export interface ProcessId {
  readonly pid: number
  /** Clock ticks after boot (/proc/<pid>/stat's starttime). */
  readonly startTime: number
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)
  } catch {
    return []
  }
}

/** Appends the children of `pid` to `into` by every process's ppid (a kernel without /proc/<pid>/task/<tid>/children). */
export function childrenByScan(pid: number, into: number[]): void {
  for (const p of allPids()) if (readStatAt(`/proc/${p}/stat`) && procStat.ppid === pid) into.push(p)
}

/** Whether the process is still the one seen (not gone, its pid not reused). */
export function isAlive(id: ProcessId): boolean {
  return readStatAt(`/proc/${id.pid}/stat`) && procStat.startTime === id.startTime
}

/** Processes whose environment carries `<ENVIRONMENT_TAG>=<tag>`, Nimbus itself excepted. */
export function taggedProcesses(tag: string): number[] {
  if (!hasProc) return []
  const needle = Buffer.from(`\0${ENVIRONMENT_TAG}=${tag}\0`)
  const first = needle.subarray(1)
  const found: number[] = []
  for (const pid of allPids()) {
    if (pid === process.pid) continue
    let environ: Buffer
    try {
      environ = readFileSync(`/proc/${pid}/environ`)
    } catch {
      continue
    }
    // A zombie's environment reads empty: it is dead already and needs no signal.
    const padded = environ.length > 0 && environ[environ.length - 1] !== 0 ? Buffer.concat([environ, Buffer.from([0])]) : environ
    if (padded.indexOf(needle) >= 0 || padded.subarray(0, first.length).equals(first)) found.push(pid)
  }
  return found
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Gone already, or not ours.
  }
}

/** A bound on rescans, for a process tree that keeps forking faster than it is killed. */
const MAX_ROUNDS = 100

/**
 * Kills everything an environment started: its process group, the descendants seen while it ran
 * (still the same processes: same start time), then every process carrying its tag, scanning again
 * until a scan finds no process not already signalled (one may have forked while the scan ran; a
 * signalled one can fork no more, and may still show for a moment while it dies). Synchronous, so it
 * also works from an `exit` handler.
 */
export function killEnvironment(groupId: number | undefined, tag: string, known: Iterable<ProcessId>): void {
  if (groupId !== undefined) {
    try {
      process.kill(-groupId, 'SIGKILL')
    } catch {
      // The group is empty.
    }
  }
  if (!hasProc) return
  for (const { pid, startTime } of known) {
    if (pid !== process.pid && isAlive({ pid, startTime })) kill(pid)
  }
  const signalled = new Set<number>()
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fresh = taggedProcesses(tag).filter((pid) => !signalled.has(pid))
    if (fresh.length === 0) return
    for (const pid of fresh) {
      signalled.add(pid)
      kill(pid)
    }
  }
}
