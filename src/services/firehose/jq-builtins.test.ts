// The rest of jq 1.6 in the MetadataExtraction engine: destructuring (and `?//`), label/break,
// $__loc__, $ENV, single-input I/O builtins, dates, math, streaming, and the SQL-style and search
// builtins. Expected outputs are jq 1.6 manual examples where the manual has one.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compileJq, compileJqAll, JqError, type Json } from './jq.ts'
import { extract } from './record-processors.ts'

// [query, input, every output]
const manual: Array<[string, Json, Json[]]> = [
  // Destructuring
  ['. as [$a, $b, {c: $c}] | $a + $b + $c', [2, 3, { c: 4, d: 5 }], [9]],
  ['.[] as [$a, $b] | {a: $a, b: $b}', [[0], [0, 1], [2, 1, 0]], [{ a: 0, b: null }, { a: 0, b: 1 }, { a: 2, b: 1 }]],
  ['. as {$a, $b:[$c, $d]}| [$a, $b, $c, $d]', { a: 1, b: [2, { d: 3 }] }, [[1, [2, { d: 3 }], 2, { d: 3 }]]],
  ['. as {a: $x, "b": [$y], ("c"): {$d}} | [$x, $y, $d]', { a: 1, b: [2], c: { d: 3 } }, [[1, 2, 3]]],
  ['.[] as {$a, $b, c: {$d, $e}} ?// {$a, $b, c: [{$d, $e}]} | {$a, $b, $d, $e}',
    [{ a: 1, b: 2, c: { d: 3, e: 4 } }, { a: 1, b: 2, c: [{ d: 3, e: 4 }] }], [{ a: 1, b: 2, d: 3, e: 4 }, { a: 1, b: 2, d: 3, e: 4 }]],
  ['.[] as {$a, $b, c: {$d}} ?// {$a, $b, c: [{$e}]} | {$a, $b, $d, $e}',
    [{ a: 1, b: 2, c: { d: 3, e: 4 } }, { a: 1, b: 2, c: [{ d: 3, e: 4 }] }], [{ a: 1, b: 2, d: 3, e: null }, { a: 1, b: 2, d: null, e: 4 }]],
  ['.[] as [$a] ?// [$b] | if $a != null then error("err: \\($a)") else {$a,$b} end', [[3]], [{ a: null, b: 3 }]],
  ['reduce .[] as [$a, $b] (0; . + $a * $b)', [[1, 2], [3, 4]], [14]],
  ['[foreach .[] as {a: $x} (0; . + $x)]', [{ a: 1 }, { a: 2 }], [[1, 3]]],
  // label / break (a break is not an error: try does not catch it)
  ['[label $f | range(10) | ., (select(. == 5) | break $f)]', null, [[0, 1, 2, 3, 4, 5]]],
  ['[label $f | try (1, break $f, 2) catch "caught"]', null, [[1]]],
  ['[label $a | label $b | 1, break $a, 2], 3', null, [[1], 3]],
  ['try error("\\($__loc__)") catch .', null, ['{"file":"<stdin>","line":1}']],
  // One input: nothing more to read
  ['[inputs]', 1, [[]]],
  ['try input catch .', 1, ['No more inputs']],
  ['[., input_filename, input_line_number] | debug | stderr', 7, [[7, null, 0]]],
  ['1, halt, 2', null, [1]],
  ['try halt_error catch .', { a: 1 }, [{ a: 1 }]],
  ['$ENV, env', null, [{}, {}]],
  ['builtins | (length > 150, (index("strftime/1") != null), any(startswith("_")))', null, [true, true, false]],
  // Dates
  ['fromdate', '2015-03-05T23:51:47Z', [1425599507]],
  ['strptime("%Y-%m-%dT%H:%M:%SZ")', '2015-03-05T23:51:47Z', [[2015, 2, 5, 23, 51, 47, 4, 63]]],
  ['strptime("%Y-%m-%dT%H:%M:%SZ")|mktime', '2015-03-05T23:51:47Z', [1425599507]],
  ['todate', 1425599507, ['2015-03-05T23:51:47Z']],
  ['strftime("%Y-%m-%dT%H:%M:%SZ")', 1425599507, ['2015-03-05T23:51:47Z']],
  ['strftime("%A, %B %d, %Y")', 1435677542.822351, ['Tuesday, June 30, 2015']],
  ['gmtime', 1425599621.25, [[2015, 2, 5, 23, 53, 41.25, 4, 63]]],
  ['gmtime | mktime', 1425599621.25, [1425599621]],
  ['strftime("%j %e %H:%M:%S %p %a %b %y %C %u %w %s %%")', 1425599507, ['064  5 23:51:47 PM Thu Mar 15 20 4 4 1425599507 %']],
  ['strptime("%d %B %Y %H:%M") | todate', '5 March 2015 23:51', ['2015-03-05T23:51:00Z']],
  ['date, dateadd("seconds"; 60), datesub("seconds"; 7)', 1425599507, ['2015-03-05T23:51:47Z', 1425599567, 1425599500]],
  ['localtime | strflocaltime("%F %T")', 0, ['1970-01-01 00:00:00']],
  ['try strptime("%Y") catch .', 'x', ['date "x" does not match format "%Y"']],
  // Math (jq 1.6's libm list)
  ['[.[]|floor]', [-1.1, 1.1, 1.9], [[-2, 1, 1]]],
  ['[.[]|sqrt]', [9, 2.25], [[3, 1.5]]],
  ['[pow(2; 10), log2, exp10, cbrt, trunc]', 8, [[1024, 3, 100000000, 2, 8]]],
  ['[atan2(1; 1) * 4 == (1 | atan * 4), fma(2; 3; 4), ldexp(3; 2), scalb(3; 2), drem(10; 3), drem(11; 3), fmod(-7; 3)]', null,
    [[true, 10, 12, 12, 1, -1, -1]]],
  ['[.[]|significand]', [0, 1, 8, 12, 0.375], [[0, 1, 1, 1.5, 1.5]]],
  ['[.[]|logb]', [1, 8, 12, 0.375], [[0, 3, 3, -2]]],
  ['[.[]|frexp]', [8, 0, -3], [[[0.5, 4], [0, 0], [-0.75, 2]]]],
  ['[.[]|modf]', [3.5, -2.25], [[[0.5, 3], [-0.25, -2]]]],
  ['[.[]|nearbyint], [.[]|rint], [.[]|round]', [2.5, 3.5, -2.5], [[2, 4, -2], [2, 4, -2], [3, 4, -3]]],
  ['[.[]|tgamma]', [1, 5, 7], [[1, 24, 720]]],
  ['[.[]|gamma], [.[]|lgamma_r]', [1, 2], [[0, 0], [[0, 1], [0, 1]]]],
  ['(5 | gamma) - (24 | log) | fabs < 1e-12', null, [true]],
  ['(0.5 | tgamma) - (3.141592653589793 | sqrt) | fabs < 1e-12', null, [true]],
  ['[copysign(3; -1), fdim(5; 3), fdim(3; 5), fmin(1; 2), fmax(1; 2), hypot(3; 4)]', null, [[-3, 2, 0, 1, 2, 5]]],
  ['[nextafter(1; 2) > 1, nextafter(1; 2) - 1 < 1e-15, nextafter(0; -1) < 0]', null, [[true, true, true]]],
  ['[j0, j1, y0, y1] | map(. * 1e6 | round)', 1, [[765198, 440051, 88257, -781213]]],
  ['[infinite, -infinite, nan, 1] | map(isinfinite), map(isnan), map(isnormal)', null,
    [[true, true, false, false], [false, false, true, false], [false, false, false, true]]],
  // Generators and search
  ['[limit(3;.[])]', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [[0, 1, 2]]],
  ['[first(range(.)), last(range(.)), nth(./2; range(.))]', 10, [[0, 9, 5]]],
  ['[range(0;10;3)]', null, [[0, 3, 6, 9]]],
  ['[range(0;10;-1)]', null, [[]]],
  ['[range(0;-5;-1)]', null, [[0, -1, -2, -3, -4]]],
  ['[limit(5; repeat(. * 2))]', 1, [[1, 2, 4, 8, 16]]],
  ['indices(", ")', 'a,b, cd, efg, hijk', [[3, 7, 12]]],
  ['indices(1)', [0, 1, 2, 1, 3, 1, 4], [[1, 3, 5]]],
  ['indices([1,2])', [0, 1, 2, 3, 1, 4, 2, 5, 1, 2, 6, 7], [[1, 8]]],
  ['index(", ")', 'a,b, cd, efg, hijk', [3]],
  ['rindex(", ")', 'a,b, cd, efg, hijk', [12]],
  ['.[[1]]', [0, 1, 2, 1], [[1, 3]]],
  ['[splits(", *"; null)]', 'ab,cd, ef', [['ab', 'cd', 'ef']]],
  ['[.[]|ltrimstr("foo")]', ['fo', 'foo', 'barfoo', 'foobar', 'afoo'], [['fo', '', 'barfoo', 'bar', 'afoo']]],
  ['[.[]|rtrimstr("foo")]', ['fo', 'foo', 'barfoo', 'foobar', 'foob'], [['fo', '', 'bar', 'foobar', 'foob']]],
  ['implode', [65, 66, 67], ['ABC']],
  ['explode', 'foobar', [[102, 111, 111, 98, 97, 114]]],
  ['[combinations]', [[1, 2], [3, 4]], [[[1, 3], [1, 4], [2, 3], [2, 4]]]],
  ['[combinations(2)]', [0, 1], [[[0, 0], [0, 1], [1, 0], [1, 1]]]],
  ['transpose', [[1], [2, 3]], [[[1, 2], [null, 3]]]],
  ['any(.[]; . > 2), all(.[]; . > 2), any(. > 2), all(. > 0), any, all', [1, 2, 3], [true, false, true, true, true, true]],
  ['any(true, error("x"); .), all(false, error("x"); .)', null, [true, false]],
  ['.[] | IN(2, 3)', [1, 2], [false, true]],
  ['IN(.[]; 2, 3)', [5, 3], [true]],
  ['INDEX(.id)', [{ id: 1, v: 'a' }, { id: 2, v: 'b' }], [{ 1: { id: 1, v: 'a' }, 2: { id: 2, v: 'b' } }]],
  // Streaming form
  ['[tostream]', { a: [1, 2] }, [[[['a', 0], 1], [['a', 1], 2], [['a', 1]], [['a']]]]],
  ['[1|truncate_stream([[0],1],[[1,0],2],[[1,0]],[[1]])]', 1, [[[[0], 2], [[0]]]]],
  ['fromstream(1|truncate_stream([[0],1],[[1,0],2],[[1,0]],[[1]]))', 1, [[2]]],
  ['. as $dot|fromstream($dot|tostream)|.==$dot', [0, [1, { a: 1 }, { b: 2 }]], [true]],
  ['@base32, (@base32 | @base32d)', 'foobar', ['MZXW6YTBOI======', 'foobar']],
  ['@base32d', 'KRUGS4ZANFZSAYJANVSXG43BM5SQ====', ['This is a message']],
]

