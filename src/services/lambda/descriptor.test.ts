// Lambda's path prefixes cover every operation of its model, so none falls through to S3 (the catch-all).
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { lambdaDescriptor } from './descriptor.ts'
import { model } from './generated/model.ts'

it('claims the path of every Lambda operation, implemented or not', () => {
  const prefixes = lambdaDescriptor.pathPrefixes ?? []
  for (const [name, operation] of Object.entries(model.operations)) {
    const path = operation.http.requestUri.split('?')[0]!
    assert.ok(prefixes.some((prefix) => path.startsWith(prefix)), `${name} (${path}) is claimed`)
  }
})
