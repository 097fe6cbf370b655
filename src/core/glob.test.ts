// Wildcard matching: the same answers as the RegExp a glob used to become, and no blow-up on the
// patterns that made that RegExp backtrack for seconds.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { anyRun, compileGlob, globMatches, globTokens } from './glob.ts'

/** The RegExp reading of a glob (what the services used before). */
function viaRegExp(pattern: string, text: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(text)
}

describe('globMatches', () => {
  it('answers as the RegExp reading does, case-sensitive and not', () => {
    const patterns = ['', '*', '?', 'a', 'a*', '*a', '*a*', 'a?c', 'a*c', '*.txt', 'arn:aws:s3:::my-bucket/*', 's3:Get*', 'a**b', '?*?',
      '*ab*ab*', 'x(y)+[z]$', 'É*', 'ß?', '*\n*']
    const texts = ['', 'a', 'A', 'abc', 'aXc', 'ab', 'ba', 'abab', 'aabab', 'file.txt', 'file.TXT', 'arn:aws:s3:::my-bucket/k/e/y', 's3:GetObject',
      'S3:getobject', 'x(y)+[z]$', 'éclair', 'Éclair', 'ßa', 'ẞa', 'line\nbreak', '😀', '😀😀', 'ab\nab']
    for (const p of patterns) {
      for (const t of texts) {
        for (const ignoreCase of [false, true]) assert.equal(globMatches(p, t, ignoreCase), viaRegExp(p, t, ignoreCase), JSON.stringify({ p, t, ignoreCase }))
      }
    }
  })

  it('answers as the RegExp reading does on every short glob and text of a small alphabet (seeded random)', () => {
    let seed = 7
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n
    const word = (alphabet: string, max: number) => Array.from({ length: next(max + 1) }, () => alphabet[next(alphabet.length)]).join('')
    for (let i = 0; i < 20_000; i++) {
      const p = word('aAb*?', 7)
      const t = word('aAb', 9)
      const ignoreCase = next(2) === 1
      assert.equal(globMatches(p, t, ignoreCase), viaRegExp(p, t, ignoreCase), JSON.stringify({ p, t, ignoreCase }))
    }
  })

  it('with an escape, takes `\\*` `\\?` `\\\\` as literal characters and a backslash before anything else as itself', () => {
    const ec2 = (pattern: string, text: string) => compileGlob(globTokens(pattern, true, '\\'))(text)
    assert.equal(ec2('\\*amazon\\?\\\\', '*amazon?\\'), true)
    assert.equal(ec2('\\*amazon\\?\\\\', 'xamazonx\\'), false)
    assert.equal(ec2('C:\\temp*', 'C:\\temp\\a'), true)
    assert.equal(ec2('a\\', 'a\\'), true)
    assert.equal(ec2('a\\?', 'ab'), false)
    assert.equal(ec2('a\\?', 'a?'), true)
    assert.equal(ec2('*\\**', 'has * star'), true)
    assert.equal(ec2('*\\**', 'no star'), false)
  })

  it('takes literal tokens as given, wildcards only where tokens say so', () => {
    const literalStar = compileGlob(['a*b', anyRun])
    assert.equal(literalStar('a*bcd'), true)
    assert.equal(literalStar('axbcd'), false)
    assert.deepEqual(globTokens('a?*', false), ['a?', anyRun])
  })

  it('does not blow up where a backtracking RegExp would (pattern × text steps at most)', () => {
    const pattern = `${'*a'.repeat(12)}*b`
    const text = 'a'.repeat(50_000)
    const started = performance.now()
    assert.equal(globMatches(pattern, text), false)
    assert.equal(globMatches(pattern, `${text}b`), true)
    // The RegExp reading of this takes hours; generous slack for a loaded machine.
    assert.ok(performance.now() - started < 20_000)
  })

  it('finds the runs between stars in time linear in the text (a long run against a long text)', () => {
    const text = 'a'.repeat(1_000_000)
    const started = performance.now()
    // Falling back to the last star, this is run × text = 10^9 steps (~7 s here); found run by run, ~10^6.
    assert.equal(globMatches(`*${'a'.repeat(1000)}b`, text), false)
    assert.equal(globMatches(`*${'a'.repeat(500)}b${'a'.repeat(500)}*`, text), false)
    assert.equal(globMatches(`*${'a'.repeat(1000)}*`, text, true), true)
    assert.ok(performance.now() - started < 3_000)
  })
})
