// Log groups: create/describe/delete, name filters and pagination, retention policies, tags by name and by ARN.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CreateLogGroupCommand, DeleteLogGroupCommand, DeleteRetentionPolicyCommand, DescribeLogGroupsCommand, ListLogGroupsCommand,
  ListTagsForResourceCommand, ListTagsLogGroupCommand, paginateDescribeLogGroups, PutRetentionPolicyCommand, TagLogGroupCommand,
  TagResourceCommand, UntagLogGroupCommand, UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import { failure, logsClient } from '../../helpers/logs.ts'
import { uniqueName, useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const logs = () => logsClient(nimbus.current)
const describeOne = async (name: string) =>
  (await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups?.find((g) => g.logGroupName === name)

describe('CloudWatch Logs groups', () => {
  it('creates a group AWS-shaped, refuses a duplicate, deletes it', async () => {
    const name = uniqueName('/aws/lambda/fn')
    await logs().send(new CreateLogGroupCommand({ logGroupName: name }))
    const group = await describeOne(name)
    assert.deepEqual(group, {
      logGroupName: name, creationTime: nimbus.current.clock.now(), metricFilterCount: 0, storedBytes: 0, logGroupClass: 'STANDARD',
      arn: `arn:aws:logs:us-east-1:000000000000:log-group:${name}:*`, logGroupArn: `arn:aws:logs:us-east-1:000000000000:log-group:${name}`,
    })
    const duplicate = await failure(logs().send(new CreateLogGroupCommand({ logGroupName: name })))
    assert.deepEqual([duplicate.name, duplicate.message, duplicate.status],
      ['ResourceAlreadyExistsException', 'The specified log group already exists', 400])
    await logs().send(new DeleteLogGroupCommand({ logGroupName: name }))
    assert.equal(await describeOne(name), undefined)
    const gone = await failure(logs().send(new DeleteLogGroupCommand({ logGroupName: name })))
    assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', 'The specified log group does not exist.'])
  })

  it('validates names and limits with AWS-style InvalidParameterException messages', async () => {
    const bad = await failure(logs().send(new CreateLogGroupCommand({ logGroupName: 'has space' })))
    assert.equal(bad.name, 'InvalidParameterException')
    assert.match(bad.message, /Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/)
    const limit = await failure(logs().send(new DescribeLogGroupsCommand({ limit: 51 })))
    assert.equal(limit.name, 'InvalidParameterException')
    assert.match(limit.message, /at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50/)
    const both = await failure(logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })))
    assert.equal(both.name, 'InvalidParameterException')
    const missing = await failure(logs().send(new CreateLogGroupCommand({} as never)))
    assert.equal(missing.name, 'InvalidParameterException')
    assert.match(missing.message, /Value null at 'logGroupName' failed to satisfy constraint: Member must not be null/)
  })

  it('filters by prefix and by case-sensitive substring pattern, and pages by name', async () => {
    const base = uniqueName('/pager')
    const names = ['c', 'a', 'e', 'b', 'd', 'DataLogs', 'x-datalogs'].map((s) => `${base}/${s}`)
    for (const logGroupName of names) await logs().send(new CreateLogGroupCommand({ logGroupName }))
    const seen: string[] = []
    const pages: number[] = []
    for await (const page of paginateDescribeLogGroups({ client: logs(), pageSize: 2 }, { logGroupNamePrefix: base })) {
      pages.push(page.logGroups?.length ?? 0)
      seen.push(...(page.logGroups ?? []).map((g) => g.logGroupName!))
    }
    assert.deepEqual(seen, names.slice().sort())
    assert.deepEqual(pages, [2, 2, 2, 1])
    const { logGroups } = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePattern: `${base.slice(1)}/Data` }))
    // With a pattern AWS returns only name, arn and creation time.
    assert.deepEqual(logGroups, [{ logGroupName: `${base}/DataLogs`, arn: `arn:aws:logs:us-east-1:000000000000:log-group:${base}/DataLogs:*`,
      creationTime: nimbus.current.clock.now() }])
    const listed = await logs().send(new ListLogGroupsCommand({ logGroupNamePattern: base, limit: 3 }))
    assert.equal(listed.logGroups?.length, 3)
    assert.ok(listed.nextToken)
    assert.deepEqual(listed.logGroups?.[0], { logGroupName: `${base}/DataLogs`, logGroupClass: 'STANDARD',
      logGroupArn: `arn:aws:logs:us-east-1:000000000000:log-group:${base}/DataLogs` })
  })

  it('keeps groups per region', async () => {
    const name = uniqueName('/regional')
    await logsClient(nimbus.current, 'eu-west-1').send(new CreateLogGroupCommand({ logGroupName: name }))
    assert.equal(await describeOne(name), undefined)
    const [west] = (await logsClient(nimbus.current, 'eu-west-1').send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? []
    assert.equal(west?.arn, `arn:aws:logs:eu-west-1:000000000000:log-group:${name}:*`)
  })

  it('sets and removes a retention policy from the list AWS accepts', async () => {
    const name = uniqueName('/retention')
    await logs().send(new CreateLogGroupCommand({ logGroupName: name }))
    await logs().send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 14 }))
    assert.equal((await describeOne(name))?.retentionInDays, 14)
    const invalid = await failure(logs().send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 2 })))
    assert.equal(invalid.name, 'InvalidParameterException')
    assert.match(invalid.message, /Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653\]/)
    await logs().send(new DeleteRetentionPolicyCommand({ logGroupName: name }))
    assert.equal((await describeOne(name))?.retentionInDays, undefined)
    const missing = await failure(logs().send(new PutRetentionPolicyCommand({ logGroupName: `${name}-no`, retentionInDays: 1 })))
    assert.equal(missing.name, 'ResourceNotFoundException')
  })

  it('tags by name (TagLogGroup) and by ARN (TagResource) on the same tag set', async () => {
    const name = uniqueName('/tags')
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${name}`
    await logs().send(new CreateLogGroupCommand({ logGroupName: name, tags: { team: 'core' } }))
    await logs().send(new TagLogGroupCommand({ logGroupName: name, tags: { env: 'dev' } }))
    await logs().send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod', cost: '42' } }))
    assert.deepEqual((await logs().send(new ListTagsLogGroupCommand({ logGroupName: name }))).tags, { team: 'core', env: 'prod', cost: '42' })
    await logs().send(new UntagLogGroupCommand({ logGroupName: name, tags: ['team'] }))
    await logs().send(new UntagResourceCommand({ resourceArn: `${arn}:*`, tagKeys: ['cost', 'absent'] }))
    assert.deepEqual((await logs().send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'prod' })
    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']))
    assert.equal((await failure(logs().send(new TagResourceCommand({ resourceArn: arn, tags: tooMany })))).name, 'TooManyTagsException')
    const missing = await failure(logs().send(new ListTagsForResourceCommand({ resourceArn: `${arn}-no` })))
    assert.equal(missing.name, 'ResourceNotFoundException')
  })

  it('answers operations Nimbus does not implement with NotImplemented', async () => {
    const { DescribeQueriesCommand } = await import('@aws-sdk/client-cloudwatch-logs')
    const error = await failure(logs().send(new DescribeQueriesCommand({})))
    assert.equal(error.status, 501)
    assert.match(error.message, /Nimbus does not serve DescribeQueries in logs yet; see the Gaps in Nimbus's logs README/)
  })
})
