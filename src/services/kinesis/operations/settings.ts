// A stream's newer settings and the account's: UpdateMaxRecordSize (records up to 10 MiB),
// UpdateStreamWarmThroughput and UpdateStreamRecordDistributionStrategy (on-demand streams),
// Describe/UpdateAccountSettings (the minimum throughput billing commitment warm throughput needs).
import type { Operation } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { AccountSettings } from '../kinesis-rows.ts'
import { limits } from '../limits.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { requireActive } from './common.ts'

export function settingsOperations(state: KinesisState) {
  const updateMaxRecordSize: Operation<T.UpdateMaxRecordSizeInput, void> = (input, ctx) => {
    // The model bounds it (1,024–10,240, ValidationException); any mode, any ACTIVE stream. The new
    // limit holds from the next write; records already stored stay as they are. [R: AWS may pass
    // through UPDATING; Nimbus applies it at once]
    const stream = requireActive(state, { StreamARN: input.StreamARN }, ctx)
    stream.meta.maxRecordSizeKiB = input.MaxRecordSizeInKiB
    state.save(stream)
  }

  const updateStreamWarmThroughput: Operation<T.UpdateStreamWarmThroughputInput, T.UpdateStreamWarmThroughputOutput> = (input, ctx) => {
    const target = input.WarmThroughputMiBps
    checkWarmThroughputValue(target)
    const stream = requireActive(state, input, ctx)
    checkWarmThroughputAllowed(state, stream)
    const current = stream.meta.warmThroughput?.currentMiBps ?? 0
    // AWS: "returns immediately and sets the status of the stream to UPDATING"; reads and writes go on.
    stream.meta.warmThroughput = { targetMiBps: target, currentMiBps: current }
    state.transition(stream, 'UPDATING')
    return { StreamARN: stream.arn, StreamName: stream.name, WarmThroughput: { TargetMiBps: target, CurrentMiBps: current } }
  }

  const updateRecordDistribution: Operation<T.UpdateStreamRecordDistributionStrategyInput, void> = (input, ctx) => {
    const stream = requireActive(state, { StreamARN: input.StreamARN }, ctx)
    const strategy = input.RecordDistributionStrategy
    checkDistribution(strategy, stream.meta.mode, stream.name, stream.meta.account)
    // "the change takes effect immediately without downtime": the stream stays ACTIVE; records
    // already stored keep their shards.
    stream.meta.recordDistribution = strategy
    state.save(stream)
  }

  const describeAccountSettings: Operation<T.DescribeAccountSettingsInput, T.DescribeAccountSettingsOutput> = (_input, ctx) =>
    ({ MinimumThroughputBillingCommitment: commitmentShape(settle(state, ctx.caller.account, ctx.caller.region)) })

  const updateAccountSettings: Operation<T.UpdateAccountSettingsInput, T.UpdateAccountSettingsOutput> = (input, ctx) => {
    const { account, region } = ctx.caller
    const now = state.now()
    const current = settle(state, account, region)
    const next = nextCommitment(current, input.MinimumThroughputBillingCommitment.Status, now)
    state.saveAccountSettings(account, region, next)
    return { MinimumThroughputBillingCommitment: commitmentShape(next) }
  }

  return {
    UpdateMaxRecordSize: updateMaxRecordSize,
    UpdateStreamWarmThroughput: updateStreamWarmThroughput,
    UpdateStreamRecordDistributionStrategy: updateRecordDistribution,
    DescribeAccountSettings: describeAccountSettings,
    UpdateAccountSettings: updateAccountSettings,
  }
}

/**
 * AWS's rules (MinimumThroughputBillingCommitmentInput): "Commitments have a minimum duration of 24
 * hours that must be honored before they can be disabled"; disabling earlier "will be scheduled for
 * automatic disable at the earliest allowed end time" (ENABLED_UNTIL_EARLIEST_ALLOWED_END); "You can
 * cancel a pending disable by enabling the commitment again before the earliest allowed end time."
 * Asking for the status it already has changes nothing [R].
 */
