// HTTP bindings the S3 and Lambda models don't exercise: query timestamps and lists, querystring
// maps, list and jsonvalue headers, type errors; over a small hand-written restJson1 model.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AwsError } from '../../src/protocol/errors.ts'
import type { HttpRequest } from '../../src/protocol/http.ts'
import { splitHeader } from '../../src/protocol/http-bindings.ts'
import { ServiceModel } from '../../src/protocol/model.ts'
import { restJson } from '../../src/protocol/rest-json/rest-json.ts'

const model = new ServiceModel({
  metadata: { apiVersion: '2024-01-01', protocol: 'rest-json', endpointPrefix: 'demo', serviceId: 'Demo', namespace: 'com.example' },
  operations: {
    Search: { name: 'Search', http: { method: 'GET', requestUri: '/things/{Id}?mode=search' }, input: 'SearchInput', output: 'SearchOutput' },
  },
  shapes: {
    SearchInput: { type: 'structure', required: ['Id'], members: {
      Id: { shape: 'Integer', location: 'uri', locationName: 'Id' },
      Since: { shape: 'Time', location: 'querystring', locationName: 'since' },
      Until: { shape: 'Time', location: 'header', locationName: 'X-Until' },
      EpochHeader: { shape: 'Time', location: 'header', locationName: 'X-Epoch', timestampFormat: 'unixTimestamp' },
      Tags: { shape: 'Strings', location: 'querystring', locationName: 'tag' },
      Flags: { shape: 'Booleans', location: 'querystring', locationName: 'flag' },
      Ratio: { shape: 'Double', location: 'querystring', locationName: 'ratio' },
      Extra: { shape: 'StringMap', location: 'querystring' },
      Names: { shape: 'Strings', location: 'header', locationName: 'X-Names' },
      Context: { shape: 'String', location: 'header', locationName: 'X-Context', jsonvalue: true },
      Strict: { shape: 'Boolean', location: 'header', locationName: 'X-Strict' },
    } },
    SearchOutput: { type: 'structure', members: {
      Code: { shape: 'Integer', location: 'statusCode' },
      Modified: { shape: 'Time', location: 'header', locationName: 'Last-Modified' },
      Names: { shape: 'Strings', location: 'header', locationName: 'X-Names' },
      Context: { shape: 'String', location: 'header', locationName: 'X-Context', jsonvalue: true },
      Meta: { shape: 'StringMap', location: 'headers', locationName: 'x-meta-' },
      Found: { shape: 'Time' },
    } },
    Integer: { type: 'integer' }, Double: { type: 'double' }, Boolean: { type: 'boolean' }, String: { type: 'string' },
    Time: { type: 'timestamp' },
    Strings: { type: 'list', member: { shape: 'String' } },
    Booleans: { type: 'list', member: { shape: 'Boolean' } },
    StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
  },
})

function get(target: string, headers: Record<string, string> = {}): HttpRequest {
  const q = target.indexOf('?')
  return { method: 'GET', rawPath: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)), headers, body: Buffer.alloc(0) }
}

describe('HTTP bindings', () => {
  it('reads labels, query timestamps (ISO 8601), repeated-key lists, numbers, a querystring map and typed headers', () => {
    const context = Buffer.from(JSON.stringify({ a: [1, 2] })).toString('base64')
    const parsed = restJson.parseRequest(get('/things/42?mode=search&since=2024-01-02T03:04:05Z&tag=a&tag=b%20c&flag=true&flag=false'
      + '&ratio=0.5&color=red&size=L', {
      'x-until': 'Tue, 02 Jan 2024 03:04:05 GMT', 'x-epoch': '1704164645.5', 'x-names': 'plain, "with, comma", "q\\"uote"',
      'x-context': context, 'x-strict': 'false',
    }), model)
    assert.deepEqual(parsed.input, {
      Id: 42, Since: new Date('2024-01-02T03:04:05Z'), Until: new Date('2024-01-02T03:04:05Z'), EpochHeader: new Date(1704164645500),
      Tags: ['a', 'b c'], Flags: [true, false], Ratio: 0.5, Extra: { color: 'red', size: 'L' },
      Names: ['plain', 'with, comma', 'q"uote'], Context: { a: [1, 2] }, Strict: false,
    })
  })

  it('refuses values that do not fit their member', () => {
    const bad = (target: string, headers?: Record<string, string>) =>
      assert.throws(() => restJson.parseRequest(get(target, headers), model), (e: AwsError) => e.code === 'SerializationException')
    bad('/things/x?mode=search')
    bad('/things/1?mode=search&since=yesterday')
    bad('/things/1?mode=search', { 'x-strict': 'yes' })
    bad('/things/1?mode=search&ratio=abc')
  })

  it('writes the status code, RFC 822 dates, list and jsonvalue headers, header maps; the rest as JSON', () => {
    const response = restJson.serializeOutput(model, model.operation('Search')!, {
      Code: 207, Modified: new Date('2024-01-02T03:04:05Z'), Names: ['a', 'b,c'], Context: { k: 'v' },
      Meta: { owner: 'me' }, Found: new Date('2024-01-02T03:04:05.250Z'),
    }, { requestId: 'r' })
    assert.equal(response.status, 207)
    assert.equal(response.headers['last-modified'], 'Tue, 02 Jan 2024 03:04:05 GMT')
    assert.equal(response.headers['x-names'], 'a, "b,c"')
    assert.deepEqual(JSON.parse(Buffer.from(response.headers['x-context']!, 'base64').toString()), { k: 'v' })
    assert.equal(response.headers['x-meta-owner'], 'me')
    assert.equal(response.headers['x-amzn-requestid'], 'r')
    assert.equal(response.headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(String(response.body)), { Found: 1704164645.25 })
  })

  it('splits list headers on commas outside quotes', () => {
    assert.deepEqual(splitHeader('a,b , "c,d" ,"e\\"f"'), ['a', 'b', 'c,d', 'e"f'])
    assert.deepEqual(splitHeader('single'), ['single'])
  })
})
