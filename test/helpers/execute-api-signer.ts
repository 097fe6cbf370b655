// Signs invoke-URL requests for API Gateway's AWS_IAM methods and routes (service `execute-api`) with
// the SDK's own SigV4 signer, dated by Nimbus's clock (a manual clock may be far from now).
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Nimbus } from '../../src/index.ts'
import type { Credentials } from './iam.ts'

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data)

/** The hash the SDK's signer takes: SHA-256, or HMAC-SHA256 under a key (node:crypto, no extra package). */
export class Sha256 {
  readonly #hash: Hash | Hmac
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret))
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data))
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()))
  }
  reset(): void {}
}

/** The headers to send (Host included) for `method host path` signed with the credentials. */
export async function signedHeaders(nimbus: Nimbus, credentials: Credentials, method: string, host: string, path: string,
  body = ''): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials, sha256: Sha256 })
  const [pathname, query] = path.split('?') as [string, string | undefined]
  const signed = await signer.sign({
    method, protocol: 'http:', hostname: host.split(':')[0]!, port: Number(host.split(':')[1]), path: pathname,
    query: Object.fromEntries(new URLSearchParams(query ?? '')), headers: { host }, body,
  }, { signingDate: new Date(nimbus.clock.now()) })
  return signed.headers as Record<string, string>
}
