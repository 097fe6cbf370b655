// The JQ engine of the MetadataExtraction processor: the queries AWS's dynamic partitioning docs
// show, jq 1.6's answers for indexing/null/tostring/tonumber, and clear errors for what it refuses.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { regexBudget, setRegexBudget } from '../../core/bounded-regex.ts'
import { compileJq, compileJqAll, JqError, type Json } from './jq.ts'

const run = (query: string, input: Json) => compileJq(query)(input)

// [query, input, every output] — examples from jq 1.6's manual (facts about jq's answers).
const manual: Array<[string, Json, Json[]]> = [
  ['.[]', [{ name: 'JSON', good: true }, { name: 'XML', good: false }], [{ name: 'JSON', good: true }, { name: 'XML', good: false }]],
  ['.[]?', 1, []],
  ['.[]', { a: 1, b: 1 }, [1, 1]],
  ['.foo, .bar', { foo: 42, bar: 'something else', baz: true }, [42, 'something else']],
  ['.user, .projects[]', { user: 'stedolan', projects: ['jq', 'wikiflow'] }, ['stedolan', 'jq', 'wikiflow']],
  ['.[4,2]', ['a', 'b', 'c', 'd', 'e'], ['e', 'c']],
  ['.[2:4]', ['a', 'b', 'c', 'd', 'e'], [['c', 'd']]],
  ['.[2:4]', 'abcdefghi', ['cd']],
  ['.[:3]', ['a', 'b', 'c', 'd', 'e'], [['a', 'b', 'c']]],
  ['.[-2:]', ['a', 'b', 'c', 'd', 'e'], [['d', 'e']]],
  ['.[-2]', [1, 2, 3], [2]],
  ['[.[] | .name]', [{ name: 'JSON', good: true }, { name: 'XML', good: false }], [['JSON', 'XML']]],
  ['{user, title: .titles[]}', { user: 'stedolan', titles: ['JQ Primer', 'More JQ'] }, [{ user: 'stedolan', title: 'JQ Primer' }, { user: 'stedolan', title: 'More JQ' }]],
  ['{(.user): .titles}', { user: 'stedolan', titles: ['JQ Primer', 'More JQ'] }, [{ stedolan: ['JQ Primer', 'More JQ'] }]],
  ['[.user, .projects[]]', { user: 'stedolan', projects: ['jq', 'wikiflow'] }, [['stedolan', 'jq', 'wikiflow']]],
  ['[.[] | .*2]', [1, 2, 3], [[2, 4, 6]]],
  ['[..|.a?]', [[{ a: 1 }]], [[1]]],
  ['.a + 1', { a: 7 }, [8]],
  ['.a + .b', { a: [1, 2], b: [3, 4] }, [[1, 2, 3, 4]]],
  ['.a + null', { a: 1 }, [1]],
  ['{a: 1} + {b: 2} + {c: 3} + {a: 42}', null, [{ a: 42, b: 2, c: 3 }]],
  ['4 - .a', { a: 3 }, [1]],
  ['. - ["xml", "yaml"]', ['xml', 'yaml', 'json'], [['json']]],
  ['10 / . * 3', 5, [6]],
  ['. / ", "', 'a, b,c,d, e', [['a', 'b,c,d', 'e']]],
  ['{"k": {"a": 1, "b": 2}} * {"k": {"a": 0,"c": 3}}', null, [{ k: { a: 0, b: 2, c: 3 } }]],
  ['.[] | (1 / .)?', [1, 0, -1], [1, -1]],
  ['.[] | length', [[1, 2], 'string', { a: 2 }, null, -5], [2, 6, 1, 0, 5]],
  ['utf8bytelength', '\u03bc', [2]],
  ['keys', { abc: 1, abcd: 2, Foo: 3 }, [['Foo', 'abc', 'abcd']]],
  ['keys', [42, 3, 35], [[0, 1, 2]]],
  ['keys_unsorted', { abc: 1, abcd: 2, Foo: 3 }, [['abc', 'abcd', 'Foo']]],
  ['map(has("foo"))', [{ foo: 42 }, {}], [[true, false]]],
  ['map(has(2))', [[0, 1], ['a', 'b', 'c']], [[false, true]]],
  ['.[] | in({"foo": 42})', ['foo', 'bar'], [true, false]],
  ['map(in([0,1]))', [2, 0], [[false, true]]],
  ['map(.+1)', [1, 2, 3], [[2, 3, 4]]],
  ['map_values(.+1)', { a: 1, b: 2, c: 3 }, [{ a: 2, b: 3, c: 4 }]],
  ['add', ['a', 'b', 'c'], ['abc']],
  ['add', [1, 2, 3], [6]],
  ['add', [], [null]],
  ['any', [true, false], [true]],
  ['all', [true, false], [false]],
  ['flatten', [1, [2], [[3]]], [[1, 2, 3]]],
  ['flatten(1)', [1, [2], [[3]]], [[1, 2, [3]]]],
  ['[range(2;4)]', null, [[2, 3]]],
  ['[range(4)]', null, [[0, 1, 2, 3]]],
  ['floor', 3.14159, [3]],
  ['sqrt', 9, [3]],
  ['.[] | tonumber', [1, '1'], [1, 1]],
  ['.[] | tostring', [1, '1', [1]], ['1', '1', '[1]']],
  ['map(type)', [0, false, [], {}, null, 'hello'], [['number', 'boolean', 'array', 'object', 'null', 'string']]],
  ['sort', [8, 3, null, 6], [[null, 3, 6, 8]]],
  ['sort_by(.foo)', [{ foo: 4, bar: 10 }, { foo: 3, bar: 100 }, { foo: 2, bar: 1 }], [[{ foo: 2, bar: 1 }, { foo: 3, bar: 100 }, { foo: 4, bar: 10 }]]],
  ['group_by(.foo)', [{ foo: 1, bar: 10 }, { foo: 3, bar: 100 }, { foo: 1, bar: 1 }], [[[{ foo: 1, bar: 10 }, { foo: 1, bar: 1 }], [{ foo: 3, bar: 100 }]]]],
  ['min', [5, 4, 2, 7], [2]],
  ['max_by(.foo)', [{ foo: 1, bar: 14 }, { foo: 2, bar: 3 }], [{ foo: 2, bar: 3 }]],
  ['min', [], [null]],
  ['unique', [1, 2, 5, 3, 5, 3, 1, 3], [[1, 2, 3, 5]]],
  ['unique_by(.foo)', [{ foo: 1, bar: 2 }, { foo: 1, bar: 3 }, { foo: 4, bar: 5 }], [[{ foo: 1, bar: 2 }, { foo: 4, bar: 5 }]]],
  ['unique_by(length)', ['chunky', 'bacon', 'kitten', 'cicada', 'asparagus'], [['bacon', 'chunky', 'asparagus']]],
  ['reverse', [1, 2, 3, 4], [[4, 3, 2, 1]]],
  ['contains("bar")', 'foobar', [true]],
  ['contains(["baz", "bar"])', ['foobar', 'foobaz', 'blarp'], [true]],
  ['contains({foo: 12, bar: [{barp: 12}]})', { foo: 12, bar: [1, 2, { barp: 12, blip: 13 }] }, [true]],
  ['inside("foobar")', 'bar', [true]],
  ['[.[]|startswith("foo")]', ['fo', 'foo', 'barfoo', 'foobar', 'barfoob'], [[false, true, false, true, false]]],
  ['[.[]|endswith("foo")]', ['foobar', 'barfoo'], [[false, true]]],
  ['[.[]|ltrimstr("foo")]', ['fo', 'foo', 'barfoo', 'foobar', 'afoo'], [['fo', '', 'barfoo', 'bar', 'afoo']]],
  ['[.[]|rtrimstr("foo")]', ['fo', 'foo', 'barfoo', 'foobar', 'foob'], [['fo', '', 'bar', 'foobar', 'foob']]],
  ['explode', 'foobar', [[102, 111, 111, 98, 97, 114]]],
  ['implode', [65, 66, 67], ['ABC']],
  ['split(", ")', 'a, b,c,d, e, ', [['a', 'b,c,d', 'e', '']]],
  ['join(", ")', ['a', 'b,c,d', 'e'], ['a, b,c,d, e']],
  ['join(" ")', ['a', 1, 2.3, true, null, false], ['a 1 2.3 true  false']],
  ['ascii_downcase', 'useful but not for é', ['useful but not for é']],
  ['ascii_upcase', 'useful but not for é', ['USEFUL BUT NOT FOR é']],
  ['[while(.<100; .*2)]', 1, [[1, 2, 4, 8, 16, 32, 64]]],
  ['[.[]|until(.>=100; .*2)]', [1], [[128]]],
  ['recurse(if . < 3 then .+1 else empty end)', 0, [0, 1, 2, 3]],
  ['recurse(.foo[])', { foo: [{ foo: [] }, { foo: [{ foo: [] }] }] }, [{ foo: [{ foo: [] }, { foo: [{ foo: [] }] }] }, { foo: [] }, { foo: [{ foo: [] }] }, { foo: [] }]],
  ['to_entries', { a: 1, b: 2 }, [[{ key: 'a', value: 1 }, { key: 'b', value: 2 }]]],
  ['from_entries', [{ key: 'a', value: 1 }, { key: 'b', value: 2 }], [{ a: 1, b: 2 }]],
  ['from_entries', [{ name: 'a', v: 1 }, { k: 'b', value: null }], [{ a: 1, b: null }]],
  ['with_entries({key: ("KEY_" + .key), value: (.value + 1)})', { a: 1, b: 2 }, [{ KEY_a: 2, KEY_b: 3 }]],
  ['map(select(. >= 2))', [1, 5, 3, 0, 7], [[5, 3, 7]]],
  ['.[] | select(.id == "second")', [{ id: 'first', val: 1 }, { id: 'second', val: 2 }], [{ id: 'second', val: 2 }]],
  ['.[]|numbers', [[], {}, 1, 'foo', null, true, false], [1]],
  ['1, empty, 2', null, [1, 2]],
  ['[1,2,empty,3]', null, [[1, 2, 3]]],
  ['try error("some exception") catch .', true, ['some exception']],
  ['try error({"a": 1}) catch .a', null, [1]],
  ['.[] == 1', [1, 1.0, '1', 'banana'], [true, true, false, false]],
  ['. == {"b": {"d": (4 + 1e-20), "c": 3}, "a":1}', { a: 1, b: { c: 3, d: 4 } }, [true]],
  ['.[] | (. < 5)', [2, 7], [true, false]],
  ['if . == 0 then "zero" elif . == 1 then "one" else "many" end', 2, ['many']],
  ['if . then "t" end', false, [false]],
  ['42 and "a string"', null, [true]],
  ['(true, false) or false', null, [true, false]],
  ['(true, true) and (true, false)', null, [true, false, true, false]],
  ['[true, false | not]', null, [[false, true]]],
  ['.a // 42', {}, [42]],
  ['.a // 42', { a: 19 }, [19]],
  ['(false, null, 1) // 42', null, [1]],
  ['(false, null, 1) | . // 42', null, [42, 42, 1]],
  ['[.[]|(.a,.b)?]', [{ a: 1, b: 2 }, 'x', { a: 3 }], [[1, 2, 3, null]]],
  ['[.[]|tostring?]', [1, 'a'], [['1', 'a']]],
  ['"The input was \\(.), which is one less than \\(.+1)"', 42, ['The input was 42, which is one less than 43']],
  ['[.[]|tojson]', [1, 'foo', ['foo']], [['1', '"foo"', '["foo"]']]],
  ['[.[]|tojson|fromjson]', [1, 'foo', ['foo']], [[1, 'foo', ['foo']]]],
  ['@text, @json', [1, 'a'], ['[1,"a"]', '[1,"a"]']],
  ['@html', '<b>x & "y"\'s</b>', ['&lt;b&gt;x &amp; &quot;y&quot;&#39;s&lt;/b&gt;']],
  ['@uri "https://www.google.com/search?q=\\(.search)"', { search: 'what is jq?' }, ['https://www.google.com/search?q=what%20is%20jq%3F']],
  ['@csv', [1, 'one', 'a"b', null], ['1,"one","a""b",']],
  ['@tsv', [1, 'a\tb', 'c'], ['1\ta\\tb\tc']],
  ['@sh "echo \\(.)"', "O'Hara's Ale", ["echo 'O'\\''Hara'\\''s Ale'"]],
  ['@base64', 'This is a message', ['VGhpcyBpcyBhIG1lc3NhZ2U=']],
  ['@base64d', 'VGhpcyBpcyBhIG1lc3NhZ2U=', ['This is a message']],
  ['test("foo")', 'foo', [true]],
  ['.[] | test("a b c # spaces are ignored"; "ix")', ['xabcd', 'ABC'], [true, true]],
  ['.bar as $x | .foo | . + $x', { foo: 10, bar: 200 }, [210]],
  ['. as $i|[(.*2|. as $i| $i), $i]', 5, [[10, 5]]],
  ['[.[] as $x | $x * 2]', [1, 2], [[2, 4]]],
  ['def addvalue(f): . + [f]; map(addvalue(.[0]))', [[1, 2], [10, 20]], [[[1, 2, 1], [10, 20, 10]]]],
  ['def addvalue(f): f as $x | map(. + $x); addvalue(.[0])', [[1, 2], [10, 20]], [[[1, 2, 1, 2], [10, 20, 1, 2]]]],
  ['def f($a; $b): $a + $b; f(.x; 1)', { x: 2 }, [3]],
  ['reduce .[] as $item (0; . + $item)', [10, 2, 5, 3], [20]],
  ['[foreach .[] as $item (0; . + $item; [$item, . * 2])]', [1, 2, 3], [[[1, 2], [2, 6], [3, 12]]]],
  ['[limit(3;.[])]', [0, 1, 2, 3, 4, 5], [[0, 1, 2]]],
  ['[first(range(.)), last(range(.)), nth(./2; range(.))]', 10, [[0, 9, 5]]],
  ['[range(.)]|[first, last, nth(5)]', 10, [[0, 9, 5]]],
  ['[.[]|ascii]', [65, 97], [['A', 'a']]],
  ['"x" * 0, "ab" * 2', null, [null, 'abab']],
  ['[10 % 3, -10 % 3, 5.9 % 2]', null, [[1, -1, 1]]],
  ['walk(if type == "array" then sort else . end)', [[4, 1, 7], [8, 5, 2], [3, 6, 9]], [[[1, 4, 7], [2, 5, 8], [3, 6, 9]]]],
  ['[.[] | isempty(empty), isempty(1)]', [0], [[true, false]]],
  ['with_entries(.value += 1)', { a: 1, b: 2 }, [{ a: 2, b: 3 }]],
  ['.foo += 1', { foo: 42 }, [{ foo: 43 }]],
  ['(..|select(type=="boolean")) |= if . then 1 else 0 end', [true, false, [5, true, [true, [false]]], false], [[1, 0, [5, 1, [1, [0]]], 0]]],
  ['.a = .b', { a: { b: 10 }, b: 20 }, [{ a: 20, b: 20 }]],
  ['.a |= .b', { a: { b: 10 }, b: 20 }, [{ a: 10, b: 20 }]],
  ['(.a, .b) = range(3)', null, [{ a: 0, b: 0 }, { a: 1, b: 1 }, { a: 2, b: 2 }]],
  ['(.a, .b) |= range(3)', null, [{ a: 0, b: 0 }]],
  ['.a //= 3', { a: null }, [{ a: 3 }]],
  ['.a[1:3] |= map(.*10)', { a: [1, 2, 3, 4] }, [{ a: [1, 20, 30, 4] }]],
  ['path(.a[0].b)', null, [['a', 0, 'b']]],
  ['[path(..)]', { a: [{ b: 1 }] }, [[[], ['a'], ['a', 0], ['a', 0, 'b']]]],
  ['[paths]', [1, [[], { a: 2 }]], [[[0], [1], [1, 0], [1, 1], [1, 1, 'a']]]],
  ['[paths(type == "number")]', [1, [[], { a: 2 }]], [[[0], [1, 1, 'a']]]],
  ['del(.foo)', { foo: 42, bar: 9001, baz: 42 }, [{ bar: 9001, baz: 42 }]],
  ['del(.[1, 2])', ['foo', 'bar', 'baz'], [['foo']]],
  ['getpath(["a","b"])', null, [null]],
  ['[getpath(["a","b"], ["a","c"])]', { a: { b: 0, b2: 1 } }, [[0, null]]],
  ['setpath(["a","b"]; 1)', null, [{ a: { b: 1 } }]],
  ['setpath([0,"a"]; 1)', null, [[{ a: 1 }]]],
  ['delpaths([["a","b"]])', { a: { b: 1 }, x: { y: 2 } }, [{ a: {}, x: { y: 2 } }]],
  ['[leaf_paths]', { a: [1] }, [[['a', 0]]]],
  ['.a?//"x"', 1, ['x']],
  ['match("(abc)+"; "g")', 'abc abc', [
    { offset: 0, length: 3, string: 'abc', captures: [{ offset: 0, length: 3, string: 'abc', name: null }] },
    { offset: 4, length: 3, string: 'abc', captures: [{ offset: 4, length: 3, string: 'abc', name: null }] }]],
  ['match("foo")', 'foo bar foo', [{ offset: 0, length: 3, string: 'foo', captures: [] }]],
  ['[match("foo (?<bar123>bar)? foo"; "ig")]', 'foo bar foo foo  foo', [[
    { offset: 0, length: 11, string: 'foo bar foo', captures: [{ offset: 4, length: 3, string: 'bar', name: 'bar123' }] },
    { offset: 12, length: 8, string: 'foo  foo', captures: [{ offset: -1, length: 0, string: null, name: 'bar123' }] }]]],
  ['[match("a"; "g").offset]', 'éaéa', [[1, 3]]],
  ['capture("(?<a>[a-z]+)-(?<n>[0-9]+)")', 'xyzzy-14', [{ a: 'xyzzy', n: '14' }]],
  ['[scan("c")]', 'abcdefabc', [['c', 'c']]],
  ['sub("(?<x>[a-z]+)"; "<\\(.x)>"), gsub("(?<x>[a-z]+)"; "<\\(.x)>")', 'ab12cd', ['<ab>12cd', '<ab>12<cd>']],
  ['split(", *"; null), [splits(", *")]', 'ab,cd, ef', [['ab', 'cd', 'ef'], ['ab', 'cd', 'ef']]],
  ['[limit(0; 1, 2)], [limit(-1; 1, 2)]', null, [[], [1, 2]]],
]

