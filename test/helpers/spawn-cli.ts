// The built CLI as a child process on a data dir, for the kill tests (test/e2e/durability/): start
// it, wait for "ready on", kill it as a crash would, and kill whatever is left when the file's tests end.
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after } from 'node:test'

export const cli = resolve(import.meta.dirname, '../../dist/cli.js')

export interface Spawned {
  child: ChildProcess
  endpoint: string
}

export class CliProcesses {
  private readonly children: ChildProcess[] = []

  /** `nimbus start --port 0 --clock manual <args>`, resolved once it listens. */
  async start(args: string[]): Promise<Spawned> {
    assert.ok(existsSync(cli), `${cli} is missing: build first (npx tsc -p tsconfig.build.json && node scripts/copy-assets.ts)`)
    const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--clock', 'manual', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    this.children.push(child)
    let out = ''
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    const endpoint = await new Promise<string>((resolveReady, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const found = /ready on (http:\/\/[^ ]+)/.exec(out)?.[1]
        if (found !== undefined) resolveReady(found)
      })
      child.once('exit', (code) => reject(new Error(`nimbus exited with ${code} before it was ready: ${out}`)))
    })
    return { child, endpoint }
  }

  /** SIGKILL (the crash a kill test survives), resolved once the process is gone. */
  async kill(spawned: Spawned): Promise<void> {
    spawned.child.kill('SIGKILL')
    await once(spawned.child, 'exit')
  }

  killAll(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}

/** A kill test file's data dir (named from `prefix`) and processes: when its tests end, what is left runs no more and the dir is removed. */
export function killTestDir(prefix: string): { dataDir: string; processes: CliProcesses } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix))
  const processes = new CliProcesses()
  after(() => {
    processes.killAll()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return { dataDir, processes }
}
