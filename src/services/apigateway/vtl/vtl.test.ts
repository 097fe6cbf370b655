// The VTL engine against AWS's documented mapping-template outputs (developer guide: "Variables for
// data transformations", `$util` reference, the `$input` examples) and Velocity 1.7's/Java's rules.
import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { setRegexBudget } from '../../../core/bounded-regex.ts'
import { inputVariable, plainMap, renderVtl, utilVariable, type Value, VtlError } from './index.ts'

const pets = '{"pets":[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]}'

function run(template: string, body = pets, extra: Record<string, Value> = {}): string {
  const vars = new Map<string, Value>([
    ['input', inputVariable(body, { path: { id: 'abc' }, querystring: { name: 'Fido', q: 'a b' }, header: { 'User-Agent': 'curl/8', Accept: '*/*' } })],
    ['util', utilVariable],
    ['context', plainMap({ stage: 'prod', requestId: 'req-1', identity: { sourceIp: '192.0.2.1' }, responseOverride: { header: {} } })],
    ['stageVariables', plainMap({ name: 'blue', 'my-var': 'x' })],
    ...Object.entries(extra),
  ])
  return renderVtl(template, vars)
}

// [template, body (pets by default), expected output]
const table: [string, string | undefined, string][] = [
  // $input, as the developer guide's examples show it.
  [`$input.json('$.pets[0]')`, undefined, '{"id":1,"type":"dog","price":249.99}'],
  [`$input.path('$.pets').size()`, undefined, '3'],
  [`$input.path('$.pets[1].type')`, undefined, 'cat'],
  [`$input.json('$.pets[1].type')`, undefined, '"cat"'],
  [`$input.json('$.pets[*].id')`, undefined, '[1,2,3]'],
  [`$input.json('$..type')`, undefined, '["dog","cat","fish"]'],
  [`$input.json('$.pets[?(@.price < 100)].type')`, undefined, '["fish"]'],
  [`$input.json('$.pets[-1:]')`, undefined, '[{"id":3,"type":"fish","price":0.99}]'],
  [`$input.path('$.pets.length()')`, undefined, '3'],
  [`{"name" : "$input.params('name')", "body" : $input.json('$.pets[2]')}`, undefined, '{"name" : "Fido", "body" : {"id":3,"type":"fish","price":0.99}}'],
  [`$input.params('id')/$input.params('q')/$input.params('user-agent')/[$input.params('none')]`, undefined, 'abc/a b/curl/8/[]'],
  [`$input.body`, '{"a": 1}', '{"a": 1}'],
  [`$input.json('$')`, '', '{}'],
  [`$input.path('$')`, 'a=1&b=2', 'a=1&b=2'],
  [`$input.path('$.nothing')|$!input.path('$.nothing')`, undefined, `$input.path('$.nothing')|`],
  [`#set($o = $input.path('$'))$o.pets[0].price`, undefined, '249.99'],
  // A JSON object is a Java map when written out, and `1.0` stays a double.
  [`$input.path('$.m')`, '{"m":{"a":1,"b":[1,2.0,"x"]}}', '{a=1, b=[1, 2.0, x]}'],
  // $util (AWS: only these six functions).
  [`$util.escapeJavaScript("it's")`, undefined, "it\\'s"],
  [`$util.escapeJavaScript("it's").replaceAll("\\\\'","'")`, undefined, "it's"],
  [`$util.escapeJavaScript('"a/b"\\\ttab é')`, undefined, '\\"a\\/b\\"\\\\\\ttab \\u00E9'],
  [`$util.escapeJavaScript($input.json('$.s'))`, '{"s":"line1\\nline2"}', '\\"line1\\\\nline2\\"'],
  [`$util.urlEncode("a b&c=d/é*~")`, undefined, 'a+b%26c%3Dd%2F%C3%A9*%7E'],
  [`$util.urlDecode("a+b%26c%3Dd%2F%C3%A9")`, undefined, 'a b&c=d/é'],
  [`$util.base64Encode("hello world")`, undefined, 'aGVsbG8gd29ybGQ='],
  [`$util.base64Decode("aGVsbG8gd29ybGQ=")`, undefined, 'hello world'],
  [`$util.toJson($input.path('$'))`, '{}', `$util.toJson($input.path('$'))`],
  // The developer guide's parseJson example.
  ['#set ($errorMessageObj = $util.parseJson($input.path(\'$.errorMessage\')))\n{\n   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]\n}',
    '{"errorMessage":"{\\"key1\\":\\"var1\\",\\"key2\\":{\\"arr\\":[1,2,3]}}"}', '{\n   "errorMessageObjKey2ArrVal" : 1\n}'],
  // $context and $stageVariables, in the syntaxes the guide lists.
  [`"$context.stage" "$context.requestId" "$context.identity.sourceIp"`, undefined, '"prod" "req-1" "192.0.2.1"'],
  [`$stageVariables.name $stageVariables['my-var'] \${stageVariables['name']}`, undefined, 'blue x blue'],
  // References: quiet, undefined, braces, escapes.
  [`[$nope][$!nope][\${nope}][$!{nope}][$!{stageVariables.name}]`, undefined, '[$nope][][${nope}][][blue]'],
  [`#set($a = "x")\\$a \\$b $5.00 #notADirective a#b`, undefined, '$a \\$b $5.00 #notADirective a#b'],
  [`#set($a = "A")\${a}bc $a.bc`, undefined, 'Abc $a.bc'],
  [`#set($x = 1)#set($x = $nope)$x`, undefined, '1'],
  [`## comment\n#* block *#x#[[ $raw #if ]]#`, undefined, 'x $raw #if '],
  // Directives and the whitespace of lines holding only directives.
  ['#set($list = [1, 2, 3])\n[\n  #foreach($i in $list)\n  $i#if($foreach.hasNext),#end\n  #end\n]', undefined, '[\n  1,\n  2,\n  3\n]'],
  [`#foreach($i in [1..5])#if($i == 3)#break#end$i#end`, undefined, '12'],
  [`a#stop b`, undefined, 'a'],
  [`#foreach($i in [3..1])$foreach.index:$foreach.count:$velocityCount #end`, undefined, '0:1:1 1:2:2 2:3:3 '],
  [`#foreach($k in $input.path('$.m').keySet())$k=$input.path('$.m').get($k);#end`, '{"m":{"b":2,"a":1}}', 'b=2;a=1;'],
  [`#foreach($e in $input.path('$.m').entrySet())$e.key=$e.value $e.key-x #end`, '{"m":{"b":2,"a":1}}', 'b=2 $e.key-x a=1 $e.key-x '],
  [`#if($nope)a#elseif("" && 0)b#else c#end`, undefined, 'b'],
  [`#if(!$nope and 1 < 2 && (2 >= 2 || false))y#{else}n#{end}`, undefined, 'y'],
  [`#if("1" == 1 && 2 == 2.0 && "a" != "b" && [1,2] == [1,2])eq#end`, undefined, 'eq'],
  // Arithmetic as Velocity does it.
  [`#set($q = 7 / 2)#set($d = 7.0 / 2)#set($m = 7 % 3)#set($z = 1 / 0)$q $d $m $!z \${q}0 #set($s = "a" + 1)$s`, undefined, '3 3.5 1  30 a1'],
  // Java's String methods.
  [`#set($s = "Hello, World")$s.length() $s.substring(7) $s.substring(0, 5) $s.indexOf("o") $s.lastIndexOf("o") $s.indexOf("zz")`, undefined, '12 World Hello 4 8 -1'],
  [`#set($s = " Hello ")[$s.trim()] $s.contains("ell") $s.toUpperCase() $s.toLowerCase() $s.isEmpty() $s.empty`, undefined, '[Hello] true  HELLO   hello  false false'],
  [`#set($s = "a1b22c")$s.replaceAll("(\\d+)", "<$1>") $s.replaceFirst("\\d", "#") $s.replace("b", "B") $s.matches("[a-c0-9]+") $s.matches("a")`, undefined, 'a<1>b<22>c a#b22c a1B22c true false'],
  [`#set($s = "ABC")$s.matches("(?i)abc") $s.matches("(?i)ab") $s.replaceAll("(?i)b", "x")`, undefined, 'true false AxC'],
  [`#set($p = "x-y")$p.split("-")[1] $p.equals("x-y") $p.equalsIgnoreCase("X-Y") $p.startsWith("x") $p.endsWith("z") $p.charAt(1)`, undefined, 'y true true true false -'],
  [`#set($csv = "a,b,,c,,")#set($parts = $csv.split(","))$parts $parts.size() $parts.get(3) $parts.contains("c") $parts.isEmpty()`, undefined, '[a, b, , c] 4 c true false'],
  // Lists and maps.
  [`#set($l = [])#set($_ = $l.add("x"))$l.add("y") $l $l.size() $l[1] $l.indexOf("y") $l.remove(0) $l`, undefined, 'true [x, y] 2 y 1 x [y]'],
  [`#set($m = {"a": 1})#set($m.b = 2)$m.put("c", 3) $m $m.keySet() $m.values() $m.containsKey("a") $m.size() $m.get("b") $m["c"] $m.isEmpty()`, undefined, '$m.put("c", 3) {a=1, b=2, c=3} [a, b, c] [1, 2, 3] true 3 2 3 false'],
  [`#set($context.responseOverride.status = 400)#set($context.responseOverride.header.X-Id = "7")$context.responseOverride`, undefined, '{header={X-Id=7}, status=400}'],
]

