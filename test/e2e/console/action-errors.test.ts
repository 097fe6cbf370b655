// POST /_nimbus/api/action on a resource whose service declares no actions (a DynamoDB table): the
// resource is there, so the answer is 400 UnknownAction, not 404 "No table …"; a missing one stays 404.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { consoleAction } from '../../helpers/console.ts'
import { activeTable, dynamoClient } from '../../helpers/dynamodb.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

describe('console actions on services without actions', () => {
  it('answers UnknownAction for an existing resource and ResourceNotFound for a missing one', async () => {
    const client = dynamoClient(nimbus.current)
    const table = await activeTable(nimbus.current, client)
    const existing = await consoleAction(nimbus.current, { service: 'dynamodb', type: 'table', id: table, action: 'purge' })
    assert.deepEqual([existing.status, existing.body], [400, { error: 'UnknownAction', message: 'No action "purge" here.' }])
    const missing = await consoleAction(nimbus.current, { service: 'dynamodb', type: 'table', id: 'no-such-table', action: 'purge' })
    assert.deepEqual([missing.status, missing.body.error], [404, 'ResourceNotFound'])
    client.destroy()
  })
})
