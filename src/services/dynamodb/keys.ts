// Key schemas: a table's or index's HASH (+ RANGE) attributes, the string form of key values, and
// DynamoDB's checks on keys given in requests and on items' key attributes.
import { type AttributeValue, type Item, base64, typeOf, validateValue } from './attribute-value.ts'
import { dynamoErrors } from './errors.ts'
import { limits } from './limits.ts'

export type ScalarType = 'S' | 'N' | 'B'

export interface KeySchema {
  hash: string
  hashType: ScalarType
  range?: string
  rangeType?: ScalarType
}

/** A key value as a string that sorts nothing but identifies exactly (type-tagged). */
export function valueKey(value: AttributeValue): string {
  if (value.S !== undefined) return `s${value.S}`
  if (value.N !== undefined) return `n${value.N}`
  return `b${base64(value.B!)}`
}

/** The primary key's identity string: partition and sort key values, unambiguous. */
export function primaryKey(schema: KeySchema, item: Item): string {
  const pk = valueKey(item[schema.hash]!)
  if (schema.range === undefined) return pk
  return `${pk.length}:${pk}${valueKey(item[schema.range]!)}`
}

/** The item's key attributes only. */
export function keyOf(schema: KeySchema, item: Item): Item {
  const key: Item = { [schema.hash]: item[schema.hash]! }
  if (schema.range !== undefined) key[schema.range] = item[schema.range]!
  return key
}

/**
 * A `Key` parameter (GetItem, DeleteItem, UpdateItem…): exactly the schema's attributes with the
 * schema's types, else "The provided key element does not match the schema".
 */
export function checkKey(schema: KeySchema, key: Item | undefined): Item {
  if (key === undefined) throw dynamoErrors.missingParameter('Key')
  for (const name in key) validateValue(key[name]!)
  const names = Object.keys(key)
  const expected = schema.range === undefined ? 1 : 2
  if (names.length !== expected) throw dynamoErrors.keyMismatch()
  checkKeyValue(schema.hash, schema.hashType, key[schema.hash], 'key', true)
  if (schema.range !== undefined) checkKeyValue(schema.range, schema.rangeType!, key[schema.range], 'key', false)
  return key
}

function checkKeyValue(name: string, type: ScalarType, value: AttributeValue | undefined, _where: string, partition: boolean): void {
  if (value === undefined || typeOf(value) !== type) throw dynamoErrors.keyMismatch()
  checkKeyContent(name, value, partition)
}

function checkKeyContent(name: string, value: AttributeValue, partition: boolean): void {
  if (value.S === '') {
    throw dynamoErrors.validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`)
  }
  if (value.B !== undefined && value.B.length === 0) {
    throw dynamoErrors.validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`)
  }
  const size = value.S !== undefined ? Buffer.byteLength(value.S, 'utf8') : value.B !== undefined ? value.B.length : 0
  const max = partition ? limits.maxPartitionKeyBytes : limits.maxSortKeyBytes
  if (size > max) {
    throw dynamoErrors.validation(`One or more parameter values were invalid: Size of ${partition ? 'hashkey' : 'rangekey'} has exceeded the maximum size limit of ${max} bytes`)
  }
}

/** An item's key attributes (PutItem): present, of the schema's type, not empty. */
export function checkItemKey(schema: KeySchema, item: Item): void {
  for (const [name, type, partition] of [[schema.hash, schema.hashType, true], [schema.range, schema.rangeType, false]] as const) {
    if (name === undefined) continue
    const value = item[name]
    if (value === undefined) throw dynamoErrors.invalid(`Missing the key ${name} in the item`)
    const actual = typeOf(value)
    if (actual !== type) throw dynamoErrors.invalid(`Type mismatch for key ${name} expected: ${type} actual: ${actual}`)
    checkKeyContent(name, value, partition)
  }
}

/**
 * An index's key attributes on an item: absent means the item is not in the index (sparse); present
 * with another type is refused [R: wording].
 */
export function indexEntryKey(schema: KeySchema, indexName: string, item: Item): boolean {
  let complete = true
  for (const [name, type] of [[schema.hash, schema.hashType], [schema.range, schema.rangeType]] as const) {
    if (name === undefined) continue
    const value = item[name]
    if (value === undefined) {
      complete = false
      continue
    }
    const actual = typeOf(value)
    if (actual !== type) {
      throw dynamoErrors.invalid(`Type mismatch for Index Key ${name} Expected: ${type} Actual: ${actual} IndexName: ${indexName}`)
    }
    if (value.S === '' || (value.B !== undefined && value.B.length === 0)) {
      throw dynamoErrors.validation('One or more parameter values are not valid. A value specified for a secondary index key is not supported. ' +
        `The AttributeValue for a key attribute cannot contain an empty ${value.S === '' ? 'string' : 'binary'} value. IndexName: ${indexName}, IndexKey: ${name}`)
    }
  }
  return complete
}
