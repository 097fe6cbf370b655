// Runs the (pattern, event, match?) tables and the invalid-pattern tables of this suite.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compilePattern, isPatternError, lambdaFilterEvent, type Dialect } from '../../src/event-pattern/index.ts'

export interface MatchCase {
  name: string
  pattern: object
  event: unknown
  match: boolean
}

export interface InvalidCase {
  name: string
  pattern: string | object
  /** The AWS reason text (without the service's prefix). */
  reason: string
}

export function c(name: string, pattern: object, event: unknown, match: boolean): MatchCase {
  return { name, pattern, event, match }
}

export function bad(name: string, pattern: string | object, reason: string): InvalidCase {
  return { name, pattern, reason }
}

/**
 * The same case seen through another dialect: SNS body scope takes the event as the message body
 * text; a Lambda SQS filter wraps both under `body`.
 */
function run(dialect: Dialect, pattern: object, event: unknown): boolean {
  if (dialect === 'sns-body') return compilePattern(pattern, dialect).matches(JSON.stringify(event))
  if (dialect === 'lambda-filter') {
    const record = lambdaFilterEvent('sqs', { body: JSON.stringify(event) })
    return compilePattern({ body: pattern }, dialect).matches(record)
  }
  return compilePattern(pattern, dialect).matches(event)
}

export function matchTable(title: string, cases: readonly MatchCase[], dialects: readonly Dialect[] = ['eventbridge']): void {
  describe(title, () => {
    for (const dialect of dialects) {
      for (const t of cases) {
        it(`[${dialect}] ${t.name}`, () => {
          assert.equal(run(dialect, t.pattern, t.event), t.match, `${JSON.stringify(t.pattern)} vs ${JSON.stringify(t.event)}`)
        })
      }
    }
  })
}

export function invalidTable(title: string, dialect: Dialect, cases: readonly InvalidCase[]): void {
  describe(title, () => {
    for (const t of cases) {
      it(t.name, () => {
        assert.throws(() => compilePattern(t.pattern, dialect), (error) => {
          assert.ok(isPatternError(error), `expected a PatternError, got ${String(error)}`)
          assert.equal(error.reason, t.reason)
          return true
        })
      })
    }
  })
}
