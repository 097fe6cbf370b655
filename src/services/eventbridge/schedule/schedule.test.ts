// Schedule expressions: AWS's valid and invalid examples (§5.7) and when each fires next.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseSchedule } from './schedule.ts'

const at = (iso: string) => Date.parse(iso)
const next = (expression: string, after: string) => new Date(parseSchedule(expression).next(at(after))!).toISOString()

describe('schedule expressions', () => {
  it('accepts AWS\'s valid examples', () => {
    for (const e of ['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)',
      'cron(0 2 ? * SAT *)', 'cron(5,35 14 * * ? *)', 'cron(15 10 ? * 6L 2002-2005)', 'cron(0 2 ? * SAT#3 *)',
      'cron(0/5 5 ? JAN 1-5 2022)', 'cron(0/5 8-17 ? * MON-FRI *)', 'cron(0 8 1 * ? *)', 'cron(0 0 L * ? *)', 'cron(0 9 15W * ? *)']) {
      assert.doesNotThrow(() => parseSchedule(e), e)
    }
  })

  it('refuses AWS\'s invalid examples with "Parameter ScheduleExpression is not valid."', () => {
    for (const e of ['rate(10 seconds)', 'rate(10 years)', 'rate(1 minutes)', 'rate(1 hours)', 'rate(1 days)', 'rate(10 minute)',
      'rate(10 hour)', 'rate(10 day)', 'rate()', 'rate(10)', 'rate(10 minutess)', 'rate(foo minutes)', 'rate(0 minutes)',
      'rate(-10 minutes)', 'rate(10 MINUTES)', 'rate( 10 minutes )', ' rate(10 minutes)', 'cron(0 1 * * * *)', 'cron(7 20 * * NOT *)',
      'cron(INVALID)', 'cron(0 dummy ? * MON-FRI *)', 'cron(71 8 1 * ? *)', 'cron(0 8 1 * ?)', 'every day']) {
      assert.throws(() => parseSchedule(e), { name: 'ValidationException', message: 'Parameter ScheduleExpression is not valid.' }, e)
    }
  })

  it('computes the next firing in UTC', () => {
    assert.equal(next('rate(5 minutes)', '2024-01-01T10:17:30Z'), '2024-01-01T10:22:30.000Z')
    assert.equal(next('cron(0 12 * * ? *)', '2024-01-01T12:00:00Z'), '2024-01-02T12:00:00.000Z')
    assert.equal(next('cron(5,35 14 * * ? *)', '2024-01-01T14:10:00Z'), '2024-01-01T14:35:00.000Z')
    assert.equal(next('cron(0/15 8-17 ? * MON-FRI *)', '2024-01-05T17:50:00Z'), '2024-01-08T08:00:00.000Z') // Fri → Mon
    assert.equal(next('cron(0 2 ? * SAT#3 *)', '2024-01-01T00:00:00Z'), '2024-01-20T02:00:00.000Z')
    assert.equal(next('cron(0 0 ? * 6L *)', '2024-02-01T00:00:00Z'), '2024-02-23T00:00:00.000Z') // last Friday
    assert.equal(next('cron(0 0 L * ? *)', '2024-02-01T00:00:00Z'), '2024-02-29T00:00:00.000Z')
    assert.equal(next('cron(0 9 1W * ? *)', '2024-05-31T00:00:00Z'), '2024-06-03T09:00:00.000Z') // 1 June 2024 is a Saturday
    assert.equal(next('cron(0 0 1 JAN ? 2030)', '2024-01-01T00:00:00Z'), '2030-01-01T00:00:00.000Z')
    assert.equal(parseSchedule('cron(15 10 ? * 6L 2002-2005)').next(at('2024-01-01T00:00:00Z')), undefined)
  })
})
