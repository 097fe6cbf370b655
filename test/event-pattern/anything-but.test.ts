// anything-but: any present value outside the set, null and other types included; never a missing field.
import { c, matchTable } from './table.ts'

const plain = [
  c('anything-but a string: other string', { state: [{ 'anything-but': 'initializing' }] }, { state: 'running' }, true),
  c('anything-but a string: the string', { state: [{ 'anything-but': 'initializing' }] }, { state: 'initializing' }, false),
  c('anything-but is case-sensitive', { state: [{ 'anything-but': 'initializing' }] }, { state: 'INITIALIZING' }, true),
  c('anything-but does not match a missing field', { state: [{ 'anything-but': 'x' }] }, {}, false),
  c('anything-but matches null', { state: [{ 'anything-but': 'x' }] }, { state: null }, true),
  c('anything-but a string matches a number', { state: [{ 'anything-but': 'x' }] }, { state: 5 }, true),
  c('anything-but a string matches a boolean', { state: [{ 'anything-but': 'x' }] }, { state: false }, true),
  c('anything-but a string matches the empty string', { state: [{ 'anything-but': 'x' }] }, { state: '' }, true),
  c('anything-but does not match an empty array', { state: [{ 'anything-but': 'x' }] }, { state: [] }, false),
  c('anything-but does not match an object (no leaf)', { state: [{ 'anything-but': 'x' }] }, { state: { a: 1 } }, false),
  c('anything-but a list: outside', { state: [{ 'anything-but': ['stopped', 'overloaded'] }] }, { state: 'running' }, true),
  c('anything-but a list: inside', { state: [{ 'anything-but': ['stopped', 'overloaded'] }] }, { state: 'stopped' }, false),
  c('anything-but a list: second member', { state: [{ 'anything-but': ['stopped', 'overloaded'] }] }, { state: 'overloaded' }, false),
  c('anything-but a number: other number', { x: [{ 'anything-but': 123 }] }, { x: 124 }, true),
  c('anything-but a number: the number', { x: [{ 'anything-but': 123 }] }, { x: 123 }, false),
  c('anything-but a number: same number as float', { x: [{ 'anything-but': 123 }] }, { x: 123.0 }, false),
  c('anything-but 0 matches 789', { x: [{ 'anything-but': 0 }] }, { x: 789 }, true),
  c('anything-but a number matches the numeric string', { x: [{ 'anything-but': 123 }] }, { x: '123' }, true),
  c('anything-but a number matches null', { x: [{ 'anything-but': 123 }] }, { x: null }, true),
  c('anything-but a number list: inside', { x: [{ 'anything-but': [100, 200, 300] }] }, { x: 200 }, false),
  c('anything-but a number list: outside', { x: [{ 'anything-but': [100, 200, 300] }] }, { x: 250 }, true),
  c('anything-but over an event array: some element outside', { x: [{ 'anything-but': 'a' }] }, { x: ['a', 'b'] }, true),
  c('anything-but over an event array: all inside', { x: [{ 'anything-but': ['a', 'b'] }] }, { x: ['a', 'b'] }, false),
  c('anything-but ORed with an exact value', { x: [{ 'anything-but': 'a' }, 'a'] }, { x: 'a' }, true),
  c('anything-but ORed with numeric', { x: [{ 'anything-but': 5 }, { numeric: ['=', 5] }] }, { x: 5 }, true),
  c('anything-but with a nested field', { detail: { state: [{ 'anything-but': 'x' }] } }, { detail: { state: 'y' } }, true),
  c('anything-but with a nested missing field', { detail: { state: [{ 'anything-but': 'x' }] } }, { detail: {} }, false),
]

const prefixForm = [
  c('anything-but prefix: other prefix', { r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'eu-west-1' }, true),
  c('anything-but prefix: the prefix', { r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'us-east-1' }, false),
  c('anything-but prefix: value equals the prefix', { r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'us-' }, false),
  c('anything-but prefix matches numbers', { r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 5 }, true),
  c('anything-but prefix matches null', { r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: null }, true),
  c('anything-but prefix does not match a missing field', { r: [{ 'anything-but': { prefix: 'us-' } }] }, {}, false),
  c('anything-but prefix is case-sensitive', { r: [{ 'anything-but': { prefix: 'us-' } }] }, { r: 'US-east-1' }, true),
]

const eventBusOnly = [
  c('anything-but prefix list: outside', { r: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, { r: 'ap-south-1' }, true),
  c('anything-but prefix list: inside', { r: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, { r: 'eu-west-1' }, false),
  c('anything-but suffix: other suffix', { f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.txt' }, true),
  c('anything-but suffix: the suffix', { f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.png' }, false),
  c('anything-but suffix list', { f: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, { f: 'a.jpg' }, false),
  c('anything-but suffix matches numbers', { f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 1 }, true),
  c('anything-but equals-ignore-case: other', { s: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { s: 'running' }, true),
  c('anything-but equals-ignore-case: same, other case', { s: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { s: 'INITIALIZING' }, false),
  c('anything-but equals-ignore-case list', { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] }, { s: 'b' }, false),
  c('anything-but equals-ignore-case list: outside', { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] }, { s: 'c' }, true),
  c('anything-but equals-ignore-case matches null', { s: [{ 'anything-but': { 'equals-ignore-case': 'a' } }] }, { s: null }, true),
  c('anything-but wildcard: outside', { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { p: '/usr/bin/x' }, true),
  c('anything-but wildcard: inside', { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { p: '/usr/lib/x' }, false),
  c('anything-but wildcard list', { p: [{ 'anything-but': { wildcard: ['*.png', '*.jpg'] } }] }, { p: 'a.jpg' }, false),
  c('anything-but wildcard list: outside', { p: [{ 'anything-but': { wildcard: ['*.png', '*.jpg'] } }] }, { p: 'a.gif' }, true),
  c('anything-but wildcard matches numbers', { p: [{ 'anything-but': { wildcard: '*' } }] }, { p: 3 }, true),
  c('anything-but wildcard * excludes every string', { p: [{ 'anything-but': { wildcard: '*' } }] }, { p: '' }, false),
]

matchTable('anything-but (plain values)', plain, ['eventbridge', 'sns-body', 'lambda-filter'])
matchTable('anything-but prefix', prefixForm, ['eventbridge', 'sns-body'])
matchTable('anything-but prefix lists, suffix, equals-ignore-case, wildcard (event bus only)', eventBusOnly)
