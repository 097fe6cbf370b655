// Puts our wire protocols between a real AWS SDK and a scripted reply, with no service behind them:
// what the SDK serialized is parsed by parseRequest; what serializeOutput/serializeError produce is
// handed back to the SDK to parse. SDK v3 plugs in as a requestHandler; SDK v2 talks to a tiny server.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { AwsError } from '../../src/protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../../src/protocol/http.ts'
import type { ServiceModel } from '../../src/protocol/model.ts'
import type { ParsedRequest, WireProtocol } from '../../src/protocol/wire-protocol.ts'

export type Reply = { output: object } | { error: AwsError }

export interface Exchange {
  request: HttpRequest
  parsed: ParsedRequest
}

/** The smithy HttpRequest fields the SDK v3 hands a request handler. */
interface SdkRequest {
  method: string
  path: string
  query?: Record<string, string | string[] | null | undefined>
  headers: Record<string, string>
  body?: unknown
}

export class ProtocolHarness {
  readonly protocol: WireProtocol
  readonly model: ServiceModel
  readonly exchanges: Exchange[] = []
  /** What the next request is answered with. */
  reply: (parsed: ParsedRequest) => Reply = () => ({ output: {} })
  /** Plug this into an SDK v3 client's config. */
  readonly requestHandler = {
    handle: async (request: SdkRequest) => ({ response: toSdkResponse(await this.fromSdk(request), request.method) }),
  }

  constructor(protocol: WireProtocol, model: ServiceModel) {
    this.protocol = protocol
    this.model = model
  }

  get last(): Exchange {
    const last = this.exchanges.at(-1)
    if (last === undefined) throw new Error('no request reached the protocol')
    return last
  }

  /** Runs a call with a scripted reply; returns the parsed request and what the SDK made of the answer. */
  async call<T>(send: () => Promise<T>, reply: Reply): Promise<{ parsed: ParsedRequest; request: HttpRequest; result: T }> {
    this.reply = () => reply
    const result = await send()
    return { ...this.last, result }
  }

  /** Runs a call that must fail; returns the SDK's error. */
  async fail(send: () => Promise<unknown>, error: AwsError): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    this.reply = () => ({ error })
    try {
      await send()
    } catch (thrown) {
      return thrown as Record<string, unknown>
    }
    throw new Error('the call succeeded but an error was expected')
  }

  /** Our side of one exchange: parse, answer as scripted, serialize. */
  handle(request: HttpRequest): HttpResponse {
    let parsed: ParsedRequest
    try {
      parsed = this.protocol.parseRequest(request, this.model)
    } catch (error) {
      if (error instanceof AwsError) return this.protocol.serializeError(this.model, error, { requestId: 'req-parse' })
      throw error
    }
    this.exchanges.push({ request, parsed })
    const reply = this.reply(parsed)
    const ctx = { requestId: 'req-1234', operation: parsed.operation }
    return 'error' in reply
      ? this.protocol.serializeError(this.model, reply.error, ctx)
      : this.protocol.serializeOutput(this.model, parsed.operation, reply.output, ctx)
  }

  private async fromSdk(request: SdkRequest): Promise<HttpResponse> {
    // Build the query string as the SDK's HTTP handler would put it on the wire, then parse it back.
    const pairs: string[] = []
    for (const [k, v] of Object.entries(request.query ?? {})) {
      if (v === null || v === undefined) pairs.push(encodeURIComponent(k))
      else for (const item of Array.isArray(v) ? v : [v]) pairs.push(`${encodeURIComponent(k)}=${encodeURIComponent(item)}`)
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v
    return this.handle({
      method: request.method, rawPath: request.path, query: new URLSearchParams(pairs.join('&')), headers,
      body: await collect(request.body),
    })
  }
}

async function collect(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (typeof body === 'string') return Buffer.from(body)
  // A view, not Buffer.from(body): SDK v3's JSON body is a Uint8Array subclass whose valueOf() is a string.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = []
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks)
  }
  throw new Error(`cannot read a request body of type ${typeof body}`)
}

/** Our HttpResponse as the SDK's handler would have received it off the wire (HEAD: no body). */
function toSdkResponse(response: HttpResponse, method: string) {
  const { body } = response
  const stream = method === 'HEAD' ? Readable.from([]) : body instanceof Readable ? body : Readable.from([Buffer.from(body)])
  return { statusCode: response.status, headers: { ...response.headers }, body: stream }
}

/** A node:http server in front of a harness, for SDKs (v2) that want a real endpoint. */
export async function serveHarness(harness: ProtocolHarness): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
      const response = harness.handle({
        method: req.method ?? 'GET', rawPath: url.pathname, query: url.searchParams, headers, body: Buffer.concat(chunks),
      })
      res.writeHead(response.status, response.headers)
      if (response.body instanceof Readable) response.body.pipe(res)
      else res.end(response.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  }
}

/** Drops the SDK's `$metadata` so an output can be compared with what we serialized. */
export function withoutMetadata<T extends object>(output: T): Omit<T, '$metadata'> {
  const { $metadata: _, ...rest } = output as T & { $metadata?: unknown }
  return rest
}
