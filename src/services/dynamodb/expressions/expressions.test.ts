// The expression parsers and evaluators on their own: precedence, functions, placeholders, DynamoDB's
// messages for reserved words, undefined and unused placeholders, overlapping paths and update semantics.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AttributeValue, Item } from '../attribute-value.ts'
import { parseCondition } from './condition-parser.ts'
import { ExpressionContext } from './context.ts'
import { evaluate, project } from './evaluate.ts'
import { applyUpdate } from './update-apply.ts'
import { parseProjection, parseUpdate } from './update-parser.ts'

const item: Item = {
  id: { S: 'a1' }, n: { N: '5' }, s: { S: 'hello world' }, tags: { SS: ['x', 'y'] }, nums: { NS: ['1', '2'] },
  arr: { L: [{ S: 'p' }, { N: '7' }, { M: { deep: { BOOL: true } } }] }, doc: { M: { a: { N: '1' }, b: { S: 'two' } } },
  nil: { NULL: true }, flag: { BOOL: false }, bin: { B: Buffer.from([1, 2, 3]) },
}

function cond(expr: string, values: Record<string, AttributeValue> = {}, names?: Record<string, string>): boolean {
  const ctx = new ExpressionContext(names, values)
  return evaluate(item, parseCondition(expr, 'ConditionExpression', ctx))
}