export function nextCommitment(current: AccountSettings, asked: 'ENABLED' | 'DISABLED', now: number): AccountSettings {
  if (asked === 'ENABLED') {
    if (current.status === 'ENABLED') return current
    if (current.status === 'ENABLED_UNTIL_EARLIEST_ALLOWED_END') return { ...current, status: 'ENABLED' }
    return { status: 'ENABLED', startedAt: now, earliestAllowedEndAt: now + limits.commitmentMinimumMs }
  }
  if (current.status === 'DISABLED' || current.status === 'ENABLED_UNTIL_EARLIEST_ALLOWED_END') return current
  if (current.earliestAllowedEndAt !== undefined && now < current.earliestAllowedEndAt) {
    return { ...current, status: 'ENABLED_UNTIL_EARLIEST_ALLOWED_END' }
  }
  return { ...current, status: 'DISABLED', endedAt: now }
}

/** A pending disable whose earliest end has come is DISABLED (ended then), applied when next read. */
function settle(state: KinesisState, account: string, region: string): AccountSettings {
  const settings = state.accountSettings(account, region)
  if (settings.status !== 'ENABLED_UNTIL_EARLIEST_ALLOWED_END' || state.now() < settings.earliestAllowedEndAt!) return settings
  const ended: AccountSettings = { ...settings, status: 'DISABLED', endedAt: settings.earliestAllowedEndAt }
  state.saveAccountSettings(account, region, ended)
  return ended
}

function commitmentShape(s: AccountSettings): T.MinimumThroughputBillingCommitmentOutput {
  return {
    Status: s.status,
    ...(s.startedAt !== undefined && { StartedAt: new Date(s.startedAt) }),
    ...(s.endedAt !== undefined && { EndedAt: new Date(s.endedAt) }),
    ...(s.earliestAllowedEndAt !== undefined && { EarliestAllowedEndAt: new Date(s.earliestAllowedEndAt) }),
  }
}

/** Past 10 GiBps (AWS's default limit for an on-demand stream's warm throughput). [R: wording and code] */
export function checkWarmThroughputValue(mibps: number): void {
  if (mibps > limits.maxWarmThroughputMiBps) {
    throw kinesisErrors.limitExceeded(`Requested warm throughput ${mibps} MiBps exceeds the maximum of ${limits.maxWarmThroughputMiBps} MiBps.`)
  }
}

/**
 * AWS: warm throughput "is only supported for data streams with the on-demand capacity mode in
 * accounts that have MinimumThroughputBillingCommitment enabled" [R: both messages' wording].
 */
export function checkWarmThroughputAllowed(state: KinesisState, stream: { name: string; meta: Pick<Stream['meta'], 'mode' | 'account' | 'region'> }): void {
  if (stream.meta.mode !== 'ON_DEMAND') {
    throw kinesisErrors.invalidArgument(`Warm throughput is not supported for stream ${stream.name} under account ${stream.meta.account} ` +
      'in PROVISIONED mode.')
  }
  const commitment = settle(state, stream.meta.account, stream.meta.region).status
  if (commitment === 'DISABLED') {
    throw kinesisErrors.invalidArgument(`Warm throughput requires MinimumThroughputBillingCommitment to be enabled for account ${stream.meta.account}.`)
  }
}

/**
 * Enhanced fan-out consumers a stream may have: "With On-demand Advantage mode, you can register up to 50
 * consumers per stream … With On-demand Standard and Provisioned streams, … up to 20". On-demand Advantage
 * is the account's MinimumThroughputBillingCommitment (ENABLED, or ending at its earliest allowed end);
 * AWS offers the 50 in a list of Regions, not modelled (every Region here) [R].
 */
export function consumerLimit(state: KinesisState, stream: Stream): number {
  if (stream.meta.mode !== 'ON_DEMAND') return limits.maxConsumersPerStream
  return settle(state, stream.meta.account, stream.meta.region).status === 'DISABLED' ? limits.maxConsumersPerStream : limits.maxConsumersAdvantage
}

/**
 * AWS: "Attempting to set AUTO on a provisioned stream results in an InvalidArgumentException"
 * [R: the message]; USER_PARTITION_KEY, the default, is any stream's.
 */
export function checkDistribution(strategy: string | undefined, mode: string, name: string, account: string): void {
  if (strategy !== 'AUTO' || mode === 'ON_DEMAND') return
  throw kinesisErrors.invalidArgument(`Record distribution strategy AUTO is not supported for stream ${name} under account ${account} ` +
    'in PROVISIONED mode.')
}
