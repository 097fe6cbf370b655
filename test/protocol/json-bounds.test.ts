// JSON input read by the model stays bounded: recursive shapes can't nest without limit, null list
// items leave no holes, and timestamps no Date can hold are refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isAwsError } from '../../src/protocol/errors.ts'
import { readJsonShape } from '../../src/protocol/json-shapes.ts'
import { ServiceModel, type ServiceModelJson } from '../../src/protocol/model.ts'

const model = new ServiceModel({
  metadata: { protocol: 'json', jsonVersion: '1.0', targetPrefix: 'T', serviceId: 'Test' },
  operations: {},
  shapes: {
    Node: { type: 'structure', members: { child: { shape: 'Node' }, at: { shape: 'When' } } },
    Nodes: { type: 'list', member: { shape: 'Node' } },
    Names: { type: 'list', member: { shape: 'Name' } },
    Name: { type: 'string' },
    When: { type: 'timestamp' },
  },
} as unknown as ServiceModelJson)

const serialization = (error: unknown) => isAwsError(error) && error.code === 'SerializationException'

describe('bounded JSON reading', () => {
  it('refuses a recursive shape nested thousands deep with SerializationException', () => {
    const deep = JSON.parse('{"child":'.repeat(5_000) + '{}' + '}'.repeat(5_000)) as unknown
    assert.throws(() => readJsonShape(model, 'Node', deep, ''), serialization)
    const shallow = JSON.parse('{"child":'.repeat(50) + '{}' + '}'.repeat(50)) as unknown
    assert.ok(readJsonShape(model, 'Node', shallow, ''))
  })

  it('reads a null structure in a list as an empty one, and drops null scalars', () => {
    assert.deepEqual(readJsonShape(model, 'Nodes', [null, {}], ''), [{}, {}])
    assert.deepEqual(readJsonShape(model, 'Names', ['a', null, 'b'], ''), ['a', 'b'])
  })

  it('refuses a timestamp beyond what a Date holds', () => {
    assert.throws(() => readJsonShape(model, 'Node', { at: 2 ** 64 }, ''), serialization)
    assert.deepEqual(readJsonShape(model, 'Node', { at: 0 }, ''), { at: new Date(0) })
  })
})
