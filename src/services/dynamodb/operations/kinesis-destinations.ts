// Enable/Disable/Describe/UpdateKinesisStreamingDestination: a table's item changes go to a Kinesis
// data stream (kinesis-destinations.ts) while its destination is ACTIVE. Status on the clock.
import { AwsError } from '../../../protocol/errors.ts'
import type { Operation, OperationContext } from '../../service.ts'
import { dynamoErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { destinationStatus, parseStreamArn } from '../kinesis-destinations.ts'
import type { DynamoState } from '../store.ts'

// [R] the messages of these calls.
const streamNotFound = (arn: string) => dynamoErrors.resourceNotFoundWith(`Requested resource not found: Stream: ${arn} not found`)

export function kinesisDestinationOperations(state: DynamoState) {
  const tableFor = (name: string, ctx: OperationContext) => {
    const table = state.find(ctx.caller.account, ctx.caller.region, name)
    if (table === undefined || table.def.goneAt !== undefined) throw dynamoErrors.tableNotFound(name)
    return table
  }
  // AWS streams only to a Kinesis stream of the table's own account and region.
  const checkArn = (arn: string, ctx: OperationContext) => {
    const target = parseStreamArn(arn)
    if (target === undefined) throw dynamoErrors.validation(`Invalid StreamArn provided: ${arn}`) // [R]
    if (state.kinesis === undefined || !state.kinesis.streamExists(target.account, target.region, target.name) ||
      target.account !== ctx.caller.account || target.region !== ctx.caller.region) throw streamNotFound(arn)
  }

  const enable: Operation<T.KinesisStreamingDestinationInput, T.KinesisStreamingDestinationOutput> = (input, ctx) => {
    const table = tableFor(input.TableName, ctx)
    checkArn(input.StreamArn, ctx)
    const now = ctx.clock.now()
    if (table.status(now) !== 'ACTIVE') throw dynamoErrors.inUse(`Table: ${table.name}`) // [R]
    const list = table.def.kinesis ?? []
    const existing = list.find((d) => d.streamArn === input.StreamArn)
    // AWS: a table streams to one Kinesis data stream at a time (enabling it again, or another, is refused). [R] the wording.
    const enabled = list.find((d) => d.enabled)
    if (enabled !== undefined) {
      throw new AwsError('ResourceInUseException', `Table ${table.name} already has an enabled Kinesis streaming destination: ${enabled.streamArn}`)
    }
    const precision = input.EnableKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision ?? 'MILLISECOND'
    const destination = { streamArn: input.StreamArn, enabled: true, at: now, precision }
    table.def.kinesis = [...list.filter((d) => d !== existing), destination]
    state.saved(table)
    return { TableName: table.name, StreamArn: input.StreamArn, DestinationStatus: 'ENABLING',
      EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: precision } }
  }

  const disable: Operation<T.KinesisStreamingDestinationInput, T.KinesisStreamingDestinationOutput> = (input, ctx) => {
    const table = tableFor(input.TableName, ctx)
    const destination = table.def.kinesis?.find((d) => d.streamArn === input.StreamArn && d.enabled)
    // [R] disabling a destination that is not enabled.
    if (destination === undefined) throw dynamoErrors.validation(`Table ${table.name} is not streaming to ${input.StreamArn}`)
    destination.enabled = false
    destination.at = ctx.clock.now()
    state.saved(table)
    return { TableName: table.name, StreamArn: input.StreamArn, DestinationStatus: 'DISABLING',
      EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: destination.precision } }
  }

  const describe: Operation<T.DescribeKinesisStreamingDestinationInput, T.DescribeKinesisStreamingDestinationOutput> = (input, ctx) => {
    const table = tableFor(input.TableName, ctx)
    const now = ctx.clock.now()
    return {
      TableName: table.name,
      KinesisDataStreamDestinations: (table.def.kinesis ?? []).map((d) => ({
        StreamArn: d.streamArn, DestinationStatus: destinationStatus(d, now), ApproximateCreationDateTimePrecision: d.precision,
      })),
    }
  }

  const update: Operation<T.UpdateKinesisStreamingDestinationInput, T.UpdateKinesisStreamingDestinationOutput> = (input, ctx) => {
    const table = tableFor(input.TableName, ctx)
    const destination = table.def.kinesis?.find((d) => d.streamArn === input.StreamArn && d.enabled)
    if (destination === undefined) throw dynamoErrors.validation(`Table ${table.name} is not streaming to ${input.StreamArn}`) // [R]
    const precision = input.UpdateKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision
    if (precision === undefined) throw dynamoErrors.validation('UpdateKinesisStreamingConfiguration must be specified') // [R]
    if (destinationStatus(destination, ctx.clock.now()) !== 'ACTIVE') throw dynamoErrors.inUse(`Kinesis streaming destination: ${input.StreamArn}`) // [R]
    destination.precision = precision
    state.saved(table)
    return { TableName: table.name, StreamArn: input.StreamArn, DestinationStatus: 'UPDATING',
      UpdateKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: precision } }
  }

  return {
    EnableKinesisStreamingDestination: enable, DisableKinesisStreamingDestination: disable,
    DescribeKinesisStreamingDestination: describe, UpdateKinesisStreamingDestination: update,
  }
}