describe('VTL mapping templates', () => {
  for (const [template, body, expected] of table) {
    it(JSON.stringify(template).slice(0, 100), () => assert.equal(run(template, body ?? pets), expected))
  }

  it('renders the developer guide’s all-parameters template as JSON', () => {
    const template = '#set($allParams = $input.params())\n{\n  "params" : {\n    #foreach($type in $allParams.keySet())\n' +
      '    #set($params = $allParams.get($type))\n    "$type" : {\n      #foreach($paramName in $params.keySet())\n' +
      '      "$paramName" : "$util.escapeJavaScript($params.get($paramName))"\n      #if($foreach.hasNext),#end\n      #end\n' +
      '    }\n    #if($foreach.hasNext),#end\n    #end\n  }\n}'
    assert.deepEqual(JSON.parse(run(template)), {
      params: { path: { id: 'abc' }, querystring: { name: 'Fido', q: 'a b' }, header: { 'User-Agent': 'curl/8', Accept: '*\\/*'.replace('\\', '') } },
    })
  })

  it('stops a #foreach after 1,000 iterations (AWS quota)', () => {
    assert.equal(run('#set($n = 0)#foreach($i in [1..5000])#set($n = $n + 1)#end$n'), '1000')
  })

  const failures: [string, string][] = [
    ['unterminated #if', '#if(true) x'],
    ['a stray #end', 'x #end'],
    ['#else without #if', '#else'],
    ['a broken #set', '#set($a = )'],
    ['#set without parenthesis', '#set $a = 1'],
    ['an unterminated string', `#set($a = "abc)`],
    ['an unterminated comment', '#* never closed'],
    ['#macro', '#macro(m)x#end'],
    ['substring out of range', `#set($s = "abc")$s.substring(10)`],
    ['list index out of range', '#set($l = [1])$l.get(5)'],
    ['invalid JSON for parseJson', `$util.parseJson("{nope")`],
    ['a broken url escape', `$util.urlDecode("%zz")`],
    ['an invalid regex', `#set($s = "a")$s.replaceAll("(", "")`],
    ['an invalid JSONPath', `$input.path('$.[[')`],
    ['nesting past the limit', `${'#if(true)'.repeat(100)}x${'#end'.repeat(100)}`],
    ['deeply nested expressions', `#set($a = ${'('.repeat(200)}1${')'.repeat(200)})`],
    ['a runaway nested loop', '#foreach($a in [1..1000])#foreach($b in [1..1000])#foreach($c in [1..1000])#end#end#end'],
    ['a catastrophically backtracking regex', `#set($s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")$s.matches("(a+)+b")`],
    ['a backtracking replaceAll', `#set($s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")$s.replaceAll("(a|a)*\\1b", "")`],
    ['a backtracking split', `#set($s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")$s.split("(a+)+b")`],
    ['a string doubling past the output cap', '#set($s = "xxxxxxxxxxxxxxxx")#foreach($i in [1..40])#set($s = "$s$s")#end'],
  ]
  before(() => setRegexBudget(50)) // regexes past the bound fail fast here
  for (const [what, template] of failures) {
    it(`fails with VtlError on ${what}`, () => assert.throws(() => run(template), VtlError))
  }
})
