// Bounded regular expressions: a catastrophic pattern ends with RegexTimeout near its bound and the
// next call works; ordinary patterns give exactly what RegExp gives (groups, spans, unicode, empty matches).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { boundedMatches, boundedTest, RegexTimeout, regexBudget, setRegexBudget, type BoundedMatch } from './bounded-regex.ts'

/** What RegExp itself gives, in the module's shape. */
function native(source: string, flags: string, text: string): BoundedMatch[] {
  const rx = new RegExp(source, flags.includes('g') ? flags : `${flags}g`)
  const all = [...text.matchAll(rx)].map((m) => ({
    index: m.index, captures: [...m], spans: m.indices === undefined ? [] : [...m.indices], named: m.groups === undefined ? undefined : { ...m.groups },
  }))
  return flags.includes('g') ? all : all.slice(0, 1)
}

describe('boundedMatches', () => {
  it('gives exactly what RegExp gives: groups, named groups, spans, unicode, empty matches', () => {
    const cases: Array<[string, string, string]> = [
      ['(\\d+)-(?<word>[a-z]+)?', 'dg', '12-ab 7- 9-z'],
      ['(?<y>\\d{4})-(?<m>\\d\\d)', 'du', 'on 2024-05 and 1999-12'],
      ['\\p{L}+', 'gu', 'héllo wörld 😀 ok'],
      ['', 'gu', 'a😀b'],
      ['x*', 'g', 'axxb'],
      ['(a)|(b)', 'dg', 'ab'],
      ['^b', 'gm', 'a\nb\nb'],
      ['A.B', 'gis', 'a\nb'],
      ['(a)\\1', 'g', 'aaaa'],
      ['nomatch', 'dgu', 'text'],
      ['(?<=\\$)\\d+', 'g', '$12 $3'],
    ]
    for (const [source, flags, text] of cases) {
      assert.deepEqual(boundedMatches(source, flags, text), native(source, flags, text), `/${source}/${flags}`)
    }
  })

  it('stops at the limit, and without g gives the first match only', () => {
    assert.deepEqual(boundedMatches('\\d', 'g', '1 2 3', { limit: 2 }).map((m) => m.index), [0, 2])
    assert.deepEqual(boundedMatches('\\d', '', '1 2 3').map((m) => m.captures[0]), ['1'])
  })

  it('ends a catastrophic pattern with RegexTimeout near its bound, whatever the flags, and then works again', () => {
    const text = `${'a'.repeat(40)}!`
    for (const [source, flags] of [['(a+)+b', 'dgu'], ['(a|a)*\\1b', 'i'], ['(a+)+b', '']] as const) {
      const started = performance.now()
      assert.throws(() => boundedMatches(source, flags, text, { budgetMs: 50 }), (e: unknown) => e instanceof RegexTimeout && e.budgetMs === 50)
      // The bound is the bound: the call came back (generous slack for a loaded machine).
      assert.ok(performance.now() - started < 10_000)
      assert.equal(boundedTest('a+!', 'u', text), true)
    }
  })

  it('bounds a pattern without groups too: `a*b` scans a long text in quadratic time', () => {
    assert.throws(() => boundedTest('a*b', '', 'a'.repeat(300_000), 50), RegexTimeout)
    assert.equal(boundedTest('a*b', '', `${'a'.repeat(300_000)}b`, 5_000), true)
  })

  it('reports a pattern that does not compile as a SyntaxError', () => {
    assert.throws(() => boundedMatches('(', 'u', 'x'), SyntaxError)
    assert.equal(boundedTest('x', '', 'yxy'), true)
  })
})

describe('the worker', () => {
  it('starts in a process that evaluates code as modules (node --input-type=module)', () => {
    const module = new URL('./bounded-regex.ts', import.meta.url).href
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `
      const { boundedTest } = await import(${JSON.stringify(module)})
      console.log(boundedTest('b+', '', 'abbc'))`], { encoding: 'utf8', timeout: 120_000 })
    assert.deepEqual([child.stdout.trim(), child.status], ['true', 0], child.stderr)
  })
})

describe('one turn of the event loop', () => {
  const turn = () => new Promise((resolve) => setImmediate(resolve))
  it('waits on matches past their bound for at most 3 bounds; its further matches fail at once until the loop turns', async () => {
    const before = regexBudget()
    setRegexBudget(50)
    try {
      await turn()
      const text = `${'a'.repeat(40)}!`
      const why: string[] = []
      // Unbounded, 20 catastrophic matches (a model pattern on an array's strings) hold Nimbus for 20 bounds.
      for (let i = 0; i < 20; i++) {
        assert.throws(() => boundedTest('(a+)+b', '', text), (e: unknown) => e instanceof RegexTimeout && why.push(e.message) > 0)
      }
      assert.deepEqual(why.slice(0, 3), Array(3).fill('the regular expression ran longer than 50 ms'))
      assert.deepEqual(new Set(why.slice(3)), new Set(['regular expressions already ran past their bound for 150 ms without Nimbus serving anyone else']))
      assert.throws(() => boundedTest('a+!', '', text), RegexTimeout, 'even a quick one, in the same turn')
      await turn()
      assert.equal(boundedTest('a+!', '', text), true)
      assert.throws(() => boundedTest('(a+)+b', '', text), /ran longer than 50 ms/)
    } finally {
      setRegexBudget(before)
      await turn()
    }
  })
})

describe('boundedTest', () => {
  it('is RegExp.test, ignoring g', () => {
    assert.equal(boundedTest('^\\w+@\\w+$', 'u', 'me@host'), true)
    assert.equal(boundedTest('^\\w+@\\w+$', 'gu', 'me host'), false)
  })
})
