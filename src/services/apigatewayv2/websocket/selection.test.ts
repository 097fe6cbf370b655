// Template and integration response selection expressions: variables whole or in braces, `\$` escapes, static text.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bodyLookup, evaluateSelection } from './selection.ts'

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
