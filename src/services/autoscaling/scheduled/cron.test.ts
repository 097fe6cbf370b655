// Scheduled actions' Recurrence: Unix cron fields and their next occurrence in UTC and IANA time zones (DST included).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { nextOccurrence, parseCron } from './cron.ts'
import { instantOf, isTimeZone, offsetAt } from './zoned-time.ts'

const next = (expr: string, after: string, zone?: string) => {
  const t = nextOccurrence(parseCron(expr)!, Date.parse(after), zone)
  return t === undefined ? undefined : new Date(t).toISOString()
}

describe('cron parsing', () => {
  it('accepts the five crontab fields with lists, ranges, steps and names', () => {
    for (const e of ['30 0 1 1,6,12 *', '*/15 * * * *', '0 9 * * MON-FRI', '0 18 * jan-mar 1-5/2', '5 4 * * sun', '0 0 * * 7']) {
      assert.ok(parseCron(e), e)
    }
  })
  it('rejects what crontab rejects', () => {
    for (const e of ['', '* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '5-1 * * * *',
      '*/0 * * * *', 'a * * * *', '? * * * *', '0 0 L * *', 'cron(0 12 * * ? *)']) {
      assert.equal(parseCron(e), undefined, e)
    }
  })
})

describe('next occurrence', () => {
  it('in UTC, strictly after the given instant', () => {
    assert.equal(next('30 0 1 1,6,12 *', '2026-01-01T00:30:00Z'), '2026-06-01T00:30:00.000Z')
    assert.equal(next('*/15 * * * *', '2026-03-04T10:07:00Z'), '2026-03-04T10:15:00.000Z')
    assert.equal(next('0 9 * * MON-FRI', '2026-12-04T09:00:00Z'), '2026-12-07T09:00:00.000Z') // Friday → Monday
    assert.equal(next('0 0 29 2 *', '2026-03-01T00:00:00Z'), '2028-02-29T00:00:00.000Z')
    assert.equal(next('0 0 31 2 *', '2026-03-01T00:00:00Z'), undefined)
  })
  it('day of month OR day of week when both are restricted (crontab)', () => {
    // The 13th, or any Friday: 2026-02-06 is a Friday before the 13th.
    assert.equal(next('0 0 13 * 5', '2026-02-01T00:00:00Z'), '2026-02-06T00:00:00.000Z')
  })
  it('in a time zone, following its daylight-saving changes', () => {
    // 08:00 in New York: 13:00Z in winter (EST), 12:00Z in summer (EDT).
    assert.equal(next('0 8 * * *', '2026-01-10T00:00:00Z', 'America/New_York'), '2026-01-10T13:00:00.000Z')
    assert.equal(next('0 8 * * *', '2026-07-10T00:00:00Z', 'America/New_York'), '2026-07-10T12:00:00.000Z')
    // 02:30 does not exist on 2026-03-08 in New York (clocks jump 02:00 → 03:00): skipped to the next day.
    assert.equal(next('30 2 * * *', '2026-03-08T00:00:00Z', 'America/New_York'), '2026-03-09T06:30:00.000Z')
    // Etc/GMT+9 is UTC−9 (POSIX sign).
    assert.equal(next('0 0 * * *', '2026-05-01T00:00:00Z', 'Etc/GMT+9'), '2026-05-01T09:00:00.000Z')
  })
  it('knows IANA zones and offsets', () => {
    assert.ok(isTimeZone('Pacific/Tahiti'))
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false)
    assert.equal(offsetAt('Asia/Kolkata', Date.parse('2026-01-01T00:00:00Z')), 5.5 * 3_600_000)
    // The repeated hour of a fall-back day names its first (daylight) instant.
    assert.equal(new Date(instantOf('America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30 })!).toISOString(), '2026-11-01T05:30:00.000Z')
  })
})
