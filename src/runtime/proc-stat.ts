// Cheap reads of Linux /proc for the memory watchdog, which samples every 100 ms on Nimbus's main thread:
// one read(2) into a reused buffer per file, and /proc/<pid>/stat and a children list parsed from the
// bytes (no strings, no splitting). A read at offset 0 makes the kernel generate the file afresh, so an fd
// kept open can be read again each sample; it stays bound to its process (a reused pid is not it).
import { closeSync, openSync, readSync } from 'node:fs'

const buffer = Buffer.allocUnsafe(16 * 1024)

/** The last stat read by `readStat` (overwritten by the next). */
export const procStat = { ppid: 0, threads: 0, startTime: 0, rssPages: 0 }

/** An fd on a /proc file, -1 when it (its process or thread) is gone. */
export function openProc(path: string): number {
  try {
    return openSync(path, 'r')
  } catch {
    return -1
  }
}

export function closeProc(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Closed already.
  }
}

function readAt(fd: number, position: number): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, position)
  } catch {
    return -1
  }
}

/**
 * Fills `procStat` from /proc/<pid>/stat (an fd on it); false when the process is gone. After the
 * command name (which may hold spaces and parentheses, hence the last ')'): state(3) ppid(4) …
 * num_threads(20) … starttime(22) vsize(23) rss(24, pages).
 */
export function readStat(fd: number): boolean {
  const length = readAt(fd, 0)
  if (length <= 0) return false
  let at = buffer.lastIndexOf(0x29, length - 1)
  if (at < 0) return false
  let field = 2
  let value = 0
  for (at += 1; at < length; at++) {
    const byte = buffer[at]!
    if (byte === 0x20 || byte === 0x0a) {
      if (field === 4) procStat.ppid = value
      else if (field === 20) procStat.threads = value
      else if (field === 22) procStat.startTime = value
      else if (field === 24) {
        procStat.rssPages = value
        return true
      }
      field++
      value = 0
    } else if (byte >= 0x30 && byte <= 0x39) {
      value = value * 10 + byte - 0x30
    }
  }
  return false
}

/** `readStat` of a path: open, one read, close. */
export function readStatAt(path: string): boolean {
  const fd = openProc(path)
  if (fd < 0) return false
  try {
    return readStat(fd)
  } finally {
    closeProc(fd)
  }
}

/** Appends the pids listed in a /proc/<pid>/task/<tid>/children file (an fd on it) to `into`; false when unreadable. */
export function readChildren(fd: number, into: number[]): boolean {
  let value = 0
  let digits = false
  // One read unless a thread has thousands of children; a number may then span two reads.
  for (let position = 0; ;) {
    const length = readAt(fd, position)
    if (length < 0) return false
    for (let at = 0; at < length; at++) {
      const byte = buffer[at]!
      if (byte >= 0x30 && byte <= 0x39) {
        value = value * 10 + byte - 0x30
        digits = true
      } else if (digits) {
        into.push(value)
        value = 0
        digits = false
      }
    }
    if (length < buffer.length) break
    position += length
  }
  if (digits) into.push(value)
  return true
}

/** `readChildren` of a path: open, read, close. */
export function readChildrenAt(path: string, into: number[]): boolean {
  const fd = openProc(path)
  if (fd < 0) return false
  try {
    return readChildren(fd, into)
  } finally {
    closeProc(fd)
  }
}

let pageBytes = 0

/** Bytes per page of stat's rss: the kernel's page size, from the first mapping in /proc/self/smaps (4 KiB if unknown). */
export function pageSize(): number {
  if (pageBytes > 0) return pageBytes
  pageBytes = 4096
  const fd = openProc('/proc/self/smaps')
  if (fd < 0) return pageBytes
  try {
    const length = readAt(fd, 0)
    const match = length > 0 ? /KernelPageSize:\s+(\d+) kB/.exec(buffer.toString('latin1', 0, length)) : null
    if (match !== null) pageBytes = Number(match[1]) * 1024
  } finally {
    closeProc(fd)
  }
  return pageBytes
}
