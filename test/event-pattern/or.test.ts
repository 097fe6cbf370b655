// $or: each option is a sub-pattern; options are ORed; fields next to $or apply to every option.
import { c, matchTable } from './table.ts'

const cases = [
  c('$or: first option', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '1' }, true),
  c('$or: second option', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '2' }, true),
  c('$or: neither', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '2', b: '1' }, false),
  c('$or: both', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: '1', b: '2' }, true),
  c('$or with a sibling field: sibling fails', { source: ['s'], $or: [{ a: ['1'] }, { b: ['2'] }] }, { source: 't', a: '1' }, false),
  c('$or with a sibling field: sibling holds', { source: ['s'], $or: [{ a: ['1'] }, { b: ['2'] }] }, { source: 's', b: '2' }, true),
  c('$or with a sibling after it', { $or: [{ a: ['1'] }, { b: ['2'] }], source: ['s'] }, { source: 's', a: '1' }, true),
  c('$or with a sibling after it failing', { $or: [{ a: ['1'] }, { b: ['2'] }], source: ['s'] }, { a: '1' }, false),
  c('$or nested under a field', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, { detail: { 'd-count': 3 } }, true),
  c('$or nested under a field, miss', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, { detail: { 'c-count': 9, 'd-count': 11 } }, false),
  c('$or options with several fields', { $or: [{ a: ['1'], b: ['1'] }, { c: ['1'] }] }, { a: '1', b: '2' }, false),
  c('$or options with several fields, all hold', { $or: [{ a: ['1'], b: ['1'] }, { c: ['1'] }] }, { a: '1', b: '1' }, true),
  c('three $or options', { $or: [{ a: ['1'] }, { b: ['1'] }, { c: ['1'] }] }, { c: '1' }, true),
  c('nested $or inside $or', { $or: [{ a: ['1'] }, { $or: [{ b: ['1'] }, { c: ['1'] }] }] }, { c: '1' }, true),
  c('two $or at different levels', { $or: [{ a: ['1'] }, { b: ['1'] }], detail: { $or: [{ x: ['1'] }, { y: ['1'] }] } }, { b: '1', detail: { y: '1' } }, true),
  c('two $or at different levels, inner fails', { $or: [{ a: ['1'] }, { b: ['1'] }], detail: { $or: [{ x: ['1'] }, { y: ['1'] }] } }, { b: '1', detail: { z: '1' } }, false),
  c('$or option with nested objects', { $or: [{ detail: { a: ['1'] } }, { detail: { b: ['1'] } }] }, { detail: { b: '1' } }, true),
  c('$or with exists inside', { $or: [{ a: [{ exists: true }] }, { b: [{ exists: false }] }] }, { c: 1 }, true),
  c('$or with exists inside, a present', { $or: [{ a: [{ exists: false }] }, { b: [{ exists: true }] }] }, { a: 1 }, false),
  c('$or with anything-but inside', { $or: [{ a: [{ 'anything-but': 'x' }] }, { b: ['1'] }] }, { a: 'y' }, true),
  c('$or with the same field in both options', { $or: [{ a: ['1'] }, { a: [{ prefix: '2' }] }] }, { a: '22' }, true),
  c('the documented metricName example', {
    source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }],
  }, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' }, true),
  c('the documented metricName example, partial option', {
    source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }],
  }, { source: 'aws.cloudwatch', metricType: 'MetricType' }, false),
]

matchTable('$or', cases, ['eventbridge', 'sns-body', 'lambda-filter'])
