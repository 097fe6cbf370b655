// Stream lifecycle: create, delete, describe, list, mode, retention, encryption, monitoring, limits.
import type { Operation } from '../../service.ts'
import { switchEncryption } from '../encryption.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { uniformRanges } from '../hash-keys.ts'
import { limits } from '../limits.ts'
import { canonicalShardId } from '../sequence-numbers.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { decodeToken, encodeToken, requireActive, requireStream, shardShape } from './common.ts'
import { checkDistribution, checkWarmThroughputAllowed, checkWarmThroughputValue } from './settings.ts'

export function streamOperations(state: KinesisState) {
  const createStream: Operation<T.CreateStreamInput, void> = (input, ctx) => {
    const { account, region } = ctx.caller
    // Neither a mode nor a shard count (the CLI tutorial's `create-stream --stream-name Foo`): AWS
    // makes an on-demand stream. A shard count without a mode is provisioned.
    const mode = input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED')
    if (mode === 'PROVISIONED' && input.ShardCount === undefined) {
      // AWS's words when a provisioned stream names no shard count. [R]
      throw kinesisErrors.invalidArgument('ShardCount is required for PROVISIONED stream mode.')
    }
    const count = mode === 'ON_DEMAND' ? (input.ShardCount ?? limits.onDemandShards) : input.ShardCount!
    const warm = input.WarmThroughputMiBps
    if (warm !== undefined) checkWarmThroughputValue(warm)
    // AWS: up to 50 tags per stream, the ones given at creation too (the model allows 200 a request).
    if (input.Tags !== undefined && Object.keys(input.Tags).length > limits.maxTags) {
      throw kinesisErrors.invalidArgument(`Failed to create stream ${input.StreamName} under account ${account} because ` +
        `a given stream cannot have more than ${limits.maxTags} tags associated with it.`) // [R] AddTagsToStream's words
    }
    if (state.find(account, region, input.StreamName) !== undefined) throw kinesisErrors.streamExists(input.StreamName, account)
    if (warm !== undefined) checkWarmThroughputAllowed(state, { name: input.StreamName, meta: { mode, account, region } })
    checkDistribution(input.RecordDistributionStrategy, mode, input.StreamName, account)
    if (mode === 'ON_DEMAND') state.checkOnDemandStreamQuota(account, region)
    state.checkShardQuota(account, region, count)
    const stream = state.create(account, region, input.StreamName, mode, count, { ...input.Tags })
    // MaxRecordSizeInKiB (1,024–10,240 by the model) and the warm throughput it reaches once ACTIVE.
    if (input.MaxRecordSizeInKiB !== undefined) stream.meta.maxRecordSizeKiB = input.MaxRecordSizeInKiB
    if (warm !== undefined) stream.meta.warmThroughput = { targetMiBps: warm, currentMiBps: 0 }
    if (input.RecordDistributionStrategy === 'AUTO') stream.meta.recordDistribution = 'AUTO'
    const now = state.now()
    for (const [start, end] of uniformRanges(count)) stream.addShard({ start: String(start), end: String(end), createdAt: now })
    state.save(stream)
  }

  const deleteStream: Operation<T.DeleteStreamInput, void> = (input, ctx) => {
    const stream = requireStream(state, input, ctx)
    if (stream.meta.consumers.length > 0 && input.EnforceConsumerDeletion !== true) {
      throw kinesisErrors.resourceInUse(`Stream ${stream.name} under account ${stream.meta.account} has registered consumers.`) // [R]
    }
    if (stream.meta.status === 'DELETING') return
    for (const c of stream.meta.consumers) Object.assign(c, { status: 'DELETING', dueAt: state.now() + state.transitionMs })
    state.transition(stream, 'DELETING')
  }

  const describeStream: Operation<T.DescribeStreamInput, T.DescribeStreamOutput> = (input, ctx) => {
    const stream = requireStream(state, input, ctx)
    const now = state.now()
    stream.trim(now)
    // A CREATING stream describes no shards yet (AWS's answer, and the CLI tutorial's first
    // describe-stream), nor does one deleted while CREATING (AWS's answer recorded in kinesalite's suite).
    let shards = stream.visibleShards(now)
    if (input.ExclusiveStartShardId !== undefined) {
      // A loose id (`shardId-1`) in its canonical form, as ListShards reads it [R].
      const start = canonicalShardId(input.ExclusiveStartShardId) ?? input.ExclusiveStartShardId
      const after = shards.findIndex((s) => s.id === start)
      // AWS lists the shards whose ids sort after the one named, whether or not it exists.
      shards = after >= 0 ? shards.slice(after + 1) : shards.filter((s) => s.id > start)
    }
    const limit = Math.min(input.Limit ?? limits.describeStreamDefaultLimit, limits.describeStreamDefaultLimit)
    return {
      StreamDescription: {
        ...common(stream),
        Shards: shards.slice(0, limit).map(shardShape),
        HasMoreShards: shards.length > limit,
      },
    }
  }

  const describeStreamSummary: Operation<T.DescribeStreamSummaryInput, T.DescribeStreamSummaryOutput> = (input, ctx) => {
    const stream = requireStream(state, input, ctx)
    return {
      StreamDescriptionSummary: {
        ...common(stream),
        // Counted among the shards the stream shows: none while CREATING [R], the parents while UPDATING.
        OpenShardCount: stream.showsShards ? stream.openShards().length : 0,
        ConsumerCount: stream.meta.consumers.length,
        MaxRecordSizeInKiB: stream.maxRecordBytes / 1024,
        // AWS: "This field is only present for streams that use the on-demand capacity mode."
        ...(stream.meta.mode === 'ON_DEMAND' && { RecordDistributionStrategy: stream.meta.recordDistribution ?? 'USER_PARTITION_KEY' }),
        ...(stream.meta.warmThroughput !== undefined && {
          WarmThroughput: { TargetMiBps: stream.meta.warmThroughput.targetMiBps, CurrentMiBps: stream.meta.warmThroughput.currentMiBps },
        }),
      },
    }
  }

  const listStreams: Operation<T.ListStreamsInput, T.ListStreamsOutput> = (input, ctx) => {
    let after = input.ExclusiveStartStreamName
    if (input.NextToken !== undefined) {
      const token = decodeToken(input.NextToken)
      if (token === undefined || typeof token['after'] !== 'string') throw kinesisErrors.invalidNextToken()
      after = token['after']
    }
    const all = state.list(ctx.caller.account, ctx.caller.region).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    const rest = after === undefined ? all : all.filter((s) => s.name > after)
    // The model allows up to 10,000; AWS: "If you specify a value greater than 100, at most 100 results are returned."
    const limit = Math.min(input.Limit ?? limits.listStreamsDefault, limits.listStreamsDefault)
    const page = rest.slice(0, limit)
    const more = rest.length > limit
    return {
      StreamNames: page.map((s) => s.name),
      HasMoreStreams: more,
      ...(more && { NextToken: encodeToken({ after: page.at(-1)!.name }) }),
      StreamSummaries: page.map((s) => ({
        StreamName: s.name, StreamARN: s.arn, StreamStatus: s.meta.status,
        StreamModeDetails: { StreamMode: s.meta.mode }, StreamCreationTimestamp: new Date(s.meta.createdAt),
      })),
    }
  }

  const updateStreamMode: Operation<T.UpdateStreamModeInput, void> = (input, ctx) => {
    const stream = requireActive(state, { StreamARN: input.StreamARN }, ctx)
    const mode = input.StreamModeDetails.StreamMode
    if (stream.meta.mode === mode) {
      throw kinesisErrors.invalidArgument(`Stream ${stream.name} under account ${stream.meta.account} is already in ${mode} mode.`) // [R]
    }
    // AWS: "You can switch between on-demand and provisioned capacity modes … twice within 24 hours."
    const now = state.now()
    const recent = (stream.meta.modeSwitches ?? []).filter((at) => at > now - limits.modeSwitchWindowMs)
    if (recent.length >= limits.modeSwitchesPerWindow) {
      throw kinesisErrors.limitExceeded(`Stream ${stream.name} under account ${stream.meta.account} has already switched its capacity mode ` +
        `${limits.modeSwitchesPerWindow} times in the last 24 hours.`) // [R]
    }
    // AWS: WarmThroughputMiBps "is only valid when the stream mode is being updated to on-demand" [R: the refusal's wording].
    const warm = input.WarmThroughputMiBps
    if (warm !== undefined) {
      if (mode !== 'ON_DEMAND') throw kinesisErrors.invalidArgument('WarmThroughputMiBps is only valid when updating the stream mode to ON_DEMAND.')
      checkWarmThroughputValue(warm)
      checkWarmThroughputAllowed(state, { name: stream.name, meta: { mode, account: stream.meta.account, region: stream.meta.region } })
      stream.meta.warmThroughput = { targetMiBps: warm, currentMiBps: stream.meta.warmThroughput?.currentMiBps ?? 0 }
    }
    if (mode === 'ON_DEMAND') state.checkOnDemandStreamQuota(stream.meta.account, stream.meta.region)
    stream.meta.modeSwitches = [...recent, now] // saved with the stream by the transition below
    stream.meta.mode = mode
    stream.meta.modeChangedAt = now
    // AUTO is an on-demand setting: a stream switched to PROVISIONED routes by partition key again [R].
    if (mode === 'PROVISIONED') stream.meta.recordDistribution = undefined
    state.transition(stream, 'UPDATING')
  }

  const retention = (increase: boolean): Operation<T.IncreaseStreamRetentionPeriodInput, void> => (input, ctx) => {
    const hours = input.RetentionPeriodHours
    // The bounds need no stream: checked before it is looked up (AWS's order: request, then resource).
    if (hours < limits.minRetentionHours) {
      throw kinesisErrors.invalidArgument(`Minimum allowed retention period is ${limits.minRetentionHours} hours. ` +
        `Requested retention period (${hours} hours) is too short.`)
    }
    if (hours > limits.maxRetentionHours) {
      throw kinesisErrors.invalidArgument(`Maximum allowed retention period is ${limits.maxRetentionHours} hours. ` +
        `Requested retention period (${hours} hours) is too long.`)
    }
    const stream = requireActive(state, input, ctx)
    const current = stream.meta.retentionHours
    if (increase ? hours < current : hours > current) {
      throw kinesisErrors.invalidArgument(`Requested retention period (${hours} hours) for stream ${stream.name} can not be ` +
        `${increase ? 'shorter' : 'longer'} than existing retention period (${current} hours). Use ` +
        `${increase ? 'DecreaseRetentionPeriod' : 'IncreaseRetentionPeriod'} API.`)
    }
    stream.meta.retentionHours = hours
    state.save(stream)
  }

  const encryption = (start: boolean): Operation<T.StartStreamEncryptionInput, void> => (input, ctx) => {
    // AWS documents KMS as the only valid value of both operations' EncryptionType (the model's enum also has NONE).
    if (input.EncryptionType !== 'KMS') {
      throw kinesisErrors.invalidArgument(`EncryptionType ${input.EncryptionType} is not valid. The only valid value is KMS.`) // [R]
    }
    const stream = requireActive(state, input, ctx)
    // Records are encrypted (or no longer) from when the stream is ACTIVE again, not while UPDATING
    // (the spans are read against the setting before this call's).
    const now = state.now()
    if (start) {
      // Every successful StartStreamEncryption counts as a key applied [R: AWS says "a new … KMS key"].
      const recent = (stream.meta.keyApplications ?? []).filter((at) => at > now - limits.keyApplicationWindowMs)
      if (recent.length >= limits.keyApplicationsPerWindow) {
        throw kinesisErrors.limitExceeded(`Stream ${stream.name} under account ${stream.meta.account} has already had a KMS key applied ` +
          `${limits.keyApplicationsPerWindow} times in the last 24 hours.`) // [R]
      }
      stream.meta.keyApplications = [...recent, now] // saved with the stream by the transition below
    }
    switchEncryption(stream.meta, start, now + state.transitionMs, now - limits.maxRetentionHours * 3_600_000)
    stream.meta.encryption = start ? { type: input.EncryptionType, keyId: input.KeyId } : { type: 'NONE' }
    state.transition(stream, 'UPDATING')
  }

  const monitoring = (enable: boolean): Operation<T.EnableEnhancedMonitoringInput, T.EnhancedMonitoringOutput> => (input, ctx) => {
    const stream = requireActive(state, input, ctx)
    const current = [...stream.meta.shardLevelMetrics]
    const asked = input.ShardLevelMetrics.includes('ALL')
      ? ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded',
        'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds']
      : input.ShardLevelMetrics
    const next = enable ? [...new Set([...current, ...asked])] : current.filter((m) => !asked.includes(m))
    stream.meta.shardLevelMetrics = next
    state.save(stream)
    return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardLevelMetrics: current as T.MetricsName[],
      DesiredShardLevelMetrics: next as T.MetricsName[] }
  }

  const describeLimits: Operation<T.DescribeLimitsInput, T.DescribeLimitsOutput> = (_input, ctx) => {
    const { account, region } = ctx.caller
    return { ShardLimit: state.shardQuotaOf(region), OpenShardCount: state.shardCount(account, region),
      OnDemandStreamCount: state.onDemandStreamCount(account, region), OnDemandStreamCountLimit: limits.onDemandStreamCountLimit }
  }

  return {
    CreateStream: createStream, DeleteStream: deleteStream, DescribeStream: describeStream,
    DescribeStreamSummary: describeStreamSummary, ListStreams: listStreams, UpdateStreamMode: updateStreamMode,
    IncreaseStreamRetentionPeriod: retention(true), DecreaseStreamRetentionPeriod: retention(false),
    StartStreamEncryption: encryption(true), StopStreamEncryption: encryption(false),
    EnableEnhancedMonitoring: monitoring(true), DisableEnhancedMonitoring: monitoring(false),
    DescribeLimits: describeLimits,
  }
}

function common(stream: Stream) {
  const m = stream.meta
  return {
    StreamName: m.name, StreamARN: stream.arn, StreamStatus: m.status, StreamModeDetails: { StreamMode: m.mode },
    RetentionPeriodHours: m.retentionHours, StreamCreationTimestamp: new Date(m.createdAt),
    EnhancedMonitoring: [{ ShardLevelMetrics: m.shardLevelMetrics as T.MetricsName[] }],
    EncryptionType: m.encryption.type, ...(m.encryption.keyId !== undefined && { KeyId: m.encryption.keyId }),
  }
}
