// The memory watchdog's sample (Linux /proc): the tree's RSS counts a child started from a thread other
// than the main one and a grandchild, every process seen is remembered, a limit fires onExceeded, and
// the files it holds open are closed when it stops.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { MemoryWatchdog } from '../../src/runtime/memory-watchdog.ts'

const linux = existsSync('/proc/self/stat')
const started: ChildProcess[] = []
after(() => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // Gone.
    }
  }
})

/** VmRSS of a process in bytes, as /proc/<pid>/status shows it. */
function vmRss(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))![1]) * 1024
}

const openFds = () => readdirSync('/proc/self/fd').length

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  assert.fail(`timed out waiting for ${what}`)
}

describe('memory watchdog', { skip: !linux && 'needs /proc' }, () => {
  it('counts a thread-started child and its child, remembers them, and fires past the limit', async () => {
    // A Python thread starts `sh`, which starts a Python holding 64 MB; the thread keeps running, so the
    // child stays listed under that thread (not the main one) while it is sampled.
    const script = [
      'import subprocess, sys, threading, time',
      "hold = \"b = bytearray(64 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print('held', flush=True); import time; time.sleep(600)\"",
      'def run():',
      "    subprocess.Popen(['sh', '-c', 'python3 -c \"$0\"; :', hold], stdout=sys.stdout)",
      '    time.sleep(600)',
      'threading.Thread(target=run).start()',
      'time.sleep(600)',
    ].join('\n')
    const child = spawn('python3', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] })
    started.push(child)
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString() })
    await until(() => out.includes('held'), 'the grandchild to hold its memory')
    const fdsBefore = openFds()
    let exceeded = 0
    const watchdog = new MemoryWatchdog({ pid: child.pid!, limitMb: 4096, periodMs: 1 << 30, active: () => true, onExceeded: () => exceeded++ })
    watchdog.sample()
    const pids = [...watchdog.known.keys()]
    assert.equal(pids.length, 3, `root, sh and the holder: ${pids.join(' ')}`)
    assert.equal(pids[0], child.pid)
    const total = pids.reduce((sum, pid) => sum + vmRss(pid), 0)
    assert.ok(watchdog.peakMb >= 64, `peak ${watchdog.peakMb} MB`)
    // The same memory VmRSS shows (it moves a little between reads).
    assert.ok(Math.abs(watchdog.peakMb - total / 1024 / 1024) < 4, `peak ${watchdog.peakMb} MB, VmRSS ${total / 1024 / 1024} MB`)
    assert.equal(exceeded, 0)
    assert.ok(openFds() > fdsBefore, 'the root process\'s files stay open between samples')
    watchdog.stop()
    assert.equal(openFds(), fdsBefore)

    const strict = new MemoryWatchdog({ pid: child.pid!, limitMb: 64, periodMs: 1 << 30, active: () => true, onExceeded: () => exceeded++ })
    strict.sample()
    assert.equal(exceeded, 1)
    assert.equal(openFds(), fdsBefore, 'stopped on exceeding: files closed')
    strict.sample()
    assert.equal(exceeded, 1, 'no sample after it stopped')
  })

  it('samples nothing while inactive and nothing once the process is gone', async () => {
    const child = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' })
    started.push(child)
    let active = false
    const watchdog = new MemoryWatchdog({ pid: child.pid!, limitMb: 1, periodMs: 1 << 30, active: () => active, onExceeded: () => assert.fail('a sleep uses no memory to speak of') })
    watchdog.sample()
    assert.equal(watchdog.known.size, 0)
    active = true
    child.kill('SIGKILL')
    await new Promise((resolve) => child.once('exit', resolve))
    watchdog.sample()
    assert.equal(watchdog.known.size, 0)
    assert.equal(watchdog.peakMb, 0)
    watchdog.stop()
  })
})
