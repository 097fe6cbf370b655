// A Nimbus on a fresh data dir that a test can restart on the same dir (the in-process durability
// tests). Every Nimbus it started is stopped, and every dir removed, when the test file ends — also
// after a failed assertion, which would otherwise leave a Nimbus running and the file never ending.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after } from 'node:test'
import { type Nimbus, type NimbusOptions, startNimbus } from '../../src/index.ts'

const dirs: string[] = []
const running = new Set<Nimbus>()
after(async () => {
  await Promise.all([...running].map((nimbus) => nimbus.stop()))
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})

export interface DurableNimbus {
  readonly dataDir: string
  /** The Nimbus running now (a new object after each restart). */
  readonly nimbus: Nimbus
  /** Stops it (as a clean stop does) and starts another on the same data dir. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** Starts Nimbus with a manual clock on a new data dir named after `name`. */
export async function durableNimbus(name: string, options: NimbusOptions = {}): Promise<DurableNimbus> {
  const dataDir = mkdtempSync(join(tmpdir(), `nimbus-durable-${name}-`))
  dirs.push(dataDir)
  const open = async () => {
    const nimbus = await startNimbus({ port: 0, clock: 'manual', log: () => {}, ...options, dataDir })
    running.add(nimbus)
    return nimbus
  }
  let current = await open()
  const stop = async () => {
    await current.stop()
    running.delete(current)
  }
  return {
    dataDir,
    get nimbus() {
      return current
    },
    restart: async () => {
      await stop()
      current = await open()
    },
    stop,
  }
}