// [query, input, jq 1.6's error message]
const errors: Array<[string, Json, string]> = [
  ['.[]', null, 'Cannot iterate over null'],
  ['.[]', 5, 'Cannot iterate over number (5)'],
  ['.a', 5, 'Cannot index number with "a"'],
  ['.[0]', { a: 1 }, 'Cannot index object with number'],
  ['{} + 1', null, 'object ({}) and number (1) cannot be added'],
  ['"a" - "b"', null, 'string ("a") and string ("b") cannot be subtracted'],
  ['1 / 0', null, 'number (1) and number (0) cannot be divided because the divisor is zero'],
  ['[] * 2', null, 'array ([]) and number (2) cannot be multiplied'],
  ['.a + 1', { a: 'a long string value' }, 'string ("a long str...) and number (1) cannot be added'],
  ['error("custom")', null, 'custom'],
  ['error({a: 1})', null, '{"a":1} (not a string)'],
  ['true | length', null, 'boolean (true) has no length'],
  ['1 | keys', null, 'number (1) has no keys'],
  ['{a: 1} | has(0)', null, 'Cannot check whether object has a number key'],
  ['1 | startswith("a")', null, 'startswith() requires string inputs'],
  ['"a" | sort', null, 'string ("a") cannot be sorted, as it is not an array'],
  ['{(1): 2}', null, 'Object keys must be strings'],
  ['-"a"', null, 'string ("a") cannot be negated'],
  ['path(1)', null, 'Invalid path expression with result 1'],
  ['.a = 1', [], 'Cannot index array with "a"'],
  ['implode', 'a', 'Implode input must be an array'],
]

