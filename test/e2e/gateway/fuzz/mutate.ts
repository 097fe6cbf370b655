// Deterministic mutations of a seed request (seeded PRNG): members dropped, duplicated, retyped,
// huge, negative, NaN, deep, long; bodies truncated or not UTF-8; odd paths, queries and headers.
import type { Seed } from './seeds.ts'

export interface Mutated {
  method: string
  path: string
  headers: Record<string, string>
  body: Buffer
  /** The mutation changed what protocol the request speaks: any AWS-shaped error will do. */
  protocolChanged: boolean
  what: string
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Rand = () => number
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!

/** JSON text spliced in as is: nesting too deep for this process's own JSON.stringify. */
class Raw {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

const deep = (n: number, leaf: string): Raw => {
  let open = ''
  let close = ''
  for (let i = 0; i < n; i++) {
    open += i % 2 === 0 ? '[' : '{"a":'
    close = (i % 2 === 0 ? ']' : '}') + close
  }
  return new Raw(open + leaf + close)
}

/** Serialises a mutated document, splicing Raw values in after JSON.stringify. */
function toJson(doc: unknown): string {
  const raws: string[] = []
  const text = JSON.stringify(doc, (_key, value: unknown) => {
    if (!(value instanceof Raw)) return value
    raws.push(value.text)
    return `@@RAW${raws.length - 1}@@`
  }) ?? ''
  return text.replace(/"@@RAW(\d+)@@"/g, (_, i: string) => raws[Number(i)]!)
}

/** Replacement values for a scalar or structure: wrong types, extremes, hostile strings. */
const oddValues: ((rand: Rand) => unknown)[] = [
  () => null, () => true, () => 0, () => -1, () => -(2 ** 63), () => 2 ** 64, () => 1e308, () => 1.5, () => 'NaN', () => 'Infinity',
  () => '', () => ' ', () => 'x'.repeat(70_000), () => '\u0000\u0001\ud800', () => '!!!not base64!!!', () => '99999999999999999999999',
  () => [], () => {}, () => ['a', 1, null], () => ({ a: { b: [1, 2] } }), (rand) => deep(1_000 + Math.floor(rand() * 3_000), '1'),
  () => '{"a":' .repeat(3_000) + '1' + '}'.repeat(3_000), () => '('.repeat(2_500) + ')'.repeat(2_500), () => '../../etc/passwd',
  () => 'arn:aws:sqs:us-east-1:000000000000:', () => '2026-13-45T99:99:99Z', () => '%ZZ%00',
]

/** Every path to a value inside a JSON document (bounded: seeds are small). */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length > 0) out.push(prefix)
  if (value instanceof Raw) return out
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out))
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out)
  return out
}

function mutateJson(rand: Rand, doc: Record<string, unknown>): { doc: unknown; what: string } {
  const copy = structuredClone(doc) as Record<string, unknown>
  const all = paths(copy)
  if (all.length === 0 || rand() < 0.08) return { doc: pick(rand, [[], 'str', 42, null, deep(5_000, '{}')]), what: 'root replaced' }
  const path = pick(rand, all)
  const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], copy) as Record<string | number, unknown>
  const key = path[path.length - 1]!
  const roll = rand()
  if (roll < 0.2) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1)
    else delete parent[key]
    return { doc: copy, what: `dropped ${path.join('.')}` }
  }
  if (roll < 0.3) {
    parent[key] = [parent[key], parent[key]]
    return { doc: copy, what: `duplicated ${path.join('.')}` }
  }
  if (roll < 0.35) {
    parent[`${String(key)}Extra`] = parent[key]
    return { doc: copy, what: `unknown member beside ${path.join('.')}` }
  }
  const index = Math.floor(rand() * oddValues.length)
  parent[key] = oddValues[index]!(rand)
  return { doc: copy, what: `${path.join('.')} = odd value #${index}` }
}

function mutateParams(rand: Rand, params: [string, string][]): { params: [string, string][]; what: string } {
  const copy = params.map(([k, v]) => [k, v] as [string, string])
  const i = 2 + Math.floor(rand() * Math.max(1, copy.length - 2)) // Action and Version stay (mostly)
  const roll = rand()
  if (roll < 0.05) return { params: copy.slice(1), what: 'no Action' }
  if (i >= copy.length) return { params: copy, what: 'unchanged' }
  const [key, value] = copy[i]!
  if (roll < 0.25) return { params: copy.filter((_, j) => j !== i), what: `dropped ${key}` }
  if (roll < 0.35) return { params: [...copy, [key, value]], what: `duplicated ${key}` }
  if (roll < 0.5) {
    const renamed = key.replace(/\.(\d+)(\.|$)/, (_, _n, end) => `.${pick(rand, ['0', '-1', '999999999999', 'x', ''])}${end}`)
    return { params: copy.map((p, j) => (j === i ? [renamed === key ? `${key}.${pick(rand, ['1', 'Value', '', '1.2.3'])}` : renamed, value] : p)),
      what: `renamed ${key}` }
  }
  if (roll < 0.55) return { params: [...copy, ['a.'.repeat(3_000) + 'b', 'x']], what: 'deep key' }
  const odd = oddValues[Math.floor(rand() * oddValues.length)]!(rand)
  const text = typeof odd === 'string' ? odd : JSON.stringify(odd) ?? ''
  return { params: copy.map((p, j) => (j === i ? [key, text] : p)), what: `${key} = ${text.slice(0, 30)}` }
}

