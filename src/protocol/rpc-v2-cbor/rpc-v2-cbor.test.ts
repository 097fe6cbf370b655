// Smithy RPC v2 CBOR round trips on a small model: the path names the operation, timestamps and
// blobs in and out, empty bodies, errors as {__type, message} with the query code header.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decode, encode } from '../cbor/cbor.ts'
import { AwsError } from '../errors.ts'
import type { HttpRequest } from '../http.ts'
import { ServiceModel, type ServiceModelJson } from '../model.ts'
import { rpcV2Cbor } from './rpc-v2-cbor.ts'

const model = new ServiceModel({
  metadata: { apiVersion: '2020-01-01', protocol: 'rpc-v2-cbor', endpointPrefix: 'demo', signingName: 'demo', serviceId: 'Demo',
    namespace: 'com.example', awsQueryCompatible: true },
  operations: {
    Echo: { name: 'Echo', http: { method: 'POST', requestUri: '/' }, input: 'EchoInput', output: 'EchoOutput' },
    Fire: { name: 'Fire', http: { method: 'POST', requestUri: '/' }, input: 'EchoInput' },
  },
  shapes: {
    EchoInput: { type: 'structure', members: { When: { shape: 'Time' }, Data: { shape: 'Bytes' }, Tags: { shape: 'Names' }, Count: { shape: 'Int' } } },
    EchoOutput: { type: 'structure', members: { When: { shape: 'Time' }, Data: { shape: 'Bytes' }, Tags: { shape: 'Names' } } },
    Time: { type: 'timestamp' }, Bytes: { type: 'blob' }, Int: { type: 'integer' }, Name: { type: 'string' },
    Names: { type: 'list', member: { shape: 'Name' } },
    BadInput: { type: 'structure', members: { message: { shape: 'Name' } }, exception: true, error: { code: 'BadInput', httpStatusCode: 400, senderFault: true } },
  },
} as unknown as ServiceModelJson)

const request = (operation: string, body: Buffer): HttpRequest => ({
  method: 'POST', rawPath: `/service/Demo/operation/${operation}`, query: new URLSearchParams(),
  headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' }, body,
})

describe('rpc-v2-cbor', () => {
  it('reads the operation from the path and the input from CBOR (tag 1 timestamps, byte strings)', () => {
    const body = encode({ When: new Date(1_700_000_000_500), Data: new Uint8Array([1, 2]), Tags: ['a', 'b'], Count: 3 })
    const parsed = rpcV2Cbor.parseRequest(request('Echo', body), model)
    assert.equal(parsed.operation.name, 'Echo')
    assert.deepEqual(parsed.input, { When: new Date(1_700_000_000_500), Data: Buffer.from([1, 2]), Tags: ['a', 'b'], Count: 3 })
    assert.deepEqual(rpcV2Cbor.parseRequest(request('Echo', Buffer.alloc(0)), model).input, {})
  })
  it('writes output as CBOR with Dates as tag 1, and no body for an operation without output', () => {
    const out = rpcV2Cbor.serializeOutput(model, model.operation('Echo')!, { When: new Date(1_700_000_000_000), Data: Buffer.from('hi'), Tags: ['x'] }, { requestId: 'r' })
    assert.equal(out.headers['smithy-protocol'], 'rpc-v2-cbor')
    assert.ok((out.body as Buffer).toString('hex').includes(`c1fb${Buffer.from(new Float64Array([1_700_000_000]).buffer).reverse().toString('hex')}`))
    assert.deepEqual(decode(out.body as Buffer), { When: 1_700_000_000, Data: new Uint8Array(Buffer.from('hi')), Tags: ['x'] })
    assert.equal((rpcV2Cbor.serializeOutput(model, model.operation('Fire')!, {}, { requestId: 'r' }).body as Buffer).length, 0)
  })
  it('answers errors as a CBOR map with __type and the query code header', () => {
    const out = rpcV2Cbor.serializeError(model, new AwsError('BadInput', 'no'), { requestId: 'r' })
    assert.equal(out.status, 400)
    assert.equal(out.headers['x-amzn-query-error'], 'BadInput;Sender')
    assert.deepEqual(decode(out.body as Buffer), { __type: 'com.example#BadInput', message: 'no' })
  })
  it('refuses unknown operations, bodies that are not CBOR and bodies that are not maps', () => {
    assert.throws(() => rpcV2Cbor.parseRequest(request('Nope', Buffer.alloc(0)), model), /Unknown operation Nope/)
    assert.throws(() => rpcV2Cbor.parseRequest(request('Echo', Buffer.from([0x62])), model), /not valid CBOR/)
    assert.throws(() => rpcV2Cbor.parseRequest(request('Echo', encode([1])), model), /must be a CBOR map/)
    assert.throws(() => rpcV2Cbor.parseRequest(request('Echo', encode({ Count: 'x' })), model), (e: AwsError) => e.code === 'SerializationException')
  })
})
