// Every process an execution environment started, found through Linux's /proc: its process tree
// (for memory) and everything carrying its tag (for teardown). Processes a function detaches into a
// new session leave the runtime's process group, so killing the group alone is not enough.
import { readdirSync, readFileSync } from 'node:fs'

/** Set in every function process's environment, and inherited by whatever it starts. */
export const ENVIRONMENT_TAG = 'NIMBUS_ENVIRONMENT_ID'

const hasProc = (() => {
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
  readonly startTime: string
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1')
  } catch {
    return undefined
  }
}

/** ppid and start time from /proc/<pid>/stat (the command name may hold spaces and parentheses). */
function stat(pid: number): { ppid: number; startTime: string } | undefined {
  const text = readText(`/proc/${pid}/stat`)
  if (text === undefined) return undefined
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // After the name: state(3) ppid(4) … starttime(22); fields[0] is field 3.
  return { ppid: Number(fields[1]), startTime: fields[19] ?? '' }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)
  } catch {
    return []
  }
}

/** Direct children of `pid`, from each of its threads' children list, else from every process's ppid. */
function childrenOf(pid: number): number[] {
  let tids: string[]
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return []
  }
  const children: number[] = []
  for (const tid of tids) {
    const text = readText(`/proc/${pid}/task/${tid}/children`)
    if (text === undefined) return allPids().filter((p) => stat(p)?.ppid === pid)
    for (const child of text.split(' ')) if (child !== '') children.push(Number(child))
  }
  return children
}

/** `root` and all its live descendants (Linux; just `root` elsewhere). */
export function processTree(root: number): ProcessId[] {
  if (!hasProc) return []
  const tree: ProcessId[] = []
  const queue = [root]
  const seen = new Set<number>()
  while (queue.length > 0) {
    const pid = queue.shift()!
    if (seen.has(pid)) continue
    seen.add(pid)
    const info = stat(pid)
    if (info === undefined) continue
    tree.push({ pid, startTime: info.startTime })
    queue.push(...childrenOf(pid))
  }
  return tree
}

/** Whether the process is still the one seen (not gone, its pid not reused). */
export function isAlive(id: ProcessId): boolean {
  return stat(id.pid)?.startTime === id.startTime
}

/** Resident memory of a process in bytes (VmRSS), 0 when gone. */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readText(`/proc/${pid}/status`) ?? '')
  return match === null ? 0 : Number(match[1]) * 1024
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
