// StartDeliveryStreamEncryption / StopDeliveryStreamEncryption: stored, ENABLING → ENABLED (DISABLING → DISABLED) on the clock.
import type { Operation } from '../../service.ts'
import { firehoseErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { DeliveryStream } from '../delivery-stream.ts'
import { limits } from '../limits.ts'
import type { FirehoseState } from '../store.ts'

/** The KeyType/KeyARN pairing (the model's enum and ARN pattern were checked before, index.ts). */
export function checkEncryptionInput(input: T.DeliveryStreamEncryptionConfigurationInput): void {
  // [R] AWS's wording for the KeyType/KeyARN pairing.
  if (input.KeyType === 'CUSTOMER_MANAGED_CMK' && input.KeyARN === undefined) {
    throw firehoseErrors.invalidArgument('KeyARN must be specified when KeyType is CUSTOMER_MANAGED_CMK.') // [R]
  }
  if (input.KeyType === 'AWS_OWNED_CMK' && input.KeyARN !== undefined) {
    throw firehoseErrors.invalidArgument('KeyARN must not be specified when KeyType is AWS_OWNED_CMK.') // [R]
  }
}

export function encryptionOperations(state: FirehoseState) {
  /** Counts a Start or Stop against the stream's 25 calls in 24 hours (refused past them, changing nothing). */
  const counted = (stream: DeliveryStream): void => {
    const now = state.clock.now()
    const recent = stream.encryptionCalls.filter((at) => now - at < limits.encryptionWindowMs)
    if (recent.length >= limits.maxEncryptionCalls) throw firehoseErrors.encryptionCalls(stream.name)
    stream.encryptionCalls = [...recent, now]
  }

  const start: Operation<T.StartDeliveryStreamEncryptionInput, T.StartDeliveryStreamEncryptionOutput> = (input, ctx) => {
    // The request is checked before the stream is looked up (AWS's order: request, then resource).
    const config = input.DeliveryStreamEncryptionConfigurationInput ?? { KeyType: 'AWS_OWNED_CMK' as const }
    checkEncryptionInput(config)
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    if (stream.type !== 'DirectPut') {
      throw firehoseErrors.invalidArgument(`Encryption is not supported for ${stream.type} delivery streams.`) // [R]
    }
    counted(stream)
    stream.encryption = { keyType: config.KeyType, keyArn: config.KeyARN, enabled: true, changedAt: state.clock.now() }
    state.saved(stream)
    return {}
  }

  const stop: Operation<T.StopDeliveryStreamEncryptionInput, T.StopDeliveryStreamEncryptionOutput> = (input, ctx) => {
    const stream = state.require(ctx.caller.account, ctx.caller.region, input.DeliveryStreamName)
    counted(stream)
    if (stream.encryption !== undefined && stream.encryption.enabled) {
      stream.encryption = { ...stream.encryption, enabled: false, changedAt: state.clock.now() }
    }
    state.saved(stream)
    return {}
  }

  return { StartDeliveryStreamEncryption: start, StopDeliveryStreamEncryption: stop }
}
