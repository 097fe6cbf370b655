// CreateTable's checks in DynamoDB's order: names, billing and throughput, key schema, attribute
// definitions, then secondary indexes (projections, LSI rules, GSI throughput).
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { KeySchema, ScalarType } from '../keys.ts'
import { limits } from '../limits.ts'
import type { BillingMode, IndexDefinition, ProjectionType, Throughput } from '../table.ts'

const namePattern = /^[a-zA-Z0-9_.-]+$/

export function checkTableName(name: string | undefined, member = 'tableName'): string {
  if (name === undefined) throw dynamoErrors.missingParameter('TableName')
  if (name.length < 3) throw dynamoErrors.constraint(name, member, 'Member must have length greater than or equal to 3')
  if (name.length > 255) throw dynamoErrors.constraint(name, member, 'Member must have length less than or equal to 255')
  if (!namePattern.test(name)) throw dynamoErrors.constraint(name, member, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+')
  return name
}

/** The billing mode and the table's throughput (0/0 on demand). */
export function checkBilling(mode: string | undefined, throughput: T.ProvisionedThroughput | undefined): { billingMode: BillingMode; throughput: Throughput } {
  if (mode !== undefined && mode !== 'PROVISIONED' && mode !== 'PAY_PER_REQUEST') {
    throw dynamoErrors.constraint(mode, 'billingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]')
  }
  if (mode === 'PAY_PER_REQUEST') {
    if (throughput !== undefined) {
      throw dynamoErrors.invalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST')
    }
    return { billingMode: 'PAY_PER_REQUEST', throughput: { read: 0, write: 0 } }
  }
  if (throughput === undefined) throw dynamoErrors.validation('No provisioned throughput specified for the table')
  return { billingMode: 'PROVISIONED', throughput: checkThroughput(throughput, 'provisionedThroughput') }
}

export function checkThroughput(t: T.ProvisionedThroughput, member: string): Throughput {
  for (const [name, value] of [['readCapacityUnits', t.ReadCapacityUnits], ['writeCapacityUnits', t.WriteCapacityUnits]] as const) {
    if (value < 1) throw dynamoErrors.constraint(value, `${member}.${name}`, 'Member must have value greater than or equal to 1')
  }
  return { read: t.ReadCapacityUnits, write: t.WriteCapacityUnits }
}

/** A KeySchema list: HASH first, RANGE second, distinct names, each defined with a type. */
function checkKeySchema(elements: T.KeySchemaElement[], member: string): { hash: string; range?: string } {
  if (elements.length < 1) throw dynamoErrors.constraint('[]', member, 'Member must have length greater than or equal to 1')
  if (elements.length > 2) throw dynamoErrors.constraint(`[${elements.map(showKey).join(', ')}]`, member, 'Member must have length less than or equal to 2')
  elements.forEach((e, i) => {
    if (e.KeyType !== 'HASH' && e.KeyType !== 'RANGE') {
      throw dynamoErrors.constraint(e.KeyType, `${member}.${i + 1}.member.keyType`, 'Member must satisfy enum value set: [HASH, RANGE]')
    }
  })
  if (elements[0]!.KeyType !== 'HASH') throw dynamoErrors.validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type')
  if (elements.length === 2) {
    if (elements[1]!.KeyType !== 'RANGE') throw dynamoErrors.validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type')
    if (elements[0]!.AttributeName === elements[1]!.AttributeName) {
      throw dynamoErrors.validation('Both the Hash Key and the Range Key element in the KeySchema have the same name')
    }
  }
  return { hash: elements[0]!.AttributeName, ...(elements.length === 2 && { range: elements[1]!.AttributeName }) }
}

function showKey(e: T.KeySchemaElement): string {
  return `KeySchemaElement(attributeName=${e.AttributeName}, keyType=${e.KeyType})`
}

export interface CheckedTable {
  key: KeySchema
  indexes: IndexDefinition[]
}

export function checkSchema(input: T.CreateTableInput, billingMode: BillingMode): CheckedTable {
  if (input.KeySchema === undefined) throw dynamoErrors.missingParameter('KeySchema')
  if (input.AttributeDefinitions === undefined) throw dynamoErrors.missingParameter('AttributeDefinitions')
  const definitions = input.AttributeDefinitions
  definitions.forEach((d, i) => {
    if (d.AttributeType !== 'S' && d.AttributeType !== 'N' && d.AttributeType !== 'B') {
      throw dynamoErrors.constraint(d.AttributeType, `attributeDefinitions.${i + 1}.member.attributeType`, 'Member must satisfy enum value set: [B, N, S]')
    }
  })
  const types = new Map<string, ScalarType>()
  for (const d of definitions) {
    if (types.has(d.AttributeName)) throw dynamoErrors.invalid(`Duplicate AttributeName in AttributeDefinitions: ${d.AttributeName}`)
    types.set(d.AttributeName, d.AttributeType as ScalarType)
  }
  const tableKey = checkKeySchema(input.KeySchema, 'keySchema')
  const used = new Set<string>()
  const typed = (names: { hash: string; range?: string }): KeySchema => {
    const missing = [names.hash, names.range].filter((n): n is string => n !== undefined && !types.has(n))
    if (missing.length > 0) {
      throw dynamoErrors.invalid(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], ` +
        `AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}]`)
    }
    used.add(names.hash)
    if (names.range !== undefined) used.add(names.range)
    return { hash: names.hash, hashType: types.get(names.hash)!, ...(names.range !== undefined && { range: names.range, rangeType: types.get(names.range)! }) }
  }
  const key = typed(tableKey)
  const indexes: IndexDefinition[] = []
  const names = new Set<string>()
  const lsis = input.LocalSecondaryIndexes ?? []
  const gsis = input.GlobalSecondaryIndexes ?? []
  if (input.LocalSecondaryIndexes !== undefined && lsis.length === 0) throw dynamoErrors.invalid('List of LocalSecondaryIndexes is empty')
  if (input.GlobalSecondaryIndexes !== undefined && gsis.length === 0) throw dynamoErrors.invalid('List of GlobalSecondaryIndexes is empty')
  if (lsis.length > limits.maxLsis) throw dynamoErrors.invalid(`Number of LocalSecondaryIndexes exceeds per-table limit of ${limits.maxLsis}`)
  if (gsis.length > limits.maxGsis) throw dynamoErrors.invalid(`Number of GlobalSecondaryIndexes exceeds per-table limit of ${limits.maxGsis}`)
  for (const lsi of lsis) {
    if (key.range === undefined) throw dynamoErrors.invalid('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex')
    const k = typed(checkKeySchema(lsi.KeySchema, 'localSecondaryIndexes.member.keySchema'))
    if (k.hash !== key.hash) {
      throw dynamoErrors.invalid(`Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. ` +
        `index hash key: ${k.hash}, table hash key: ${key.hash}`)
    }
    if (k.range === undefined) throw dynamoErrors.invalid(`Index KeySchema does not have a range key for index: ${lsi.IndexName}`)
    addIndex(lsi.IndexName, { name: lsi.IndexName, kind: 'LSI', key: k, projection: checkProjection(lsi.Projection) })
  }
  for (const gsi of gsis) {
    const k = typed(checkKeySchema(gsi.KeySchema, 'globalSecondaryIndexes.member.keySchema'))
    let throughput: Throughput | undefined
    if (billingMode === 'PROVISIONED') {
      if (gsi.ProvisionedThroughput === undefined) throw dynamoErrors.invalid(`ProvisionedThroughput must be specified for index: ${gsi.IndexName}`)
      throughput = checkThroughput(gsi.ProvisionedThroughput, 'globalSecondaryIndexes.member.provisionedThroughput')
    } else if (gsi.ProvisionedThroughput !== undefined) {
      throw dynamoErrors.invalid(`ProvisionedThroughput should not be specified for index: ${gsi.IndexName} when BillingMode is PAY_PER_REQUEST`)
    }
    addIndex(gsi.IndexName, { name: gsi.IndexName, kind: 'GSI', key: k, projection: checkProjection(gsi.Projection), ...(throughput && { throughput }) })
  }
  const unused = definitions.map((d) => d.AttributeName).filter((n) => !used.has(n))
  if (unused.length > 0) {
    if (indexes.length === 0) {
      throw dynamoErrors.invalid('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions')
    }
    throw dynamoErrors.invalid(`Some AttributeDefinitions are not used. AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}], ` +
      `keys used: [${[...used].join(', ')}]`)
  }
  return { key, indexes }

  function addIndex(name: string, index: IndexDefinition): void {
    if (names.has(name)) throw dynamoErrors.invalid(`Duplicate index name: ${name}`)
    names.add(name)
    indexes.push(index)
  }
}

function checkProjection(p: T.Projection): IndexDefinition['projection'] {
  const type = (p.ProjectionType ?? 'KEYS_ONLY') as ProjectionType
  if (!['ALL', 'KEYS_ONLY', 'INCLUDE'].includes(type)) {
    throw dynamoErrors.constraint(type, 'projection.projectionType', 'Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]')
  }
  if (type === 'INCLUDE') {
    if (p.NonKeyAttributes === undefined || p.NonKeyAttributes.length === 0) {
      throw dynamoErrors.invalid('ProjectionType is INCLUDE, but NonKeyAttributes is not specified')
    }
    return { type, nonKeyAttributes: p.NonKeyAttributes }
  }
  if (p.NonKeyAttributes !== undefined) throw dynamoErrors.invalid(`ProjectionType is ${type}, but NonKeyAttributes is specified`)
  return { type }
}
