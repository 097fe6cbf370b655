// boto3 (botocore's JSON protocol for SQS, with its query-compatible error codes) against Nimbus.
// boto3 is part of these machines' image (see .library/env); a missing boto3 fails, it never skips.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { describe, it } from 'node:test'
import { promisify } from 'node:util'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()
const run = promisify(execFile)

const script = `
import json, os, boto3, botocore
sqs = boto3.client('sqs', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1',
                   aws_access_key_id='test', aws_secret_access_key='test')
out = {}
url = sqs.create_queue(QueueName='boto.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
sent = sqs.send_message(QueueUrl=url, MessageBody='hi\\r\\nthere', MessageGroupId='g',
                        MessageAttributes={'n': {'DataType': 'Number', 'StringValue': '42'},
                                           'b': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\x01'}})
out['sequence'] = sent['SequenceNumber']
got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=['All'], MessageSystemAttributeNames=['All'])['Messages'][0]
out['body'] = got['Body']
out['binary'] = list(got['MessageAttributes']['b']['BinaryValue'])
out['group'] = got['Attributes']['MessageGroupId']
try:
    sqs.get_queue_url(QueueName='missing')
except botocore.exceptions.ClientError as e:
    out['error'] = e.response['Error']['Code']
print(json.dumps(out))
`

describe('boto3', () => {
  it('creates, sends, receives and reads legacy error codes', async () => {
    const { stdout } = await run('python3', ['-c', script], { env: { ...process.env, ENDPOINT: nimbus.current.endpoint } })
    const out = JSON.parse(stdout) as Record<string, unknown>
    assert.match(String(out.sequence), /^\d{20}$/)
    assert.equal(out.body, 'hi\r\nthere')
    assert.deepEqual(out.binary, [0, 1])
    assert.equal(out.group, 'g')
    assert.equal(out.error, 'AWS.SimpleQueueService.NonExistentQueue')
  })
})
