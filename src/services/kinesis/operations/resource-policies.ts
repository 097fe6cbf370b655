// Resource-based policies on a stream or a consumer (PutResourcePolicy, GetResourcePolicy,
// DeleteResourcePolicy) by ARN: stored with the stream (durable with it) and answered back; under
// `--enforce-iam` they are enforced before each operation (access.ts).
import type { Operation, OperationContext } from '../../service.ts'
import { kinesisErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { KinesisState } from '../store.ts'
import type { Stream } from '../stream.ts'
import { requireStream } from './common.ts'
import { find } from './consumers.ts'

/** Where a resource's policy lives: the stream's own fields or its consumer's. */
type Holder = { policy?: string }

export function resourcePolicyOperations(state: KinesisState) {
  const holder = (arn: string, ctx: OperationContext): { stream: Stream; target: Holder } => {
    if (arn.includes('/consumer/')) {
      const { stream, consumer } = find(state, { ConsumerARN: arn }, ctx)
      return { stream, target: consumer }
    }
    const stream = requireStream(state, { StreamARN: arn }, ctx)
    return { stream, target: stream.meta }
  }

  const putResourcePolicy: Operation<T.PutResourcePolicyInput, void> = (input, ctx) => {
    // The document is checked before the resource is looked up (AWS's order: request, then resource).
    let parsed: unknown
    try {
      parsed = JSON.parse(input.Policy)
    } catch {
      parsed = undefined
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw kinesisErrors.invalidArgument('Invalid JSON in the policy document.') // [R]
    }
    const { stream, target } = holder(input.ResourceARN, ctx)
    target.policy = input.Policy
    state.save(stream)
  }
  const getResourcePolicy: Operation<T.GetResourcePolicyInput, T.GetResourcePolicyOutput> = (input, ctx) =>
    // A resource without a policy answers an empty document [R].
    ({ Policy: holder(input.ResourceARN, ctx).target.policy ?? '{}' })
  const deleteResourcePolicy: Operation<T.DeleteResourcePolicyInput, void> = (input, ctx) => {
    const { stream, target } = holder(input.ResourceARN, ctx)
    if (target.policy === undefined) throw kinesisErrors.notFound(`No resource policy found for resource ${input.ResourceARN}.`) // [R]
    delete target.policy
    state.save(stream)
  }
  return { PutResourcePolicy: putResourcePolicy, GetResourcePolicy: getResourcePolicy, DeleteResourcePolicy: deleteResourcePolicy }
}

