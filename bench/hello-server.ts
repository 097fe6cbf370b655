// The ceiling: a bare node:http server that reads the request body and answers a canned response.
// It answers the SQS JSON operations the benchmark sends with canned bodies of the right shape, so the
// load and round-trip clients run the exact same code against it as against Nimbus and moto (DynamoDB's too).
// It is also the bare server the S3 1 MiB rows compare with (bench/s3-wrk.ts): `GET /bare/<bytes>`
// answers that many bytes, and any PUT is read to its end and answered 200 with an empty body.
// Usage: node bench/hello-server.ts --port P
import { createServer } from 'node:http'
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } })
const port = Number(values.port ?? 0)
const host = values.host ?? '127.0.0.1'

const md5 = '49f68a5c8493ec2c0bf489821c21fc3b'
const id = 'ca6fcc73-678b-4488-b659-05887b9aa77b'
const queueUrl = `http://${host}:${port}/000000000000/bench`
const canned: Record<string, Buffer> = {
  ListQueues: Buffer.from(JSON.stringify({ QueueUrls: [queueUrl] })),
  CreateQueue: Buffer.from(JSON.stringify({ QueueUrl: queueUrl })),
  PurgeQueue: Buffer.from('{}'),
  DeleteMessage: Buffer.from('{}'),
  SendMessage: Buffer.from(JSON.stringify({ MD5OfMessageBody: md5, MessageId: id })),
  SendMessageBatch: Buffer.from(JSON.stringify({
    Successful: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageId: id, MD5OfMessageBody: md5 })),
    Failed: [],
  })),
  ReceiveMessage: Buffer.from(JSON.stringify({
    Messages: [{ MessageId: id, ReceiptHandle: 'AQEB' + 'x'.repeat(96), MD5OfBody: md5, Body: 'x'.repeat(100) }],
  })),
}
// DynamoDB (bench/dynamodb.ts): the same shapes Nimbus answers, Query with its 100 items.
const dynamoItem = (sk: number) => ({ pk: { S: 'q' }, sk: { N: String(sk) }, v: { S: 'x'.repeat(100) } })
canned.PutItem = Buffer.from('{}')
canned.GetItem = Buffer.from(JSON.stringify({ Item: dynamoItem(1) }))
canned.Query = Buffer.from(JSON.stringify({ Items: Array.from({ length: 100 }, (_, i) => dynamoItem(i)), Count: 100, ScannedCount: 100 }))
const hello = Buffer.from('hello world\n')
/** Bare S3 GET bodies by size, built once (what a server holding the object in memory sends). */
const bare = new Map<number, Buffer>()
const bareEtag = '"d41d8cd98f00b204e9800998ecf8427e"'

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  req.on('data', () => {})
  req.on('end', () => {
    if (req.method === 'PUT') {
      res.writeHead(200, { etag: bareEtag, 'content-length': 0 })
      res.end()
      return
    }
    if (req.url?.startsWith('/bare/') === true) {
      const size = Math.min(Number(req.url.slice('/bare/'.length)) || 0, 64 * 1024 * 1024)
      let body = bare.get(size)
      if (body === undefined) bare.set(size, body = Buffer.alloc(size, 1))
      res.writeHead(200, { 'content-type': 'application/octet-stream', etag: bareEtag, 'content-length': size })
      res.end(body)
      return
    }
    const target = req.headers['x-amz-target']
    const op = typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : undefined
    const body = op === undefined ? hello : canned[op]
    if (body === undefined) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
      res.end('{"__type":"UnknownOperation"}')
      return
    }
    res.writeHead(200, {
      'content-type': op === undefined ? 'text/plain' : 'application/x-amz-json-1.0',
      'content-length': body.length,
    })
    res.end(body)
  })
})
server.listen(port, host, () => console.log(`hello ready on http://${host}:${port}`))
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)))
