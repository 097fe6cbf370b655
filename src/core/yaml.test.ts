// The YAML reader and writer OpenAPI import/export use, on the constructs OpenAPI files are written with.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseYaml, writeYaml, YamlError } from './yaml.ts'

describe('OpenAPI YAML', () => {
  it('reads block mappings, sequences, scalars, block scalars and flow collections', () => {
    const doc = parseYaml(`---
openapi: "3.0.1"   # a comment
info:
  title: Pets API
  version: 1.0
  description: It's a pets' API # trailing
paths:
  '/pets/{id}':
    get:
      parameters:
        - name: id
          in: path
          required: true
        - {name: q, in: query}
      responses:
        200:
          description: ok
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations
        requestTemplates:
          application/json: |
            {"statusCode": 200}
          text/plain: >-
            folded
            text
        cacheKeyParameters: [method.request.path.id, "a, b"]
tags:
- one
- two
empty:
nothing: ~
`)
    assert.deepEqual(doc, {
      openapi: '3.0.1',
      info: { title: 'Pets API', version: 1, description: "It's a pets' API" },
      paths: { '/pets/{id}': { get: {
        parameters: [{ name: 'id', in: 'path', required: true }, { name: 'q', in: 'query' }],
        responses: { 200: { description: 'ok' } },
        'x-amazon-apigateway-integration': {
          type: 'aws_proxy',
          uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations',
          requestTemplates: { 'application/json': '{"statusCode": 200}\n', 'text/plain': 'folded text' },
          cacheKeyParameters: ['method.request.path.id', 'a, b'],
        },
      } } },
      tags: ['one', 'two'], empty: null, nothing: null,
    })
  })

  it('reads a doubled single quote inside flow collections', () => {
    assert.deepEqual(parseYaml(`a: {k: 'it''s', t: '$input.params(''id'')'}\nb: ['x''y', "q"]`),
      { a: { k: "it's", t: "$input.params('id')" }, b: ["x'y", 'q'] })
  })

  it('refuses anchors, aliases and broken input', () => {
    assert.throws(() => parseYaml('a: &x 1\nb: *x\n'), YamlError)
    assert.throws(() => parseYaml('a: "unterminated\n'), YamlError)
    assert.throws(() => parseYaml('a: 1\na: 2\n'), YamlError)
  })

  it('writes what it reads back', () => {
    const value = { openapi: '3.0.1', info: { title: 'x: y', version: '1.0' }, list: [{ a: 1, b: [true, null] }, 'true', '#x'],
      empty: {}, none: [], multi: 'line\nbreak', '/pets/{id}': { get: {} } }
    assert.deepEqual(parseYaml(writeYaml(value)), value)
  })
})
