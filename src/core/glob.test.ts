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
})
