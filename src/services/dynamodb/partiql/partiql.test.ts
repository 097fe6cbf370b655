// The PartiQL parser and translator on their own: statements, paths, literals, comments, WHERE as a
// DynamoDB condition evaluated like ConditionExpression, key extraction, and the refusal messages.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Item } from '../attribute-value.ts'
import { evaluate } from '../expressions/evaluate.ts'
import type { KeySchema } from '../keys.ts'
import type { Expr } from './ast.ts'
import { parseStatement } from './parser.ts'
import { Translator } from './translate.ts'

const item: Item = { pk: { S: 'a' }, sk: { N: '2' }, name: { S: 'Ada Lovelace' }, tags: { SS: ['x'] }, m: { M: { l: { L: [{ N: '1' }, { S: 'z' }] } } } }
const schema: KeySchema = { hash: 'pk', hashType: 'S', range: 'sk', rangeType: 'N' }

function where(statement: string): Expr {
  const parsed = parseStatement(statement).statement
  assert.ok(parsed.kind === 'select' && parsed.where !== undefined)
  return parsed.where
}

function matches(condition: string, params = [] as { S?: string; N?: string }[]): boolean {
  return evaluate(item, new Translator(params).condition(where(`SELECT * FROM t WHERE ${condition}`)))
}

function error(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('PartiQL parser', () => {
  it('parses the four statements, quoted names, indexes, comments and a trailing semicolon', () => {
    const select = parseStatement('select "name", m.l[1] from "My-Table"."by-name" -- a comment\n where pk = ? /* block */ ;')
    assert.deepEqual(select, {
      parameters: 1,
      statement: { kind: 'select', table: 'My-Table', index: 'by-name', projection: [{ kind: 'path', elements: ['name'] }, { kind: 'path', elements: ['m', 'l', 1] }],
        where: { kind: 'binary', op: '=', left: { kind: 'path', elements: ['pk'] }, right: { kind: 'param', index: 0 } } },
    })
    assert.equal(parseStatement(`INSERT INTO t VALUE {'pk': 'it''s', 'n': -1.5e2}`).statement.kind, 'insert')
    const update = parseStatement("UPDATE t SET a = a + 1, b = 'x' REMOVE c WHERE pk = 'a' RETURNING ALL NEW *").statement
    assert.ok(update.kind === 'update')
    assert.equal(update.set.length, 2)
    assert.equal(update.returning, 'ALL NEW')
    assert.equal(parseStatement("DELETE FROM t WHERE pk = 'a'").statement.kind, 'delete')
    assert.equal(parseStatement("EXISTS(SELECT * FROM t WHERE pk = 'a' AND x = 1)").statement.kind, 'exists')
  })

  it("refuses what DynamoDB's parser refuses, in its words", () => {
    const envelope = "Statement wasn't well formed, can't be processed: "
    assert.equal(error(() => parseStatement('SELECT * FROM')), `${envelope}Unexpected term`)
    assert.equal(error(() => parseStatement('SELECT * FROM t WHERE pk = 1)')), `${envelope}Unexpected token after expression`)
    assert.equal(error(() => parseStatement('SELECT * FROM t WHERE pk = 1 OR')), `${envelope}Missing right-hand side expression of infix operator`)
    assert.equal(error(() => parseStatement('SELECT * FROM t WHERE pk = LIKE')), `${envelope}Unexpected keyword`)
    assert.equal(error(() => parseStatement('SELECT * FROM t WHERE pk = 1 # note')), envelope)
    assert.equal(error(() => parseStatement('SELECT * FROM t WHERE pk = 1 /* note')), envelope)
    assert.equal(error(() => parseStatement('DELETE FROM;')), `${envelope}Expected identifier for simple path`)
    assert.equal(error(() => parseStatement('UPSERT INTO t VALUE {}')), `${envelope}Expected data manipulation`)
    assert.equal(error(() => parseStatement('SELECT * FROM t AS x')), 'Aliasing is not supported')
    // Deep nesting is refused, never a crash.
    assert.equal(error(() => parseStatement(`SELECT * FROM t WHERE ${'('.repeat(5000)}a = 1${')'.repeat(5000)}`)), 'Nesting Levels have exceeded supported limits')
    assert.equal(error(() => parseStatement("DELETE FROM t WHERE pk = 'a' RETURNING ALL")), "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
  })
})

describe('PartiQL translation', () => {
  it('evaluates WHERE as DynamoDB conditions', () => {
    assert.equal(matches("pk = 'a' AND sk BETWEEN 1 AND 3"), true)
    assert.equal(matches('sk IN [1, 3]'), false)
    assert.equal(matches("begins_with(name, 'Ada') AND contains(tags, 'x')"), true)
    assert.equal(matches('missing_attr IS MISSING AND name IS NOT MISSING'), true)
    assert.equal(matches('name IS STRING AND NOT sk IS STRING'), true)
    assert.equal(matches("m.l[1] = 'z' AND size(name) > 3"), true)
    assert.equal(matches('sk <> ? OR sk != ?', [{ N: '2' }, { N: '2' }]), false)
    assert.equal(error(() => matches('name = MISSING')), 'MISSING must be compared using IS operator')
    assert.equal(error(() => matches('name')), 'WHERE clause must contain an expression that resolves to a boolean')
  })

  it('takes the key from the WHERE and leaves the rest as the condition', () => {
    const tr = new Translator([{ N: '2' }])
    const { key, rest } = tr.keyAndRest(where("SELECT * FROM t WHERE sk = ? AND pk = 'a' AND name <> 'x'"), schema)
    assert.deepEqual(key, { pk: { S: 'a' }, sk: { N: '2' } })
    assert.equal(rest?.kind, 'compare')
    assert.equal(error(() => tr.keyAndRest(where("SELECT * FROM t WHERE pk = 'a'"), schema)),
      'Where clause does not contain a mandatory equality on all key attributes')
    assert.equal(error(() => tr.keyAndRest(where("SELECT * FROM t WHERE pk = 1 AND sk = 1"), schema)),
      "Key attribute's data type should match its data type in table's schema: Key pk")
    assert.equal(tr.partitionValues(where("SELECT * FROM t WHERE pk = 'a' OR sk = 1"), schema), undefined)
    assert.deepEqual(tr.partitionValues(where("SELECT * FROM t WHERE sk > 1 AND pk = 'a'"), schema), [{ S: 'a' }])
    assert.deepEqual(tr.partitionValues(where("SELECT * FROM t WHERE pk IN ['b', 'a', 'b', 1]"), schema), [{ S: 'b' }, { S: 'a' }])
    assert.deepEqual(tr.sortCondition(where("SELECT * FROM t WHERE 1 < sk AND pk = 'a'"), schema), { op: '>', values: [{ N: '1' }] })
    assert.deepEqual(tr.sortCondition(where("SELECT * FROM t WHERE sk BETWEEN 1 AND 2"), schema), { op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] })
    assert.equal(tr.sortCondition(where("SELECT * FROM t WHERE sk = 'text' OR sk = 1"), schema), undefined)
    const strings: KeySchema = { hash: 'pk', hashType: 'S', range: 'name', rangeType: 'S' }
    assert.deepEqual(tr.sortCondition(where("SELECT * FROM t WHERE begins_with(name, 'Ad')"), strings), { op: 'begins_with', values: [{ S: 'Ad' }] })
  })

  it('builds values from literals, bags and parameters', () => {
    const insert = parseStatement("INSERT INTO t VALUE {'s': <<'a', 'b'>>, 'n': <<1, 2>>, 'l': [true, null, {'x': 1.50}]}").statement
    assert.ok(insert.kind === 'insert')
    assert.deepEqual(new Translator([]).item(insert.item), {
      s: { SS: ['a', 'b'] }, n: { NS: ['1', '2'] }, l: { L: [{ BOOL: true }, { NULL: true }, { M: { x: { N: '1.5' } } }] },
    })
    const empty = parseStatement("INSERT INTO t VALUE {'s': <<>>}").statement
    assert.ok(empty.kind === 'insert')
    assert.equal(error(() => new Translator([]).item(empty.item)), 'Empty bags are not supported')
    const over = parseStatement("INSERT INTO t VALUE {'m': {'x': [1, 1e126]}}").statement
    assert.ok(over.kind === 'insert')
    assert.equal(error(() => new Translator([]).item(over.item)),
      'Number overflow. Attempting to store a number with magnitude larger than supported range under root.x[1]')
  })
})
