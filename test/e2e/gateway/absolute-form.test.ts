// An absolute-form request target (what a client sends to an HTTP proxy, RFC 9112 §3.2.2): its path
// and query are the request's, also when the target has a query but no path.
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { describe, it } from 'node:test'
import { useNimbus } from '../../helpers/nimbus.ts'

const nimbus = useNimbus()

function send(target: string): Promise<string> {
  const { port } = new URL(nimbus.current.endpoint)
  const socket = connect(Number(port), '127.0.0.1')
  let answer = ''
  socket.setEncoding('utf8')
  socket.on('data', (c: string) => { answer += c })
  socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    'Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0\r\n' +
    'Connection: close\r\n\r\n')
  return new Promise((resolve) => socket.on('close', () => resolve(answer)))
}

describe('absolute-form request targets', () => {
  it('keeps the query of a target with no path', async () => {
    const { port } = new URL(nimbus.current.endpoint)
    const answer = await send(`http://127.0.0.1:${port}?Action=ListQueues&Version=2012-11-05`)
    assert.match(answer, /^HTTP\/1\.1 200/)
    assert.match(answer, /<ListQueuesResponse/)
  })

  it('keeps the path and query of a target with both', async () => {
    const { port } = new URL(nimbus.current.endpoint)
    const answer = await send(`http://127.0.0.1:${port}/?Action=ListQueues&Version=2012-11-05`)
    assert.match(answer, /<ListQueuesResponse/)
  })
})
