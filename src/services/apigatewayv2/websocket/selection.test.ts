// Route, template and integration response selection expressions: variables whole or in braces, `\$` escapes, static text.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bodyLookup, evaluateSelection, selectRouteKey } from './selection.ts'

describe('WebSocket selection expressions', () => {
  const lookup = (name: string) => ({ 'integration.response.statuscode': '404', 'request.body.kind': 'join' } as Record<string, string>)[name]

  it('evaluates variables, braces inside text, escaped dollars and static text', () => {
    assert.equal(evaluateSelection('\\$default', lookup), '$default')
    assert.equal(evaluateSelection('$integration.response.statuscode', lookup), '404')
    assert.equal(evaluateSelection('${request.body.kind}-v2', lookup), 'join-v2')
    assert.equal(evaluateSelection('static', lookup), 'static')
    assert.equal(evaluateSelection('${request.body.missing}', lookup), undefined)
  })

  it('reads JSON message bodies: strings, numbers and booleans select; objects, null and non-JSON do not', () => {
    const body = bodyLookup('{"a":{"b":"x"},"n":3,"t":true,"o":{},"z":null}')
    assert.deepEqual(['request.body.a.b', 'request.body.n', 'request.body.t', 'request.body.o', 'request.body.z', 'context.x'].map(body),
      ['x', '3', 'true', undefined, undefined, undefined])
    assert.equal(bodyLookup('not json')('request.body.a'), undefined)
  })
})

describe('WebSocket route selection', () => {
  it('evaluates $request.body paths, ${…} templates and static expressions', () => {
    assert.equal(selectRouteKey('$request.body.action', '{"action":"send"}'), 'send')
    assert.equal(selectRouteKey('$request.body.meta.kind', '{"meta":{"kind":"join"}}'), 'join')
    assert.equal(selectRouteKey('$request.body.n', '{"n":3}'), '3')
    assert.equal(selectRouteKey('${request.body.service}/${request.body.action}', '{"service":"chat","action":"send"}'), 'chat/send')
    assert.equal(selectRouteKey('static', 'anything'), 'static')
  })

  it('selects nothing for bodies that are not JSON, missing paths and non-scalar values', () => {
    assert.equal(selectRouteKey('$request.body.action', 'hello'), undefined)
    assert.equal(selectRouteKey('$request.body.action', '{"other":1}'), undefined)
    assert.equal(selectRouteKey('$request.body.action', '{"action":{"a":1}}'), undefined)
    assert.equal(selectRouteKey('$request.body.action', '[1,2]'), undefined)
    assert.equal(selectRouteKey('${request.body.a}-${request.body.b}', '{"a":"x"}'), undefined)
  })
})
