// A body past the gateway's 16 MiB buffer that doesn't declare its length (HTTP/1.1 chunked, HTTP/2 without
// content-length) is only known to be too large once read: it still gets the 413 in the client's protocol —
// whole bodies and the ones a service parses as they arrive (Kinesis PutRecords) — and the server keeps serving.
import assert from 'node:assert/strict'
import { connect } from 'node:http2'
import { describe, it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'
import { rawRequest, signedBy, sqsJsonHeaders } from '../../helpers/raw-http.ts'

const nimbus = useNimbus()
const big = Buffer.alloc(17 * 1024 * 1024, 0x20)
const kinesisHeaders = { ...signedBy('kinesis'), 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecords' }

async function stillServing(): Promise<void> {
  assert.equal((await rawRequest(nimbus.current.endpoint, { method: 'GET', path: '/_nimbus/health' })).status, 200)
}

/** An HTTP/2 (h2c) POST whose body is sent without a content-length. */
function h2Post(headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(nimbus.current.endpoint)
    session.on('error', reject)
    const stream = session.request({ ':method': 'POST', ':path': '/', ...headers })
    let status = 0
    const chunks: Buffer[] = []
    stream.on('response', (h) => { status = Number(h[':status']) })
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      session.close()
      resolve({ status, body: Buffer.concat(chunks).toString() })
    })
    stream.on('error', reject)
    stream.end(body)
  })
}

describe('bodies of undeclared length past the gateway limit', () => {
  it('HTTP/1.1 chunked: 413 in the client\'s protocol, read whole or by a service\'s parser', async () => {
    const sqs = await rawRequest(nimbus.current.endpoint, { headers: { ...sqsJsonHeaders('ListQueues'), 'transfer-encoding': 'chunked' }, body: big })
    assert.equal(sqs.status, 413)
    assert.equal(JSON.parse(sqs.body).__type, 'com.amazonaws.sqs#RequestEntityTooLarge')
    await stillServing()
    const kinesis = await rawRequest(nimbus.current.endpoint, { headers: { ...kinesisHeaders, 'transfer-encoding': 'chunked' }, body: big })
    assert.equal(kinesis.status, 413)
    assert.match(JSON.parse(kinesis.body).__type, /RequestEntityTooLarge$/)
    await stillServing()
  })

  it('HTTP/2 without content-length: 413', async () => {
    const sqs = await h2Post(sqsJsonHeaders('ListQueues'), big)
    assert.equal(sqs.status, 413)
    assert.equal(JSON.parse(sqs.body).__type, 'com.amazonaws.sqs#RequestEntityTooLarge')
    await stillServing()
  })
})
