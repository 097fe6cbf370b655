// awsJson outputs with an event-stream member (Kinesis SubscribeToShard): the handler returns an
// async iterable of `{ <UnionMember>: value }`; each becomes an event-stream message with a JSON payload.
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

export function eventStreamResponse(model: ServiceModel, member: { name: string; union: string }, output: Record<string, unknown>,
  jsonType: string, requestId: string): HttpResponse {
  const { [member.name]: source, ...rest } = output
  const unionMembers = new Map(model.members(member.union))
  async function* events() {
    for await (const event of source as AsyncIterable<Record<string, unknown>>) {
      for (const [type, value] of Object.entries(event)) {
        const ref = unionMembers.get(type)
        if (ref === undefined) continue
        yield { type, payload: Buffer.from(JSON.stringify(writeJsonShape(model, ref.shape, value) ?? {})) }
      }
    }
  }
  const initial = Buffer.from(JSON.stringify(rest))
  const body = eventStreamBody(initial, jsonType, events(), (error) => ({
    code: isAwsError(error) ? error.code : 'InternalFailureException',
    payload: Buffer.from(JSON.stringify({ message: error instanceof Error ? error.message : String(error) })),
  }))
  return { status: 200, headers: { 'content-type': eventStreamContentType, 'x-amzn-requestid': requestId }, body }
}
