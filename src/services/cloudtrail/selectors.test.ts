// Event selectors' matching: basic selectors (read/write type, management events, data resources
// by ARN prefix) and advanced ones (every operator, resource fields holding on one resource).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AdvancedFieldSelector } from './generated/types.ts'
import type { EventFacts } from './port.ts'
import { defaultSelectors, recordsData, selects, type Selectors, validateAdvanced, validateBasic } from './selectors.ts'

const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders'
const putItem: EventFacts = { category: 'Data', eventSource: 'dynamodb.amazonaws.com', eventName: 'PutItem', readOnly: false,
  resources: [{ type: 'AWS::DynamoDB::Table', arn: table }] }
const getItem: EventFacts = { ...putItem, eventName: 'GetItem', readOnly: true }
const createTable: EventFacts = { category: 'Management', eventSource: 'dynamodb.amazonaws.com', eventName: 'CreateTable', readOnly: false, resources: [] }
const listTables: EventFacts = { ...createTable, eventName: 'ListTables', readOnly: true }
const s3Object: EventFacts = { category: 'Data', eventSource: 's3.amazonaws.com', eventName: 'PutObject', readOnly: false,
  resources: [{ type: 'AWS::S3::Object', arn: 'arn:aws:s3:::logs/2026/a.txt' }] }

const basic = (selectors: Parameters<typeof validateBasic>[0]): Selectors => ({ kind: 'basic', selectors: validateBasic(selectors) })
const advanced = (selectors: Parameters<typeof validateAdvanced>[0]): Selectors => ({ kind: 'advanced', selectors: validateAdvanced(selectors) })

describe('event selectors', () => {
  it('default: every management event, no data event', () => {
    assert.equal(selects(defaultSelectors, createTable), true)
    assert.equal(selects(defaultSelectors, listTables), true)
    assert.equal(selects(defaultSelectors, putItem), false)
    assert.equal(recordsData(defaultSelectors), false)
  })

  it('basic: data resources by ARN prefix, the bare prefix for all, read/write type', () => {
    const writes = basic([{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: [table] }] }])
    assert.equal(recordsData(writes), true)
    assert.deepEqual([putItem, getItem, createTable].map((e) => selects(writes, e)), [true, false, false])
    const allTables = basic([{ DataResources: [{ Type: 'AWS::DynamoDB::Table', Values: ['arn:aws:dynamodb'] }] }])
    assert.deepEqual([putItem, getItem, createTable, s3Object].map((e) => selects(allTables, e)), [true, true, true, false])
    const bucket = basic([{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::logs/2026/'] }] }])
    assert.equal(selects(bucket, s3Object), true)
    assert.equal(selects(basic([{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::other/'] }] }]), s3Object), false)
    const noDynamo = basic([{ ExcludeManagementEventSources: ['dynamodb.amazonaws.com'] }])
    assert.equal(selects(noDynamo, createTable), false)
  })

  it('advanced: every operator; resource fields hold together on one resource', () => {
    const data = (...fields: AdvancedFieldSelector[]): Selectors =>
      advanced([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }, ...fields] }])
    assert.equal(selects(data(), putItem), true)
    assert.equal(selects(data({ Field: 'resources.ARN', StartsWith: ['arn:aws:dynamodb:us-east-1:000000000000:table/ord'] }), putItem), true)
    assert.equal(selects(data({ Field: 'resources.ARN', EndsWith: ['/orders'] }), putItem), true)
    assert.equal(selects(data({ Field: 'resources.ARN', NotEquals: [table] }), putItem), false)
    assert.equal(selects(data({ Field: 'resources.ARN', NotStartsWith: ['arn:aws:dynamodb:eu'] }), putItem), true)
    assert.equal(selects(data({ Field: 'resources.ARN', NotEndsWith: ['/orders'] }), putItem), false)
    assert.equal(selects(data({ Field: 'readOnly', Equals: ['true'] }), putItem), false)
    assert.equal(selects(data({ Field: 'eventName', Equals: ['PutItem', 'DeleteItem'] }), putItem), true)
    assert.equal(selects(data(), s3Object), false)
    const management = advanced([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }])
    assert.deepEqual([createTable, listTables, putItem].map((e) => selects(management, e)), [true, false, false])
    assert.equal(recordsData(management), false)
  })

  it('rejects what PutEventSelectors rejects', () => {
    assert.throws(() => validateBasic([{ DataResources: [{ Type: 'AWS::SNS::Topic', Values: ['arn:aws:sns'] }] }]), { code: 'InvalidEventSelectorsException' })
    assert.throws(() => validateAdvanced([{ FieldSelectors: [{ Field: 'readOnly', Equals: ['maybe'] }, { Field: 'eventCategory', Equals: ['Management'] }] }]),
      { code: 'InvalidEventSelectorsException' })
    assert.throws(() => validateAdvanced([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Insight'] }] }]), { code: 'InvalidEventSelectorsException' })
    assert.throws(() => validateAdvanced([{ FieldSelectors: [{ Field: 'colour', Equals: ['x'] }] }]), { code: 'InvalidEventSelectorsException' })
  })
})
