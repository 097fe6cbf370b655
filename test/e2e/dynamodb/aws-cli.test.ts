// The AWS CLI v1 on this machine (botocore's JSON 1.0 client and its paginators)
// against DynamoDB: create a table, put, query with paging, scan, and read an error. A missing CLI
// fails, never skips.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { transitionMs } from '../../helpers/dynamodb.ts'
import { awsCli, awsCliError } from '../../helpers/aws-cli.ts'
import { advance, uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const aws = <T = Record<string, unknown>>(...args: string[]) => awsCli<T>(nimbus.current, ...args)

describe('AWS CLI v1 against DynamoDB', () => {
  it('creates a table, puts items, queries them page by page and scans', async () => {
    const table = uniqueName('cli')
    const created = await aws<{ TableDescription: { TableStatus: string } }>('dynamodb', 'create-table', '--table-name', table,
      '--key-schema', 'AttributeName=pk,KeyType=HASH', 'AttributeName=sk,KeyType=RANGE',
      '--attribute-definitions', 'AttributeName=pk,AttributeType=S', 'AttributeName=sk,AttributeType=N', '--billing-mode', 'PAY_PER_REQUEST')
    assert.equal(created.TableDescription.TableStatus, 'CREATING')
    await advance(nimbus.current, transitionMs)
    for (let i = 0; i < 7; i++) {
      await aws('dynamodb', 'put-item', '--table-name', table, '--item', JSON.stringify({ pk: { S: 'cli' }, sk: { N: String(i) }, v: { S: `v${i}` } }))
    }
    // The CLI follows LastEvaluatedKey itself with --page-size.
    const queried = await aws<{ Items: { sk: { N: string } }[]; Count: number }>('dynamodb', 'query', '--table-name', table,
      '--key-condition-expression', 'pk = :p', '--expression-attribute-values', JSON.stringify({ ':p': { S: 'cli' } }), '--page-size', '3')
    assert.deepEqual(queried.Items.map((i) => i.sk.N), ['0', '1', '2', '3', '4', '5', '6'])
    const scanned = await aws<{ Count: number }>('dynamodb', 'scan', '--table-name', table, '--select', 'COUNT')
    assert.equal(scanned.Count, 7)
    const failure = await awsCliError(nimbus.current, 'dynamodb', 'put-item', '--table-name', table, '--item', JSON.stringify({ pk: { S: 'cli' } }))
    assert.match(failure, /An error occurred \(ValidationException\) when calling the PutItem operation: One or more parameter values were invalid: Missing the key sk in the item/)
  })
})
