// wildcard (event buses only): `*` is any run of characters, `\*` a literal star.
import { c, matchTable } from './table.ts'

const w = (pattern: string, value: unknown, match: boolean, name?: string) =>
  c(name ?? `${pattern} vs ${JSON.stringify(value)}`, { p: [{ wildcard: pattern }] }, { p: value }, match)

const cases = [
  w('*.png', 'image.png', true), w('*.png', '.png', true, 'star matches nothing'), w('*.png', 'image.jpg', false),
  w('*.png', 'image.png.bak', false), w('/Users/*/dir/*.txt', '/Users/alice/dir/a.txt', true),
  w('/Users/*/dir/*.txt', '/Users/alice/other/a.txt', false), w('/Users/*/dir/*.txt', '/Users/a/b/dir/c.txt', true, 'star crosses slashes'),
  w('*Title*', 'The Title Page', true), w('*Title*', 'title', false, 'case-sensitive'), w('*', '', true), w('*', 'anything', true),
  w('a*', 'a', true), w('a*', 'ba', false), w('*a', 'ba', true), w('a*b*c', 'abc', true), w('a*b*c', 'aXbYc', true),
  w('a*b*c', 'acb', false), w('abc', 'abc', true, 'no star is an exact match'), w('abc', 'abcd', false),
  w('a\\*b', 'a*b', true, 'an escaped star is literal'), w('a\\*b', 'aXb', false, 'an escaped star is not a wildcard'),
  w('a\\\\b', 'a\\b', true, 'an escaped backslash'), w('a.c', 'abc', false, 'dots are literal'),
  w('(x)+', '(x)+', true, 'regex characters are literal'), w('*\n*', 'a\nb', true, 'matches across newlines'),
  w('*.png', 5, false, 'numbers never match'), w('*', null, false, 'null never matches'),
  w('*.png', ['a.jpg', 'b.png'], true, 'event arrays'), w('ü*', 'über', true, 'unicode'),
  c('wildcard on a missing field', { p: [{ wildcard: '*' }] }, {}, false),
  c('wildcard ORed with exact', { p: [{ wildcard: 'a*' }, 'b'] }, { p: 'b' }, true),
]

matchTable('wildcard', cases)
