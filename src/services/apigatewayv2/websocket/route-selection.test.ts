// Route selection expressions on message bodies: a JSON path, templates inside text, static text.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { selectRouteKey } from './route-selection.ts'

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