const oddPaths = ['/%ZZ', '/%00', '//', '/a/../../b', `/${'x'.repeat(3_000)}`, '/2015-03-31/functions/%FF/invocations', '/2021-10-31/functions/f/url',
  '/2015-03-31/functions/a:b:c:d/configuration', '/fuzz-b/%F0%9F%98%80?acl', '/fuzz-b/k?versionId=null&partNumber=NaN',
  '/fuzz-b?list-type=9&max-keys=-1&continuation-token=%%%', '/fuzz-b/k?uploadId=&partNumber=10001', '/000000000000/fuzz-q', '/?Action=ListQueues']
const oddHeaders: [string, string][] = [['content-type', 'text/plain'], ['content-type', 'application/x-amz-json-1.1'], ['content-type', ''],
  ['content-type', 'application/x-www-form-urlencoded; charset=latin1'], ['content-encoding', 'gzip'], ['x-amz-target', 'AmazonSQS.'],
  ['x-amz-target', 'Nope.Nothing'], ['range', 'bytes=abc'], ['range', 'bytes=9999999999-'], ['if-match', '"'], ['content-md5', 'zzz'],
  ['x-amz-copy-source', '/%FF/%00'], ['x-amz-checksum-crc32', '!!'], ['x-amz-decoded-content-length', '-5'], ['expect', 'nothing'],
  ['x-amz-date', 'yesterday'], ['x-amz-meta-a', '\u00ff\u00e9'], ['x-amz-content-sha256', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD']]

export function mutate(rand: Rand, seed: Seed, base: { headers: Record<string, string> }): Mutated {
  const headers = { ...base.headers, ...seed.headers }
  let path = seed.path
  let body = serialize(seed)
  let what = 'seed'
  let protocolChanged = false
  const roll = rand()
  if (roll < 0.55 && seed.json !== undefined) {
    const m = mutateJson(rand, seed.json)
    body = Buffer.from(toJson(m.doc))
    what = m.what
  } else if (roll < 0.55 && seed.params !== undefined) {
    const m = mutateParams(rand, seed.params)
    body = Buffer.from(new URLSearchParams(m.params).toString())
    what = m.what
  } else if (roll < 0.65) {
    const cut = Math.floor(rand() * body.length)
    body = rand() < 0.5 ? body.subarray(0, cut) : Buffer.concat([body.subarray(0, cut), Buffer.from([0xff, 0xfe, 0xc3]), body.subarray(cut)])
    what = `body cut/corrupted at ${cut}`
  } else if (roll < 0.75) {
    const [name, value] = pick(rand, oddHeaders)
    headers[name] = value
    protocolChanged = name === 'content-type' || name === 'x-amz-target'
    what = `header ${name}: ${value}`
  } else if (roll < 0.85) {
    path = pick(rand, oddPaths)
    protocolChanged = true
    what = `path ${path}`
  } else if (roll < 0.9 && seed.text !== undefined) {
    body = Buffer.from(seed.text.replace(/<(\w+)>/, (_, tag) => `<${tag}>${'<a>'.repeat(3_000)}${'</a>'.repeat(3_000)}`))
    what = 'deep XML'
  } else if (roll < 0.91) {
    delete headers['authorization']
    what = 'unsigned'
  } else if (roll < 0.95) {
    const service = pick(rand, ['sqs', 'sns', 'events', 'logs', 'lambda', 's3', 'nope'])
    headers['authorization'] = headers['authorization']!.replace(/\/us-east-1\/[^/]+\//, `/us-east-1/${service}/`)
    protocolChanged = true
    what = `scope service ${service}`
  } else {
    const query = pick(rand, ['?Action=', '?X-Amz-Credential=%%', '?x=' + 'y'.repeat(5_000), '?versions&uploads&tagging', '?&&==&'])
    path += (path.includes('?') ? '&' : '') + query.replace(/^\?/, path.includes('?') ? '' : '?')
    what = `query ${query.slice(0, 30)}`
  }
  return { method: seed.method, path, headers, body, protocolChanged, what }
}

export function serialize(seed: Seed): Buffer {
  if (seed.json !== undefined) return Buffer.from(JSON.stringify(seed.json))
  if (seed.params !== undefined) return Buffer.from(new URLSearchParams(seed.params).toString())
  return Buffer.from(seed.text ?? '')
}
