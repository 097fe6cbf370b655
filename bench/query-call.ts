// One query-protocol call (form-encoded POST, a fixed SigV4-shaped header Nimbus and moto accept
// unverified) for the benches of query services (EC2, Auto Scaling): status and body text.
import { request } from 'node:http'

export function queryCall(port: number, signingName: string, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const authorization = `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${signingName}/aws4_request, SignedHeaders=host, Signature=0`
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization, 'content-length': Buffer.byteLength(body),
    } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.end(body)
  })
}
