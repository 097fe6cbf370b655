// With the system clock, POST /_nimbus/clock refuses to move time.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'
import { jsonHeaders, rawRequest } from '../../helpers/raw-http.ts'

const nimbus = useNimbus({ clock: 'system' })

describe('system clock', () => {
  it('cannot be advanced', async () => {
    const response = await rawRequest(nimbus.current.endpoint, { path: '/_nimbus/clock', headers: jsonHeaders, body: '{"advanceMs": 5}' })
    assert.equal(response.status, 409)
    const now = JSON.parse((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/_nimbus/clock' })).body) as { now: number }
    assert.ok(Math.abs(now.now - Date.now()) < 60_000)
  })
})
