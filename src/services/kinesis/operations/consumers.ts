// Enhanced fan-out consumers: register, describe, list, deregister, with CREATING → ACTIVE and
// DELETING → gone on the clock. SubscribeToShard itself is in subscribe.ts.
import type { Operation, OperationContext } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { limits } from '../limits.ts'
import type { KinesisState } from '../store.ts'
import type { Consumer, Stream } from '../stream.ts'
import { decodeToken, encodeToken, requireStream } from './common.ts'
import { consumerLimit } from './settings.ts'

export function consumerOperations(state: KinesisState) {
  const register: Operation<T.RegisterStreamConsumerInput, T.RegisterStreamConsumerOutput> = (input, ctx) => {
    const stream = requireStream(state, { StreamARN: input.StreamARN }, ctx)
    const name = input.ConsumerName
    if (stream.consumer(name) !== undefined) {
      throw kinesisErrors.resourceInUse(`Consumer ${name} under stream ${stream.name} already exists for account ${stream.meta.account}.`) // [R]
    }
    const limit = consumerLimit(state, stream)
    if (stream.meta.consumers.length >= limit) {
      throw kinesisErrors.limitExceeded(`Consumer limit of ${limit} for stream ${stream.name} under account ${stream.meta.account} exceeded.`) // [R]
    }
    const now = state.now()
    const consumer: Consumer = { name, arn: `${stream.arn}/consumer/${name}:${Math.floor(now / 1000)}`, createdAt: now,
      status: 'CREATING', dueAt: now + state.transitionMs, tags: { ...input.Tags } }
    stream.meta.consumers.push(consumer)
    state.save(stream)
    return { Consumer: shape(consumer) }
  }

  const describe: Operation<T.DescribeStreamConsumerInput, T.DescribeStreamConsumerOutput> = (input, ctx) => {
    const { stream, consumer } = find(state, input, ctx)
    return { ConsumerDescription: { ...shape(consumer), StreamARN: stream.arn } }
  }

  const list: Operation<T.ListStreamConsumersInput, T.ListStreamConsumersOutput> = (input, ctx) => {
    // The token is checked before the stream is looked up (AWS's order: request, then resource).
    let after = ''
    if (input.NextToken !== undefined) {
      const token = decodeToken(input.NextToken)
      if (token === undefined || typeof token['after'] !== 'string') throw kinesisErrors.invalidNextToken()
      after = token['after']
    }
    const stream = requireStream(state, { StreamARN: input.StreamARN }, ctx)
    const all = [...stream.meta.consumers].sort((a, b) => (a.name < b.name ? -1 : 1)).filter((c) => c.name > after)
    const max = input.MaxResults ?? limits.listConsumersDefault
    const page = all.slice(0, max)
    return { Consumers: page.map(shape), ...(all.length > max && { NextToken: encodeToken({ after: page.at(-1)!.name }) }) }
  }

  const deregister: Operation<T.DeregisterStreamConsumerInput, void> = (input, ctx) => {
    const { stream, consumer } = find(state, input, ctx)
    if (consumer.status === 'DELETING') return
    consumer.status = 'DELETING'
    consumer.dueAt = state.now() + state.transitionMs
    state.save(stream)
  }

  return { RegisterStreamConsumer: register, DescribeStreamConsumer: describe, ListStreamConsumers: list, DeregisterStreamConsumer: deregister }
}

interface ConsumerAddress { StreamARN?: string; ConsumerName?: string; ConsumerARN?: string }

/** A consumer by its ARN, or by stream ARN and name (AWS takes either). */
export function find(state: KinesisState, input: ConsumerAddress, ctx: OperationContext): { stream: Stream; consumer: Consumer } {
  let streamArn = input.StreamARN
  let name = input.ConsumerName
  if (input.ConsumerARN !== undefined) {
    const at = input.ConsumerARN.indexOf('/consumer/')
    if (at < 0) throw kinesisErrors.invalidArgument(`ConsumerARN ${input.ConsumerARN} is invalid.`) // [R]
    streamArn = input.ConsumerARN.slice(0, at)
    name = input.ConsumerARN.slice(at + '/consumer/'.length).replace(/:\d+$/, '')
  } else if (streamArn === undefined || name === undefined) {
    throw kinesisErrors.invalidArgument('Either ConsumerARN or both ConsumerName and StreamARN must be provided.') // [R]
  }
  const stream = requireStream(state, { StreamARN: streamArn }, ctx)
  const consumer = stream.consumer(name!)
  if (consumer === undefined || (input.ConsumerARN !== undefined && consumer.arn !== input.ConsumerARN)) {
    throw kinesisErrors.notFound(`Consumer ${name} under stream ${stream.name} not found for account ${stream.meta.account}.`) // [R]
  }
  return { stream, consumer }
}

function shape(c: Consumer): T.Consumer {
  return { ConsumerName: c.name, ConsumerARN: c.arn, ConsumerStatus: c.status, ConsumerCreationTimestamp: new Date(c.createdAt) }
}
