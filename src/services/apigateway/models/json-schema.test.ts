// The JSON Schema draft 4 validator behind request validation: each keyword's pass and fail cases,
// `$ref` within a schema and to another model by URL, and a reference loop that must not hang.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { setRegexBudget } from '../../../core/bounded-regex.ts'
import { referencedModels, validateJson } from './json-schema.ts'

const none = () => undefined
const ok = (schema: unknown, value: unknown) => assert.deepEqual(validateJson(schema, value, none), [], JSON.stringify({ schema, value }))
const bad = (schema: unknown, value: unknown, message: RegExp) => {
  const errors = validateJson(schema, value, none)
  assert.ok(errors.some((e) => message.test(e)), `${JSON.stringify({ schema, value })}: ${JSON.stringify(errors)}`)
}

describe('JSON Schema draft 4', () => {
  it('checks types, integer within number, and type lists', () => {
    ok({ type: 'number' }, 3)
    ok({ type: 'integer' }, 3)
    ok({ type: ['string', 'null'] }, null)
    bad({ type: 'integer' }, 1.5, /instance type \(number\) does not match any allowed primitive type \(allowed: \["integer"\]\)/)
    bad({ type: 'object' }, [], /instance type \(array\)/)
    bad({ type: 'string' }, 1, /allowed: \["string"\]/)
  })

  it('checks objects: required, properties, additionalProperties, patternProperties, dependencies, sizes', () => {
    const pet = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }, additionalProperties: false }
    ok(pet, { name: 'rex', age: 3 })
    bad(pet, { age: 3 }, /object has missing required properties \(\["name"\]\)/)
    bad(pet, { name: 'rex', color: 'red' }, /not allowed by the schema: \["color"\]/)
    bad(pet, { name: 'rex', age: -1 }, /lower than the required minimum \(minimum: 0, found: -1\)/)
    ok({ patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }, { 'x-a': 'b' })
    bad({ patternProperties: { '^x-': { type: 'string' } } }, { 'x-a': 1 }, /instance type \(integer\)/)
    ok({ additionalProperties: { type: 'number' } }, { a: 1, b: 2.5 })
    bad({ dependencies: { card: ['address'] } }, { card: '1' }, /missing property dependencies/)
    bad({ minProperties: 1 }, {}, /too few properties/)
    bad({ maxProperties: 1 }, { a: 1, b: 2 }, /too many properties/)
  })

  it('checks arrays, strings and numbers', () => {
    ok({ type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 2, uniqueItems: true }, ['a', 'b'])
    bad({ items: { type: 'string' } }, ['a', 1], /instance type \(integer\)/)
    bad({ minItems: 1 }, [], /array is too short/)
    bad({ maxItems: 1 }, [1, 2], /array is too long/)
    bad({ uniqueItems: true }, [{ a: 1 }, { a: 1 }], /duplicate elements/)
    bad({ items: [{ type: 'string' }], additionalItems: false }, ['a', 'b'], /more elements than allowed/)
    ok({ minLength: 2, maxLength: 3, pattern: '^[a-z]+$' }, 'abc')
    ok({ maxLength: 1 }, '😀')
    bad({ minLength: 2 }, 'a', /is too short \(length: 1, required minimum: 2\)/)
    bad({ maxLength: 2 }, 'abc', /is too long \(length: 3, maximum allowed: 2\)/)
    bad({ pattern: '^[a-z]+$' }, 'ABC', /ECMA 262 regex "\^\[a-z\]\+\$" does not match input string "ABC"/)
    bad({ maximum: 5, exclusiveMaximum: true }, 5, /not strictly lower than the required maximum/)
    bad({ maximum: 5 }, 6, /greater than the required maximum \(maximum: 5, found: 6\)/)
    ok({ multipleOf: 0.01 }, 2.49)
    bad({ multipleOf: 2 }, 3, /not a multiple of divisor/)
    bad({ enum: ['dog', 'cat'] }, 'fish', /instance value \("fish"\) not found in enum \(possible values: \["dog","cat"\]\)/)
    ok({ enum: [{ a: [1] }] }, { a: [1] })
  })

  it('combines schemas', () => {
    ok({ allOf: [{ type: 'number' }, { minimum: 1 }] }, 2)
    bad({ allOf: [{ type: 'number' }, { minimum: 1 }] }, 0, /lower than the required minimum/)
    ok({ anyOf: [{ type: 'string' }, { type: 'number' }] }, 1)
    bad({ anyOf: [{ type: 'string' }, { type: 'boolean' }] }, 1, /at least one/)
    bad({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1, /exactly one schema \(matched 2 out of 2\)/)
    bad({ not: { type: 'null' } }, null, /should not have/)
  })

  it('follows $ref within the schema and to other models by URL', () => {
    const schema = { definitions: { pet: { type: 'object', required: ['id'] } }, type: 'array', items: { $ref: '#/definitions/pet' } }
    ok(schema, [{ id: 1 }])
    bad(schema, [{}], /missing required properties \(\["id"\]\)/)
    const models: Record<string, unknown> = { Pet: { type: 'object', required: ['name'] } }
    const lookup = (name: string) => models[name]
    const list = { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/abc123/models/Pet' } }
    assert.deepEqual(validateJson(list, [{ name: 'a' }], lookup), [])
    assert.match(validateJson(list, [{}], lookup).join(), /missing required properties/)
    assert.match(validateJson({ $ref: 'https://apigateway.amazonaws.com/restapis/abc123/models/Nope' }, 1, lookup).join(), /unresolvable reference/)
    assert.deepEqual(referencedModels(list), ['Pet'])
    // A model referring to itself with no end: refused, not a hang or a stack overflow.
    models.Loop = { $ref: 'https://apigateway.amazonaws.com/restapis/abc123/models/Loop' }
    assert.match(validateJson(models.Loop, 1, lookup).join(), /too deep/)
  })
})

describe('JSON Schema patterns are bounded', () => {
  before(() => setRegexBudget(50))
  it('fails a value or property name whose pattern runs past the bound, and matches the rest as RegExp does', () => {
    const long = `${'a'.repeat(40)}!`
    bad({ pattern: '^(a+)+b$' }, long, /^ECMA 262 regex "\^\(a\+\)\+b\$" took too long on input string "a{40}!"$/)
    bad({ patternProperties: { '(a|a)*\\1b': { type: 'string' } } }, { [long]: 'x' }, /took too long on property name/)
    ok({ pattern: '^(a+)+b$' }, 'aab')
    ok({ pattern: '\\p{Lu}' }, 'éÉ')
    bad({ pattern: '\\p{Lu}' }, 'é', /does not match input string "é"/)
  })
})