describe('JQ engine: jq 1.6 beyond the core', () => {
  it('answers jq 1.6 manual examples', () => {
    for (const [query, input, expected] of manual) assert.deepEqual(compileJqAll(query)(input), expected, query)
  })

  it('a destructuring error that no alternative escapes is the last alternative\'s', () => {
    assert.throws(() => compileJqAll('. as [$a] | $a')({ a: 1 }), new JqError('Cannot index object with number'))
    assert.throws(() => compileJqAll('. as [$a] ?// {$a} | $a')(1), (e) => e instanceof JqError && /Cannot index number/.test(e.message))
  })

  it('now is the time the caller gives (the clock), in seconds', () => {
    assert.deepEqual(compileJqAll('now, (now | todate)')(null, { now: 1_425_599_507_500 }), [1425599507.5, '2015-03-05T23:51:47Z'])
  })

  it('Firehose runs MetadataExtraction queries with now = the record\'s arrival on its clock', () => {
    const query = '{day: (now | strftime("%Y/%m/%d")), kind: (.[0] as [$k] | $k)}'
    const keys = extract({ seq: 1, data: Buffer.from('[["click"]]'), arrival: Date.UTC(2026, 11, 5, 7, 0) }, { query, run: compileJq(query) })
    assert.deepEqual(keys, { day: '2026/12/05', kind: 'click' })
  })

  it('a record partitioned on arrival is not queried again when its buffer is cut (a query at its bound would cost twice)', () => {
    const query = 'if .loop then last(range(1e12)) else {k: .k} end'
    let runs = 0
    const compiled = compileJq(query)
    const extraction = { query, run: (input: Json, at?: Parameters<typeof compiled>[1]) => { runs++; return compiled(input, at) } }
    const looping = { seq: 1, data: Buffer.from('{"loop":true}'), arrival: 1 }
    const first = extract(looping, extraction)
    assert.match(first as string, /the query took more than 1,000,208 steps$/)
    assert.equal(extract({ ...looping }, extraction), first)
    const plain = { seq: 2, data: Buffer.from('{"k":"a"}'), arrival: 1 }
    assert.deepEqual(extract(plain, extraction), { k: 'a' })
    assert.deepEqual(extract({ ...plain }, extraction), { k: 'a' })
    assert.equal(runs, 2)
    // Another query (UpdateDestination) or another arrival is queried afresh.
    assert.deepEqual(extract(plain, { query: '{k: "b"}', run: compileJq('{k: "b"}') }), { k: 'b' })
    assert.deepEqual(extract({ ...plain, arrival: 2 }, extraction), { k: 'a' })
    assert.equal(runs, 3)
  })
})