function error(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('condition expressions (results as the DynamoDB developer guide documents them)', () => {
  const table: [string, Record<string, AttributeValue>, boolean][] = [
    ['n = :v', { ':v': { N: '5.0' } }, true],
    ['n <> :v', { ':v': { N: '5' } }, false],
    ['absent <> :v', { ':v': { N: '5' } }, true],
    ['absent = :v', { ':v': { N: '5' } }, false],
    ['n < :v', { ':v': { N: '10' } }, true],
    ['n >= :v', { ':v': { N: '5' } }, true],
    ['n > :v', { ':v': { S: '1' } }, false],
    ['s < :v', { ':v': { S: 'hellp' } }, true],
    ['n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '5' } }, true],
    ['attribute_exists(doc.a)', {}, true],
    ['attribute_not_exists(doc.c)', {}, true],
    ['attribute_exists(arr[2].deep)', {}, true],
    ['attribute_type(nil, :t)', { ':t': { S: 'NULL' } }, true],
    ['attribute_type(tags, :t)', { ':t': { S: 'SS' } }, true],
    ['begins_with(s, :p)', { ':p': { S: 'hell' } }, true],
    ['begins_with(bin, :p)', { ':p': { B: Buffer.from([1, 2]) } }, true],
    ['contains(s, :p)', { ':p': { S: 'o w' } }, true],
    ['contains(tags, :p)', { ':p': { S: 'y' } }, true],
    ['contains(nums, :p)', { ':p': { N: '2.00' } }, true],
    ['contains(arr, :p)', { ':p': { N: '7' } }, true],
    ['size(s) = :n', { ':n': { N: '11' } }, true],
    ['size(tags) > :n', { ':n': { N: '1' } }, true],
    ['size(doc) = :n', { ':n': { N: '2' } }, true],
    ['tags = :set', { ':set': { SS: ['y', 'x'] } }, true],
    // NOT binds tighter than AND, AND tighter than OR.
    ['NOT n = :five AND n = :six', { ':five': { N: '5' }, ':six': { N: '6' } }, false],
    ['n = :six AND n = :six OR n = :five', { ':five': { N: '5' }, ':six': { N: '6' } }, true],
    ['n = :six AND (n = :six OR n = :five)', { ':five': { N: '5' }, ':six': { N: '6' } }, false],
    ['NOT (n = :six OR flag = :f)', { ':six': { N: '6' }, ':f': { BOOL: false } }, false],
  ]
  for (const [expr, values, expected] of table) {
    it(`${expr} → ${expected}`, () => assert.equal(cond(expr, values), expected))
  }

  it('substitutes #names, also for reserved words', () => {
    assert.equal(cond('#s = :v', { ':v': { S: 'hello world' } }, { '#s': 's' }), true)
    assert.equal(error(() => cond('status = :v', { ':v': { S: 'x' } })),
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status')
  })

  it('names undefined placeholders and unknown functions as DynamoDB does', () => {
    assert.equal(error(() => cond('#x = :v', { ':v': { S: 'x' } })),
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x')
    assert.equal(error(() => cond('n = :nope')),
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope')
    assert.equal(error(() => cond('foo(n)')), 'Invalid ConditionExpression: Invalid function name; function: foo')
    assert.equal(error(() => cond('attribute_exists(n, s)')),
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2')
    assert.equal(error(() => cond('attribute_type(n, :t)', { ':t': { S: 'X' } })),
      'Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}')
    assert.match(error(() => cond('n =')), /^Invalid ConditionExpression: Syntax error; token: "<EOF>", near: /)
    assert.equal(error(() => cond('((n = :v))', { ':v': { N: '5' } })), 'Invalid ConditionExpression: The expression has redundant parentheses;')
    assert.equal(cond('(n = :v) AND (s = :s)', { ':v': { N: '5' }, ':s': { S: 'hello world' } }), true)
  })

  it('reports unused names before unused values', () => {
    const ctx = new ExpressionContext({ '#a': 'n', '#b': 'x' }, { ':v': { N: '1' }, ':w': { N: '2' } })
    parseCondition('#a = :v', 'ConditionExpression', ctx)
    assert.equal(error(() => ctx.checkAllUsed()), 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}')
  })
})

describe('projection expressions', () => {
  it('picks nested paths and arr elements', () => {
    const paths = parseProjection('id, doc.b, arr[2].deep, arr[0]', new ExpressionContext(undefined, undefined))
    assert.deepEqual(project(item, paths), {
      id: { S: 'a1' }, doc: { M: { b: { S: 'two' } } }, arr: { L: [{ S: 'p' }, { M: { deep: { BOOL: true } } }] },
    })
  })

  it('refuses overlapping paths', () => {
    assert.equal(error(() => parseProjection('doc, doc.a', new ExpressionContext(undefined, undefined))),
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [doc], path two: [doc, a]')
  })
})

describe('update expressions', () => {
  const update = (expr: string, values: Record<string, AttributeValue> = {}, on: Item = item) =>
    applyUpdate(on, parseUpdate(expr, new ExpressionContext(undefined, values)))

  it('SET with arithmetic, if_not_exists and list_append; REMOVE; ADD; DELETE', () => {
    const out = update('SET n = n + :one, c = if_not_exists(c, :zero) - :one, arr = list_append(:head, arr) ' +
      'REMOVE s, doc.a ADD tags :more, tot :one DELETE nums :two', {
      ':one': { N: '1' }, ':zero': { N: '0' }, ':head': { L: [{ S: 'h' }] }, ':more': { SS: ['z'] }, ':two': { NS: ['2'] },
    })
    assert.deepEqual(out.n, { N: '6' })
    assert.deepEqual(out.c, { N: '-1' })
    assert.equal(out.arr!.L!.length, 4)
    assert.equal(out.s, undefined)
    assert.deepEqual(out.doc, { M: { b: { S: 'two' } } })
    assert.deepEqual(out.tags, { SS: ['x', 'y', 'z'] })
    assert.deepEqual(out.tot, { N: '1' })
    assert.deepEqual(out.nums, { NS: ['1'] })
    assert.deepEqual(item.n, { N: '5' }, 'the original item is untouched')
  })

  it('computes every SET value from the item as it was', () => {
    const out = update('SET a = n, n = :v', { ':v': { N: '9' } })
    assert.deepEqual([out.a, out.n], [{ N: '5' }, { N: '9' }])
  })

  it('removes arr elements by their original indexes and deletes a set emptied', () => {
    const out = update('REMOVE arr[0], arr[2] DELETE tags :all', { ':all': { SS: ['x', 'y'] } })
    assert.deepEqual(out.arr, { L: [{ N: '7' }] })
    assert.equal(out.tags, undefined)
  })

  it('answers DynamoDB\'s messages', () => {
    assert.equal(error(() => update('SET a = absent + :one', { ':one': { N: '1' } })),
      'The provided expression refers to an attribute that does not exist in the item')
    assert.equal(error(() => update('SET s = s + :one', { ':one': { N: '1' } })), 'An operand in the update expression has an incorrect data type')
    assert.equal(error(() => update('SET nope.x = :one', { ':one': { N: '1' } })),
      'The document path provided in the update expression is invalid for update')
    assert.equal(error(() => update('ADD s :v', { ':v': { S: 'x' } })),
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING')
    assert.equal(error(() => update('SET a = :v SET b = :v', { ':v': { S: 'x' } })),
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;')
    assert.equal(error(() => update('SET a = :v REMOVE a', { ':v': { S: 'x' } })),
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]')
    assert.equal(error(() => update('SET a = size(s)')), 'Invalid UpdateExpression: The function is not allowed in an update expression; function: size')
  })
})
