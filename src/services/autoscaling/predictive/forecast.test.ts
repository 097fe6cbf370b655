// Predictive scaling's forecast: the same hour of day averaged over the history, 48 hourly values, capacity from the target.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { capacityAt, forecast } from './forecast.ts'

const H = 3_600_000
const day0 = Date.parse('2026-12-01T00:00:00Z')

describe('forecast', () => {
  it('needs 24 hours of history', () => {
    const history = new Map(Array.from({ length: 23 }, (_, i) => [day0 + i * H, 100] as [number, number]))
    assert.equal(forecast(history, day0 + 23 * H, 50), undefined)
  })
  it('repeats the daily pattern, averaged over the days seen', () => {
    const history = new Map<number, number>()
    for (let d = 0; d < 2; d++) for (let h = 0; h < 24; h++) history.set(day0 + (d * 24 + h) * H, h >= 9 && h < 17 ? 300 + d * 100 : 100)
    const now = day0 + 48 * H + 10 * 60_000
    const f = forecast(history, now, 50)!
    assert.equal(f.timestamps.length, 48)
    assert.equal(f.timestamps[0], day0 + 48 * H)
    assert.equal(f.load[9], 350)
    assert.equal(f.capacity[9], 7)
    assert.equal(f.capacity[3], 2)
    assert.equal(capacityAt(f, day0 + 48 * H + 12 * H + 5), 7)
    assert.equal(capacityAt(f, day0), undefined)
  })
})
