// A TOKEN authorizer's identityValidationExpression: Java's String.matches on the caller's token,
// run bounded, so a token that makes the expression backtrack catastrophically is refused, not a stall.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { regexBudget, setRegexBudget } from '../../../core/bounded-regex.ts'
import { fullMatch } from './authorizer.ts'

describe('identityValidationExpression', () => {
  const budget = regexBudget()
  before(() => setRegexBudget(50))
  after(() => setRegexBudget(budget))
  it('matches the whole token; a bad expression matches nothing', () => {
    assert.equal(fullMatch('Bearer [A-Za-z0-9.]+', 'Bearer abc.def'), true)
    assert.equal(fullMatch('Bearer [A-Za-z0-9.]+', 'Bearer abc def'), false)
    assert.equal(fullMatch('a|b', 'ab'), false)
    assert.equal(fullMatch('.+', 'line\nbreak'), true)
    assert.equal(fullMatch('(', 'x'), false)
  })
  it('refuses a token the expression runs past the regex bound on (in-thread it ran for hours)', () => {
    assert.equal(fullMatch('(a+)+b', `${'a'.repeat(40)}!`), false)
    assert.equal(fullMatch('(a+)+b', 'aab'), true)
  })
})
