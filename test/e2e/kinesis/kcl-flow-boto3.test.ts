// A KCL-style consumer from boto3 (HTTP/1.1 JSON): ListShards with each ShardFilter, a checkpoint
// resumed with AFTER_SEQUENCE_NUMBER, MillisBehindLatest, and after a split and a merge the lineage a
// consumer follows — a parent read to its end names its children (ChildShards, no next iterator), and
// a merged child names both parents. The clock is stepped through /_nimbus/clock.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { runBoto3 } from '../../helpers/boto3.ts'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

const script = `import boto3, json, sys, urllib.request
ep = sys.argv[1]
k = boto3.client('kinesis', endpoint_url=ep, region_name='us-east-1', aws_access_key_id='t', aws_secret_access_key='t')
def adv(ms):
    urllib.request.urlopen(urllib.request.Request(ep + '/_nimbus/clock', data=json.dumps({'advanceMs': ms}).encode(),
        headers={'content-type': 'application/json'}, method='POST')).read()
out = {}
ids = lambda shards: [s['ShardId'] for s in shards]
k.create_stream(StreamName='kcl', ShardCount=2)
adv(500)
for i in range(6):
    k.put_record(StreamName='kcl', PartitionKey='p%d' % i, Data=b'r%d' % i)
    adv(1000)
s0 = 'shardId-000000000000'
it = k.get_shard_iterator(StreamName='kcl', ShardId=s0, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
r = k.get_records(ShardIterator=it, Limit=1)
out['first'] = [[x['Data'].decode() for x in r['Records']], r['MillisBehindLatest']]
checkpoint = r['Records'][0]['SequenceNumber']
it = k.get_shard_iterator(StreamName='kcl', ShardId=s0, ShardIteratorType='AFTER_SEQUENCE_NUMBER', StartingSequenceNumber=checkpoint)['ShardIterator']
r = k.get_records(ShardIterator=it)
out['resumed'] = [[x['Data'].decode() for x in r['Records']], r['MillisBehindLatest']]
k.split_shard(StreamName='kcl', ShardToSplit=s0, NewStartingHashKey=str(1 << 126))
adv(500)
out['filters'] = {f['Type']: ids(k.list_shards(StreamName='kcl', ShardFilter=f)['Shards'])
    for f in [{'Type': 'AT_LATEST'}, {'Type': 'AT_TRIM_HORIZON'}, {'Type': 'FROM_TRIM_HORIZON'}, {'Type': 'AFTER_SHARD_ID', 'ShardId': s0}]}
r = k.get_records(ShardIterator=r['NextShardIterator'])
out['parentEnd'] = [len(r['Records']), 'NextShardIterator' in r, [(c['ShardId'], c['ParentShards']) for c in r['ChildShards']]]
k.put_record(StreamName='kcl', PartitionKey='x', Data=b'child', ExplicitHashKey='0')
it = k.get_shard_iterator(StreamName='kcl', ShardId='shardId-000000000002', ShardIteratorType='TRIM_HORIZON')['ShardIterator']
r = k.get_records(ShardIterator=it)
out['child'] = [x['Data'].decode() for x in r['Records']]
k.merge_shards(StreamName='kcl', ShardToMerge='shardId-000000000002', AdjacentShardToMerge='shardId-000000000003')
adv(500)
merged = k.list_shards(StreamName='kcl', ShardFilter={'Type': 'AT_LATEST'})['Shards']
out['merged'] = [(s['ShardId'], s.get('ParentShardId'), s.get('AdjacentParentShardId')) for s in merged]
r = k.get_records(ShardIterator=r['NextShardIterator'])
out['childEnd'] = ['NextShardIterator' in r, [(c['ShardId'], c['ParentShards']) for c in r['ChildShards']]]
print(json.dumps(out))
`

it('boto3 follows a KCL-style flow: filters, checkpoints, MillisBehindLatest, lineage after a split and a merge', async () => {
  const stdout = await runBoto3(script, nimbus.current.endpoint)
  const out = JSON.parse(stdout) as Record<string, unknown>
  // Shard 0 holds r0, r2, r3, r4 (MD5 routing); r0 arrived 6 s of the clock before the read.
  assert.deepEqual(out['first'], [['r0'], 6000])
  assert.deepEqual(out['resumed'], [['r2', 'r3', 'r4'], 0])
  assert.deepEqual(out['filters'], {
    AT_LATEST: ['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'],
    AT_TRIM_HORIZON: ['shardId-000000000000', 'shardId-000000000001'],
    FROM_TRIM_HORIZON: ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'],
    AFTER_SHARD_ID: ['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'],
  })
  assert.deepEqual(out['parentEnd'], [0, false, [['shardId-000000000002', ['shardId-000000000000']], ['shardId-000000000003', ['shardId-000000000000']]]])
  assert.deepEqual(out['child'], ['child'])
  assert.deepEqual(out['merged'], [['shardId-000000000001', null, null], ['shardId-000000000004', 'shardId-000000000002', 'shardId-000000000003']])
  assert.deepEqual(out['childEnd'], [false, [['shardId-000000000004', ['shardId-000000000002', 'shardId-000000000003']]]])
})
