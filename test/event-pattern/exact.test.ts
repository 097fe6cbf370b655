// Exact values, nesting, dotted keys and arrays (AWS: "arrays match by intersection").
import { c, matchTable } from './table.ts'

const ec2 = {
  version: '0', id: '6a7e8feb', 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2',
  account: '111122223333', time: '2017-12-22T18:43:48Z', region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
}

const strings = [
  c('matches an exact string', { source: ['aws.ec2'] }, ec2, true),
  c('is case-sensitive on values', { source: ['AWS.EC2'] }, ec2, false),
  c('is case-sensitive on field names', { Source: ['aws.ec2'] }, ec2, false),
  c('ORs values within a field', { source: ['aws.s3', 'aws.ec2'] }, ec2, true),
  c('fails when no value matches', { source: ['aws.s3', 'aws.sqs'] }, ec2, false),
  c('ANDs fields', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, ec2, true),
  c('ANDs fields: one failing fails all', { source: ['aws.ec2'], region: ['eu-west-1'] }, ec2, false),
  c('matches nested fields', { detail: { state: ['terminated'] } }, ec2, true),
  c('nested mismatch', { detail: { state: ['running'] } }, ec2, false),
  c('the documented EC2 example', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, ec2, true),
  c('ignores fields the pattern does not name', { detail: { 'instance-id': ['i-1234567890abcdef0'] } }, ec2, true),
  c('missing field fails', { detail: { missing: ['x'] } }, ec2, false),
  c('missing parent fails', { nothere: { state: ['terminated'] } }, ec2, false),
  c('a string does not match a prefix of itself', { source: ['aws'] }, ec2, false),
  c('a string does not match a longer string', { source: ['aws.ec2.x'] }, ec2, false),
  c('empty string matches empty string', { name: [''] }, { name: '' }, true),
  c('empty string does not match a non-empty one', { name: [''] }, { name: 'x' }, false),
  c('empty string does not match a missing field', { name: [''] }, {}, false),
  c('empty string does not match null', { name: [''] }, { name: null }, false),
  c('unicode strings compare exactly', { name: ['héllo wörld ✓'] }, { name: 'héllo wörld ✓' }, true),
  c('whitespace is significant', { name: ['a '] }, { name: 'a' }, false),
  c('a string pattern does not match a number', { n: ['5'] }, { n: 5 }, false),
  c('a string pattern does not match a boolean', { b: ['true'] }, { b: true }, false),
  c('a string pattern does not match null', { b: ['null'] }, { b: null }, false),
  c('an object value is not a leaf', { detail: ['terminated'] }, ec2, false),
  c('a pattern leaf against an event object does not match', { detail: { state: ['x'] } }, { detail: { state: { x: 1 } } }, false),
  c('a nested pattern against an event string does not match', { detail: { state: ['x'] } }, { detail: 'x' }, false),
  c('three levels deep', { a: { b: { c: ['x'] } } }, { a: { b: { c: 'x' } } }, true),
  c('three levels deep, mismatch', { a: { b: { c: ['x'] } } }, { a: { b: { c: 'y' } } }, false),
  c('several nested fields ANDed', { a: { b: ['1'], c: ['2'] } }, { a: { b: '1', c: '2' } }, true),
  c('several nested fields, one missing', { a: { b: ['1'], c: ['2'] } }, { a: { b: '1' } }, false),
]

const scalars = [
  c('number matches number', { n: [5] }, { n: 5 }, true),
  c('number matches the same number written as a float', { n: [5] }, { n: 5.0 }, true),
  c('float matches float', { n: [301.8] }, { n: 301.8 }, true),
  c('exponent form equals decimal form', { n: [3.018e2] }, { n: 301.8 }, true),
  c('number mismatch', { n: [5] }, { n: 6 }, false),
  c('number does not match a numeric string', { n: [5] }, { n: '5' }, false),
  c('zero matches zero', { n: [0] }, { n: 0 }, true),
  c('negative numbers', { n: [-12.5] }, { n: -12.5 }, true),
  c('numbers beyond the comparable range still match exactly', { account: [123456789012] }, { account: 123456789012 }, true),
  c('several numbers ORed', { n: [1, 2, 3] }, { n: 3 }, true),
  c('true matches true', { b: [true] }, { b: true }, true),
  c('true does not match false', { b: [true] }, { b: false }, false),
  c('false matches false', { b: [false] }, { b: false }, true),
  c('true does not match "true"', { b: [true] }, { b: 'true' }, false),
  c('false does not match 0', { b: [false] }, { b: 0 }, false),
  c('null matches null', { v: [null] }, { v: null }, true),
  c('null does not match a missing field', { v: [null] }, {}, false),
  c('null does not match an empty array', { v: [null] }, { v: [] }, false),
  c('null does not match "null"', { v: [null] }, { v: 'null' }, false),
  c('null does not match empty string', { v: [null] }, { v: '' }, false),
  c('null does not match an empty object', { v: [null] }, { v: {} }, false),
  c('mixed types in one array', { v: ['a', 1, true, null] }, { v: true }, true),
  c('mixed types, null hit', { v: ['a', 1, true, null] }, { v: null }, true),
  c('mixed types, miss', { v: ['a', 1, true, null] }, { v: false }, false),
]

