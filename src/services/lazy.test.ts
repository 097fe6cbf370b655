import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ManualClock } from '../core/clock.ts'
import { describe as describeService } from './lazy.ts'
import { createServices } from './registry.ts'
import type { ServiceDescriptor } from './service.ts'

const workDir = mkdtempSync(join(tmpdir(), 'nimbus-lazy-'))
after(() => rmSync(workDir, { recursive: true, force: true }))

function fresh() {
  return createServices({
    clock: new ManualClock(0), workDir, log: () => {}, endpoint: () => 'http://localhost',
    lambdaRuntime: {
      invoke: () => Promise.reject(new Error('no runtime in this test')), busy: () => 0, dispose: async () => {}, stop: async () => {},
    },
  })
}

/** Compared as routing sees them: absent and empty are the same. */
function routing(d: ServiceDescriptor): Record<string, unknown> {
  return {
    name: d.name, signingName: d.signingName, protocols: d.protocols, targetPrefix: d.targetPrefix, apiVersion: d.apiVersion,
    pathPrefixes: d.pathPrefixes ?? [], claimsHost: d.claimsHost, catchAll: d.catchAll,
    streamingMethods: [...(d.streamingMethods ?? [])].sort(),
  }
}

describe('lazy services', () => {
  it('route by descriptors that match the loaded definitions (and so the models)', () => {
    const services = fresh()
    for (const service of services.list) {
      assert.deepEqual(routing(service.descriptor), routing(describeService(service.definition())), service.descriptor.name)
    }
  })

  it('stay unloaded through health, reset and stop, and load on the first call on their port', async () => {
    const services = fresh()
    const health = () => Object.fromEntries(services.list.map((s) => [s.descriptor.name, s.health()]))
    services.list.forEach((s) => s.reset())
    for (const name of ['logs', 's3', 'eventbridge']) assert.deepEqual(health()[name], { status: 'available' }, name)
    assert.equal(services.loadedPorts.s3(), undefined)
    assert.equal(services.ports.s3.exists('no-such-bucket'), false)
    assert.notEqual(services.loadedPorts.s3(), undefined)
    assert.equal((health().s3 as { status: string }).status, 'running')
    assert.equal(services.loadedPorts.eventbridge(), undefined)
    await Promise.all(services.list.map((s) => s.stop()))
    assert.equal(services.loadedPorts.eventbridge(), undefined)
  })

  it('take listeners to log appends without loading Logs, and tell them once it has', () => {
    const services = fresh()
    const heard: string[] = []
    services.ports.logs.onAppended((appended) => heard.push(...appended.events.map((e) => e.message)))
    assert.equal(services.loadedPorts.logs(), undefined)
    services.ports.logs.write('000000000000', 'us-east-1', '/aws/lambda/f', 'stream', [{ timestamp: 0, message: 'hello' }])
    assert.notEqual(services.loadedPorts.logs(), undefined)
    assert.deepEqual(heard, ['hello'])
  })
})