describe('jq', () => {
  const doc: Json = { customer_id: 'c1', device: { type: 'phone', id: 7 }, tags: ['a', 'b'], 'odd key': 1, n: '42', zero: 0 }

  it('indexes fields, nested fields, quoted fields and arrays', () => {
    assert.equal(run('.customer_id', doc), 'c1')
    assert.equal(run('.device.type', doc), 'phone')
    assert.equal(run('.device | .id', doc), 7)
    assert.equal(run('."odd key"', doc), 1)
    assert.equal(run('.["odd key"]', doc), 1)
    assert.equal(run('.tags[1]', doc), 'b')
    assert.equal(run('.tags.[0]', doc), 'a')
    assert.equal(run('.tags[-1]', doc), 'b')
    assert.equal(run('.tags[5]', doc), null)
    assert.equal(run('.missing.deeper', doc), null)
    assert.deepEqual(run('.', doc), doc)
  })

  it('builds objects (AWS\'s documented query shapes) with pipes, shorthand and computed keys', () => {
    assert.deepEqual(run('{customer_id:.customer_id, device:.device.type}', doc), { customer_id: 'c1', device: 'phone' })
    assert.deepEqual(run('{customer_id, "id": .device.id | tostring}', doc), { customer_id: 'c1', id: '7' })
    assert.deepEqual(run('{(.device.type): .n | tonumber}', doc), { phone: 42 })
    assert.deepEqual(run('{k: "\\(.device.type)-\\(.device.id)"}', doc), { k: 'phone-7' })
  })

  it('converts with tostring and tonumber, and falls back with //', () => {
    assert.equal(run('.device.id | tostring', doc), '7')
    assert.equal(run('.device | tostring', doc), '{"type":"phone","id":7}')
    assert.equal(run('.n | tonumber', doc), 42)
    assert.equal(run('.missing // "none"', doc), 'none')
    assert.equal(run('.zero // "none"', doc), 0)
    assert.equal(run('.customer_id | ascii_upcase', doc), 'C1')
    assert.equal(run('.customer_id + "-" + (.device.id | tostring)', doc), 'c1-7')
    assert.equal(run('.tags | length', doc), 2)
  })

  it("fails as jq 1.6 does on bad indexing and conversions (and '?' suppresses)", () => {
    assert.throws(() => run('.customer_id.x', doc), new JqError('Cannot index string with "x"'))
    assert.throws(() => run('.tags.x', doc), new JqError('Cannot index array with "x"'))
    assert.throws(() => run('.device[0]', doc), new JqError('Cannot index object with number'))
    assert.throws(() => run('.customer_id | tonumber', doc), new JqError("Cannot parse 'c1' as JSON"))
    assert.deepEqual(compileJqAll('.customer_id.x?')(doc), []) // jq: an error under '?' is no output
  })

  it("answers jq 1.6's manual examples", () => {
    for (const [query, input, expected] of manual) assert.deepEqual(compileJqAll(query)(input), expected, query)
  })

  it("fails with jq 1.6's error messages", () => {
    for (const [query, input, message] of errors) assert.throws(() => compileJqAll(query)(input), (e) => e instanceof JqError && e.message === message, query)
  })

  it('gives Firehose exactly one output, else fails the record', () => {
    assert.deepEqual(run('{k: .tags[0]}', doc), { k: 'a' })
    assert.throws(() => run('{k: .tags[]}', doc), new JqError('the query produced 2 outputs; exactly one is needed'))
    assert.throws(() => run('empty', doc), new JqError('the query produced 0 outputs; exactly one is needed'))
    assert.deepEqual(run('first({k: .tags[]})', doc), { k: 'a' })
  })

  it('refuses malformed and unsupported queries with a clear message', () => {
    assert.throws(() => compileJq('{a: .b'), /syntax error: expected '}' at end of query/)
    assert.throws(() => compileJq('.a | '), /unexpected end of query/)
    assert.throws(() => compileJq('. as [$a] | $b'), /\$b is not defined/)
    assert.throws(() => compileJq('break $out'), /\$\*label-out is not defined/)
    assert.throws(() => compileJq('import "a" as a; .'), /'import' is not supported/)
    assert.throws(() => compileJq('.a = 1 = 2'), /unexpected token before '='/)
    assert.throws(() => compileJq('$x'), /\$x is not defined/)
    assert.throws(() => compileJq('def f(g): g; f'), /f\/0 is not defined/)
    assert.throws(() => compileJq('1 < 2 < 3'), /not associative/)
    assert.throws(() => compileJq('if . then 1'), /expected 'end' at end of query/)
    assert.throws(() => compileJq('.a | strftime'), /strftime\/0 is not defined/)
    assert.throws(() => compileJq('"open'), /unterminated string/)
    assert.throws(() => compileJq('.a & .b'), /unexpected '&'/)
  })
})

