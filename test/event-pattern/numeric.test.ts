// numeric ranges: only JSON numbers match; bounds open or closed; values within Event Ruler's range.
import { c, matchTable } from './table.ts'

const n = (ops: unknown[], value: unknown, match: boolean, name?: string) =>
  c(name ?? `${JSON.stringify(ops)} vs ${JSON.stringify(value)}`, { x: [{ numeric: ops }] }, { x: value }, match)

const cases = [
  n(['>', 0], 1, true), n(['>', 0], 0, false), n(['>', 0], -1, false), n(['>', 0], 0.000001, true),
  n(['>=', 0], 0, true), n(['>=', 0], -0.5, false),
  n(['<', 10], 9.99, true), n(['<', 10], 10, false), n(['<', 10], 11, false),
  n(['<=', 10], 10, true), n(['<=', 10], 10.000001, false),
  n(['=', 100], 100, true), n(['=', 100], 100.0, true), n(['=', 100], 100.5, false),
  n(['=', 3.018e2], 301.8, true, '= 3.018e2 equals 301.8'),
  n(['=', 0], -0, true, '= 0 equals -0'),
  n(['>', 0, '<=', 5], 5, true), n(['>', 0, '<=', 5], 0, false), n(['>', 0, '<=', 5], 2.5, true), n(['>', 0, '<=', 5], 5.1, false),
  n(['>=', 0, '<', 5], 0, true), n(['>=', 0, '<', 5], 5, false),
  n(['>', -10, '<', -5], -7, true), n(['>', -10, '<', -5], -5, false), n(['>', -10, '<', -5], -10, false),
  n(['>=', 1.5, '<=', 1.6], 1.55, true),
  n(['>', 100], '300', false, 'a numeric string never matches'),
  n(['=', 5], '5', false, 'a numeric string never matches ='),
  n(['>', 0], null, false, 'null never matches numeric'),
  n(['>', 0], true, false, 'a boolean never matches numeric'),
  n(['>', 0], [], false, 'an empty array never matches numeric'),
  n(['>', 0], [-1, 3], true, 'event arrays: any element in range'),
  n(['>', 0], [-1, -3], false, 'event arrays: no element in range'),
  n(['>', 0], ['5', -1], false, 'event arrays: strings ignored'),
  n(['<', 0], -5e9, true, 'the bottom of the comparable range'),
  n(['>', 0], 5e9, true, 'the top of the comparable range'),
  n(['>', 0], 6e9, false, 'numbers beyond ±5e9 cannot be compared'),
  n(['<', 0], -6e9, false, 'numbers below -5e9 cannot be compared'),
  c('numeric on a missing field', { x: [{ numeric: ['>', 0] }] }, {}, false),
  c('numeric on a nested field', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, { detail: { 'c-count': 5 } }, true),
  c('two numeric ranges ORed', { x: [{ numeric: ['<', 0] }, { numeric: ['>', 10] }] }, { x: 11 }, true),
  c('two numeric ranges ORed, miss', { x: [{ numeric: ['<', 0] }, { numeric: ['>', 10] }] }, { x: 5 }, false),
  c('numeric ORed with anything-but', { x: [{ numeric: ['>', 10] }, { 'anything-but': 5 }] }, { x: 3 }, true),
  c('numeric ORed with an exact string', { x: [{ numeric: ['>', 10] }, 'none'] }, { x: 'none' }, true),
  c('an exact number is numeric equality', { x: [5] }, { x: 5.0 }, true),
]

matchTable('numeric', cases, ['eventbridge', 'lambda-filter'])
// SNS compares within ±1e9.
matchTable('numeric (SNS body)', cases.filter((t) => !/5e9|6e9/.test(JSON.stringify(t.event)) && !/comparable/.test(t.name)), ['sns-body'])
matchTable('numeric (SNS limits)', [
  n(['>', 0], 2e9, false, 'SNS cannot compare numbers beyond ±1e9'),
  n(['>', 0], 1e9, true, 'SNS compares 1e9'),
], ['sns-body'])
