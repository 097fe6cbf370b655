// awsJson outputs with an event-stream member (Kinesis SubscribeToShard): the handler returns an
// async iterable of `{ <UnionMember>: value }`; each becomes an event-stream message whose payload
// is in the request's codec — JSON here, CBOR for the CBOR flavour (cbor/cbor-protocol.ts).
import { isAwsError } from '../errors.ts'
import { eventStreamBody, eventStreamContentType } from '../event-stream.ts'
import type { HttpResponse } from '../http.ts'
import { writeJsonShape } from '../json-shapes.ts'
import type { ServiceModel } from '../model.ts'

type StreamMember = { name: string; union: string } | undefined

/** Per model and output shape, computed once: every JSON answer (the SQS hot path) asks. */
const members = new WeakMap<ServiceModel, Map<string, StreamMember>>()

/** The output's event-stream member, if its shape has one. */
export function eventStreamMember(model: ServiceModel, outputShape: string): StreamMember {
  let cache = members.get(model)
  if (cache === undefined) members.set(model, (cache = new Map()))
  if (cache.has(outputShape)) return cache.get(outputShape)
  let found: StreamMember
  for (const [name, member] of model.members(outputShape)) {
    if (model.shape(member.shape).eventstream === true) found = { name, union: member.shape }
  }
  cache.set(outputShape, found)
  return found
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}

/** How a protocol writes an event's payload: a member value of a shape, or a plain object (initial response, exception). */
export type PayloadEncoder = (value: unknown, shape?: string) => Buffer

export function jsonPayload(model: ServiceModel): PayloadEncoder {
  return (value, shape) => Buffer.from(JSON.stringify((shape === undefined ? value : writeJsonShape(model, shape, value)) ?? {}))
}

/**
 * The response of an event-stream operation: each message's `:content-type` is the protocol's own
 * (`application/x-amz-json-1.1` or `application/x-amz-cbor-1.1`), the body's is the event stream's.
 */
export function eventStreamResponse(model: ServiceModel, member: { name: string; union: string }, output: Record<string, unknown>,
  payloadType: string, requestId: string, encode: PayloadEncoder = jsonPayload(model)): HttpResponse {
  const { [member.name]: source, ...rest } = output
  const unionMembers = new Map(model.members(member.union))
  async function* events() {
    for await (const event of source as AsyncIterable<Record<string, unknown>>) {
      for (const [type, value] of Object.entries(event)) {
        const ref = unionMembers.get(type)
        if (ref === undefined) continue
        yield { type, payload: encode(value, ref.shape) }
      }
    }
  }
  const body = eventStreamBody(encode(rest), payloadType, events(), (error) => ({
    code: isAwsError(error) ? error.code : 'InternalFailureException',
    payload: encode({ message: error instanceof Error ? error.message : String(error) }),
  }))
  return { status: 200, headers: { 'content-type': eventStreamContentType, 'x-amzn-requestid': requestId }, body }
}
