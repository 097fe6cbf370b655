// prefix, suffix, equals-ignore-case and their ignore-case combinations.
import { c, matchTable } from './table.ts'

const prefix = [
  c('prefix matches', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' }, true),
  c('prefix mismatch', { time: [{ prefix: '2017-10-03' }] }, { time: '2017-10-02T18:43:48Z' }, false),
  c('prefix equal to the whole value', { r: [{ prefix: 'us-east-1' }] }, { r: 'us-east-1' }, true),
  c('prefix longer than the value', { r: [{ prefix: 'us-east-1a' }] }, { r: 'us-east-1' }, false),
  c('empty prefix matches any string', { r: [{ prefix: '' }] }, { r: 'anything' }, true),
  c('empty prefix matches the empty string', { r: [{ prefix: '' }] }, { r: '' }, true),
  c('empty prefix does not match a number', { r: [{ prefix: '' }] }, { r: 1 }, false),
  c('prefix is case-sensitive', { r: [{ prefix: 'US-' }] }, { r: 'us-east-1' }, false),
  c('prefix does not match numbers', { n: [{ prefix: '12' }] }, { n: 123 }, false),
  c('prefix does not match null', { n: [{ prefix: 'n' }] }, { n: null }, false),
  c('prefix does not match booleans', { n: [{ prefix: 't' }] }, { n: true }, false),
  c('prefix on a missing field', { n: [{ prefix: 'a' }] }, {}, false),
  c('prefix over an event array', { r: [{ prefix: 'eu-' }] }, { r: ['us-east-1', 'eu-west-1'] }, true),
  c('prefix ORed with an exact value', { r: ['ap-south-1', { prefix: 'eu-' }] }, { r: 'ap-south-1' }, true),
  c('two prefixes ORed', { r: [{ prefix: 'us-' }, { prefix: 'eu-' }] }, { r: 'eu-central-1' }, true),
  c('prefix with unicode', { r: [{ prefix: 'žluť' }] }, { r: 'žluťoučký' }, true),
]

const prefixIgnoreCase = [
  c('prefix ignoring case', { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { service: 'eventbridge' }, true),
  c('prefix ignoring case, upper-case value', { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { service: 'EVENTBRIDGE' }, true),
  c('prefix ignoring case, mismatch', { service: [{ prefix: { 'equals-ignore-case': 'eventc' } }] }, { service: 'EventBridge' }, false),
  c('prefix ignoring case does not match numbers', { service: [{ prefix: { 'equals-ignore-case': '1' } }] }, { service: 12 }, false),
  c('suffix ignoring case', { file: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { file: 'IMAGE.PNG' }, true),
  c('suffix ignoring case, mixed', { file: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] }, { file: 'EventBRIDGE' }, true),
  c('suffix ignoring case, mismatch', { file: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { file: 'image.jpg' }, false),
]

const suffix = [
  c('suffix matches', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true),
  c('suffix mismatch', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.jpg' }, false),
  c('suffix is case-sensitive', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false),
  c('suffix equal to the whole value', { FileName: [{ suffix: '.png' }] }, { FileName: '.png' }, true),
  c('suffix longer than the value', { FileName: [{ suffix: 'a.png' }] }, { FileName: '.png' }, false),
  c('empty suffix matches any string', { FileName: [{ suffix: '' }] }, { FileName: 'x' }, true),
  c('suffix does not match numbers', { n: [{ suffix: '5' }] }, { n: 15 }, false),
  c('suffix over an event array', { f: [{ suffix: '.txt' }] }, { f: ['a.png', 'b.txt'] }, true),
  c('suffix and prefix ORed', { f: [{ prefix: 'x' }, { suffix: '.txt' }] }, { f: 'a.txt' }, true),
]

const ignoreCase = [
  c('equals-ignore-case matches', { name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'ALICE' }, true),
  c('equals-ignore-case exact case', { name: [{ 'equals-ignore-case': 'alice' }] }, { name: 'alice' }, true),
  c('equals-ignore-case mixed case', { name: [{ 'equals-ignore-case': 'AlIcE' }] }, { name: 'aLiCe' }, true),
  c('equals-ignore-case is not a prefix match', { name: [{ 'equals-ignore-case': 'ali' }] }, { name: 'alice' }, false),
  c('equals-ignore-case mismatch', { name: [{ 'equals-ignore-case': 'bob' }] }, { name: 'alice' }, false),
  c('equals-ignore-case empty string', { name: [{ 'equals-ignore-case': '' }] }, { name: '' }, true),
  c('equals-ignore-case empty vs non-empty', { name: [{ 'equals-ignore-case': '' }] }, { name: 'a' }, false),
  c('equals-ignore-case does not match numbers', { name: [{ 'equals-ignore-case': '5' }] }, { name: 5 }, false),
  c('equals-ignore-case does not match null', { name: [{ 'equals-ignore-case': 'null' }] }, { name: null }, false),
  c('equals-ignore-case non-ASCII', { name: [{ 'equals-ignore-case': 'ÉCOLE' }] }, { name: 'école' }, true),
  c('equals-ignore-case over an event array', { name: [{ 'equals-ignore-case': 'b' }] }, { name: ['a', 'B'] }, true),
  c('equals-ignore-case ORed with exact', { name: ['x', { 'equals-ignore-case': 'y' }] }, { name: 'Y' }, true),
]

const shared = ['eventbridge', 'sns-body', 'lambda-filter'] as const
matchTable('prefix', prefix, shared)
matchTable('prefix / suffix with equals-ignore-case', prefixIgnoreCase, ['eventbridge', 'lambda-filter'])
matchTable('suffix', suffix, shared)
matchTable('equals-ignore-case', ignoreCase, shared)
