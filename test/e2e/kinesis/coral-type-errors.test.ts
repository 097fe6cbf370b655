// A member of the wrong JSON type, as Coral (Kinesis's and Firehose's front end) words it: the
// SerializationException messages AWS answered (recorded in kinesalite's suite), raised while the body
// is read, so before the model's constraints and before the stream is looked up. JSON and CBOR alike.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { encode } from '../../../src/protocol/cbor/cbor.ts'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const number = 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber'

function call(service: 'kinesis' | 'firehose', operation: string, body: unknown, cbor = false) {
  const target = service === 'kinesis' ? `Kinesis_20131202.${operation}` : `Firehose_20150804.${operation}`
  return rawRequest(nimbus.current.endpoint, { headers: { 'content-type': cbor ? 'application/x-amz-cbor-1.1' : 'application/x-amz-json-1.1',
    'x-amz-target': target, ...signedBy(service) }, body: cbor ? encode(body) : JSON.stringify(body) })
}

async function refusal(service: 'kinesis' | 'firehose', operation: string, body: unknown, cbor = false): Promise<[number, string, string]> {
  const r = await call(service, operation, body, cbor)
  if (cbor) {
    // The raw helper hands the body back as UTF-8 text: the CBOR map's ASCII strings read as they are.
    const message = table.map(([, , m]) => m).find((m) => r.body.includes(m)) ?? r.body
    return [r.status, String(r.body.match(/(\w+Exception)/)?.[1]), message]
  }
  const answer = JSON.parse(r.body) as { __type: string; message: string }
  return [r.status, answer.__type.replace(/^.*#/, ''), answer.message]
}

// [member type, a wrong value, Coral's message]
const table: Array<[string, unknown, string]> = [
  ['blob', true, 'class java.lang.Boolean can not be converted to a Blob'],
  ['blob', 23, `${number} can not be converted to a Blob`],
  ['blob', 2147483648, `${number} can not be converted to a Blob`],
  ['blob', 34.56, `${number} can not be converted to a Blob`],
  ['blob', [], 'Start of list found where not expected'],
  ['blob', {}, 'Start of structure or map found where not expected.'],
  ['string', true, 'class java.lang.Boolean can not be converted to an String'],
  ['string', -2147483648, `${number} can not be converted to an String`],
  ['string', ['k'], 'Start of list found where not expected'],
  ['string', { a: 1 }, 'Start of structure or map found where not expected.'],
]

describe('Kinesis PutRecord: a Data or PartitionKey of the wrong type, missing stream', () => {
  for (const cbor of [false, true]) {
    for (const [type, value, message] of table) {
      it(`${cbor ? 'CBOR' : 'JSON'} ${type} given ${JSON.stringify(value)}`, async () => {
        const body = type === 'blob' ? { StreamName: 'no-such-stream', PartitionKey: '', Data: value }
          : { StreamName: 'no-such-stream', PartitionKey: value, Data: 'AAAA' }
        assert.deepEqual(await refusal('kinesis', 'PutRecord', body, cbor), [400, 'SerializationException', message])
      })
    }
  }
})

it('a large PutRecords body (the scanned fast path) with one Data of the wrong type', async () => {
  const good = Buffer.alloc(200, 7).toString('base64')
  const records = Array.from({ length: 499 }, () => ({ PartitionKey: 'k', Data: good as unknown }))
  records.push({ PartitionKey: 'k', Data: true })
  assert.deepEqual(await refusal('kinesis', 'PutRecords', { StreamName: 'no-such-stream', Records: records }),
    [400, 'SerializationException', 'class java.lang.Boolean can not be converted to a Blob'])
})

describe('the other Coral types, Kinesis', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['integer given a string', { StreamName: 's', Limit: '23' }, 'class java.lang.String can not be converted to an Integer'],
    ['integer given a boolean', { StreamName: 's', Limit: true }, 'class java.lang.Boolean can not be converted to an Integer'],
    ['boolean given a string', { StreamName: 's', EnforceConsumerDeletion: '23' }, "'23' can not be converted to an Boolean"],
    ['boolean given an integer', { StreamName: 's', EnforceConsumerDeletion: 23 }, `${number} can not be converted to an Boolean`],
    ['list given a string', { StreamName: 's', Records: '23' }, 'Expected list or null'],
    ['list given an object', { StreamName: 's', Records: {} }, 'Start of structure or map found where not expected.'],
    ['map given a number', { StreamName: 's', Tags: 23 }, 'Expected map or null'],
    ['structure given a number', { StreamName: 's', StreamModeDetails: 23 }, 'Expected null'],
    ['structure given a list', { StreamName: 's', StreamModeDetails: [] }, 'Start of list found where not expected'],
  ]
  const operation: Record<string, string> = { Limit: 'DescribeStream', EnforceConsumerDeletion: 'DeleteStream', Records: 'PutRecords',
    Tags: 'AddTagsToStream', StreamModeDetails: 'CreateStream' }
  for (const [what, body, message] of cases) {
    it(what, async () => {
      const member = Object.keys(body).find((k) => k !== 'StreamName')!
      assert.deepEqual(await refusal('kinesis', operation[member]!, body), [400, 'SerializationException', message])
    })
  }
})

describe('Firehose PutRecord and PutRecordBatch: the same wording', () => {
  for (const [, value, message] of table.filter(([t]) => t === 'blob')) {
    it(`Data given ${JSON.stringify(value)}`, async () => {
      assert.deepEqual(await refusal('firehose', 'PutRecord', { DeliveryStreamName: 'no-such-stream', Record: { Data: value } }),
        [400, 'SerializationException', message])
      assert.deepEqual(await refusal('firehose', 'PutRecordBatch', { DeliveryStreamName: 'no-such-stream', Records: [{ Data: 'AAAA' }, { Data: value }] }),
        [400, 'SerializationException', message])
    })
  }
  it('a stream name given a number', async () => {
    assert.deepEqual(await refusal('firehose', 'DescribeDeliveryStream', { DeliveryStreamName: 5 }),
      [400, 'SerializationException', `${number} can not be converted to an String`])
  })
})
