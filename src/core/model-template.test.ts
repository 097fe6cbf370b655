// GetModelTemplate's generator on models that name other models: repeated side by side, and recursive.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { modelTemplate } from './model-template.ts'

const url = (name: string) => `https://apigateway.amazonaws.com/restapis/abc/models/${name}`

describe('modelTemplate', () => {
  it('writes out a model named twice side by side both times', () => {
    const models: Record<string, object> = { Point: { type: 'object', properties: { x: { type: 'number' } } } }
    const template = modelTemplate(JSON.stringify({ type: 'object', properties: { from: { $ref: url('Point') }, to: { $ref: url('Point') } } }), (n) => models[n] as never)
    assert.match(template, /"from" : \{\n\s+"x" : \$inputRoot\.from\.x\n/)
    assert.match(template, /"to" : \{\n\s+"x" : \$inputRoot\.to\.x\n/)
  })

  it('stops a recursive model where it repeats (a tree of two branches stays small)', () => {
    const node = { type: 'object', properties: { left: { $ref: url('Node') }, right: { $ref: url('Node') }, value: { type: 'integer' } } }
    const template = modelTemplate(JSON.stringify(node), (n) => (n === 'Node' ? node : undefined))
    assert.ok(template.length < 1000, `${template.length} characters`)
    assert.match(template, /"left" : "\$inputRoot\.left\.left"/)
    assert.match(template, /"value" : \$inputRoot\.value\n/)
  })
})