const arrays = [
  c('event array matches when any element matches', { resources: ['arn:b'] }, { resources: ['arn:a', 'arn:b'] }, true),
  c('event array with no matching element', { resources: ['arn:c'] }, { resources: ['arn:a', 'arn:b'] }, false),
  c('intersection of two arrays', { resources: ['arn:x', 'arn:a'] }, { resources: ['arn:a', 'arn:b'] }, true),
  c('empty event array matches nothing', { resources: ['arn:a'] }, { resources: [] }, false),
  c('array of numbers', { ids: [2] }, { ids: [1, 2, 3] }, true),
  c('array of mixed scalars', { ids: [null] }, { ids: ['a', null] }, true),
  c('nested arrays flatten', { ids: [3] }, { ids: [[1, 2], [3]] }, true),
  c('arrays of objects: any object may match', { items: { id: ['b'] } }, { items: [{ id: 'a' }, { id: 'b' }] }, true),
  c('arrays of objects: none matches', { items: { id: ['c'] } }, { items: [{ id: 'a' }, { id: 'b' }] }, false),
  c('two fields must come from the same array element', { a: { b: [1], c: [2] } }, { a: [{ b: 1, c: 3 }, { b: 4, c: 2 }] }, false),
  c('two fields from the same array element', { a: { b: [1], c: [2] } }, { a: [{ b: 1, c: 3 }, { b: 1, c: 2 }] }, true),
  c('array element consistency with a field outside the array', { x: ['1'], a: { b: [1], c: [2] } }, { x: '1', a: [{ b: 1, c: 2 }] }, true),
  c('nested arrays of objects', { a: { b: { c: ['x'] } } }, { a: [{ b: [{ c: 'y' }, { c: 'x' }] }] }, true),
  c('nested arrays of objects keep element consistency', { a: { b: { c: ['x'], d: ['1'] } } }, { a: [{ b: [{ c: 'x', d: '2' }, { c: 'y', d: '1' }] }] }, false),
  c('different arrays do not constrain each other', { a: { b: [1] }, x: { y: [2] } }, { a: [{ b: 0 }, { b: 1 }], x: [{ y: 2 }, { y: 3 }] }, true),
  c('array of scalars under an array of objects', { a: { tags: ['t2'], name: ['n1'] } }, { a: [{ tags: ['t1', 't2'], name: 'n1' }] }, true),
  c('array of scalars under an array of objects, other element', { a: { tags: ['t2'], name: ['n2'] } }, { a: [{ tags: ['t1', 't2'], name: 'n1' }, { tags: ['t3'], name: 'n2' }] }, false),
  c('a top-level value array with a nested pattern does not match scalars', { a: { b: ['x'] } }, { a: ['x'] }, false),
]

const dotted = [
  c('dotted pattern key matches a nested event', { 'detail.state': ['terminated'] }, ec2, true),
  c('nested pattern matches a dotted event key', { state: { status: ['ok'] } }, { 'state.status': 'ok' }, true),
  c('dotted pattern key matches a dotted event key', { 'state.status': ['ok'] }, { 'state.status': 'ok' }, true),
  c('dotted key mismatch', { 'state.status': ['ok'] }, { state: { status: 'bad' } }, false),
  c('dotted key partially nested', { 'a.b': { c: ['x'] } }, { a: { 'b.c': 'x' } }, true),
]

matchTable('exact strings and nesting', strings, ['eventbridge', 'sns-body', 'lambda-filter'])
matchTable('numbers, booleans and null', scalars, ['eventbridge', 'sns-body', 'lambda-filter'])
matchTable('arrays match by intersection', arrays, ['eventbridge', 'sns-body', 'lambda-filter'])
matchTable('dotted keys flatten like nesting', dotted, ['eventbridge', 'sns-body', 'lambda-filter'])
