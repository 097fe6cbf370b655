// exists: true needs a leaf value (null counts, [] and {} don't); false matches absent paths.
import { c, matchTable } from './table.ts'

const cases = [
  c('exists true: present string', { p: [{ exists: true }] }, { p: 'x' }, true),
  c('exists true: present empty string', { p: [{ exists: true }] }, { p: '' }, true),
  c('exists true: present number', { p: [{ exists: true }] }, { p: 0 }, true),
  c('exists true: present false', { p: [{ exists: true }] }, { p: false }, true),
  c('exists true: present null', { p: [{ exists: true }] }, { p: null }, true),
  c('exists true: missing', { p: [{ exists: true }] }, { q: 'x' }, false),
  c('exists true: empty array counts as missing', { p: [{ exists: true }] }, { p: [] }, false),
  c('exists true: non-empty array', { p: [{ exists: true }] }, { p: ['a'] }, true),
  c('exists true: object is not a leaf', { p: [{ exists: true }] }, { p: { a: 1 } }, false),
  c('exists true: empty object', { p: [{ exists: true }] }, { p: {} }, false),
  c('exists true: nested present', { detail: { c: [{ exists: true }] } }, { detail: { c: 1 } }, true),
  c('exists true: nested missing', { detail: { c: [{ exists: true }] } }, { detail: { d: 1 } }, false),
  c('exists true: parent missing', { detail: { c: [{ exists: true }] } }, {}, false),
  c('exists true: inside an array of objects', { automations: { id: [{ exists: true }] } }, { automations: [{ x: 1 }, { id: 'x' }] }, true),
  c('exists true: no object in the array has it', { automations: { id: [{ exists: true }] } }, { automations: [{ x: 1 }, { y: 2 }] }, false),
  c('exists false: missing', { p: [{ exists: false }] }, { q: 'x' }, true),
  c('exists false: present', { p: [{ exists: false }] }, { p: 'x' }, false),
  c('exists false: present null', { p: [{ exists: false }] }, { p: null }, false),
  c('exists false: empty array', { p: [{ exists: false }] }, { p: [] }, true),
  c('exists false: object value (not a leaf)', { p: [{ exists: false }] }, { p: { a: 1 } }, true),
  c('exists false: nested missing', { detail: { c: [{ exists: false }] } }, { detail: { d: 1 } }, true),
  c('exists false: parent missing', { a: { b: { c: [{ exists: false }] } } }, {}, true),
  c('exists false: nested present', { detail: { c: [{ exists: false }] } }, { detail: { c: 1 } }, false),
  c('exists false: present in one element of an array', { items: { id: [{ exists: false }] } }, { items: [{ id: 1 }, { x: 2 }] }, false),
  c('exists false with another field', { a: ['1'], b: [{ exists: false }] }, { a: '1' }, true),
  c('exists false with another field failing', { a: ['1'], b: [{ exists: false }] }, { a: '2' }, false),
  c('exists false ORed with a value: absent', { a: [{ exists: false }, 'x'] }, {}, true),
  c('exists false ORed with a value: the value', { a: [{ exists: false }, 'x'] }, { a: 'x' }, true),
  c('exists false ORed with a value: another value', { a: [{ exists: false }, 'x'] }, { a: 'y' }, false),
  c('exists true ORed with prefix matches any present value', { a: [{ exists: true }, { prefix: 'X' }] }, { a: 'y' }, true),
  c('exists true and false ORed match everything', { a: [{ exists: true }, { exists: false }] }, {}, true),
]

matchTable('exists', cases, ['eventbridge', 'sns-body', 'lambda-filter'])