describe("a query's step budget", () => {
  const steps = (query: string, maxSteps: number) => () => compileJq(query)(null, { maxSteps })
  it('ends a run that loops or builds a huge string, past `try` and `?`', () => {
    for (const query of ['last(range(1e12))', 'reduce range(1e12) as $x (0; . + 1)', 'try last(range(1e12)) catch "caught"',
      '[range(5) | "ab" * 1e9] | length', '("x" * 1e6) | length']) {
      assert.throws(steps(query, 10_000), (e: Error) => e.constructor.name === 'StepsExceeded' && e.message === 'the query took more than 10,000 steps', query)
    }
  })
  it('charges the values a query copies or builds, so doubling them or copying them per step ends too', () => {
    // Each of these took a few hundred steps and ran for minutes or grew past gigabytes before.
    for (const query of ['reduce range(40) as $i ([1]; . + .) | length', 'reduce range(40) as $i ([1]; [.[], .[]]) | length',
      'reduce range(40) as $i ("x"; "\\(.)\\(.)") | length', 'reduce range(40) as $i ("x"; [., .] | tostring) | length',
      'reduce range(40) as $i ("x"; gsub(""; "y")) | length', 'reduce range(100000) as $i ([]; .[$i] = $i) | length',
      'reduce range(100000) as $i ({}; . + {"k\\($i)": 1}) | length', '[range(5000)] as $a | [range(5000)] | . - $a | length',
      '("a" * 200000) | indices(("a" * 100000) + "b")', '[range(200000) | 0] | indices([range(100000) | 0] + [1])',
      '[range(100000)] | contains([range(100000)] | reverse)']) {
      assert.throws(steps(query, 100_000), (e: Error) => e.constructor.name === 'StepsExceeded', query)
    }
    assert.equal(compileJq('reduce range(10) as $i ([1]; . + .) | length')(null, { maxSteps: 1_000 }), 1024)
    // Strings join as ropes: building one from many parts costs the parts, not every prefix again.
    for (const query of ['[range(100000) | tostring] | join(",") | length', '[range(100000) | tostring] | add | length',
      'reduce range(100000) as $i (""; "\\(.)\\($i),") | length', 'reduce range(100000) as $i (""; . + "\\($i),") | length']) {
      assert.ok((compileJq(query)(null, { maxSteps: 1_000_000 }) as number) > 488_000, query)
    }
    assert.deepEqual(compileJq('[range(100)] | .[5] = "x" | del(.[0]) | .[4]')(null, { maxSteps: 1_000 }), 'x')
  })
  it('lets what fits run to its answer, each run with the whole budget', () => {
    const q = compileJq('[range(900)] | length')
    assert.equal(q(null, { maxSteps: 1_000 }), 900)
    assert.equal(q(null, { maxSteps: 1_000 }), 900)
    assert.equal(compileJq('"ab" * 1000 | length')(null, { maxSteps: 1_000 }), 2000)
  })
  it('updates the places of one assignment in its own copy, not a copy per place', () => {
    assert.equal(compileJq('[range(100000)] | map_values(. + 1) | .[99999]')(null, { maxSteps: 1_000_000 }), 100_000)
    assert.deepEqual(compileJq('{"a":1} as $o | $o | (.b, .c) = 2 | .[] |= . * 10 | [., $o]')(null, { maxSteps: 1_000 }), [{ a: 10, b: 20, c: 20 }, { a: 1 }])
    assert.deepEqual(compileJq('[1,2,3] as $x | $x | (.[2], .[0]) |= . + 1 | [., $x]')(null, { maxSteps: 1_000 }), [[2, 2, 4], [1, 2, 3]])
  })
  it("counts a match's codepoint offset without walking the text before it each time", () => {
    const q = compileJq('[match("x"; "g") | .offset] | [length, .[-1]]')
    assert.deepEqual(q('x'.repeat(100_000), { maxSteps: 1_000_000 }), [100_000, 99_999])
    assert.deepEqual(q(`😀${'x'.repeat(1000)}`, { maxSteps: 1_000_000 }), [1000, 1000])
  })
})

describe("a query's regex bound is the whole run's", () => {
  const saved = regexBudget()
  before(() => setRegexBudget(200))
  after(() => setRegexBudget(saved))
  it('many matches each under the bound end the run once they add up to it', { timeout: 120_000 }, () => {
    // Match times double with each n, so for some n one match takes 100–200 ms: 100 of them, bounded
    // per match only, held Nimbus's thread 10 s or more; bounded per run, the run ends near 200 ms.
    const query = 'last(range(10; 40) as $n | range(100) | ("a" * $n + "!") | test("(a+)+b"))'
    const started = performance.now()
    assert.throws(() => compileJq(query)(null, { maxSteps: 1e9 }),
      (e: Error) => e.constructor.name === 'RegexTimeout' && e.message === 'the regular expression ran longer than 200 ms')
    assert.ok(performance.now() - started < 5_000, `took ${Math.round(performance.now() - started)} ms`)
    // The next run has the whole bound again.
    assert.equal(compileJq('"aab" | test("(a+)+b")')(null), true)
  })
})
