// CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes.
import { nestsDeeperThan } from '../../../core/json-depth.ts'
import type { Operation } from '../../service.ts'
import { checkTopicDeliveryPolicy } from '../delivery-policy.ts'
import { snsErrors } from '../errors.ts'
import { limits } from '../limits.ts'
import type * as T from '../generated/types.ts'
import type { SnsState } from '../store.ts'
import type { Topic } from '../topic.ts'
import { paginate, sameRecord } from './common.ts'

const topicName = /^[A-Za-z0-9_-]{1,256}$/
const fifoTopicName = /^[A-Za-z0-9_-]{1,251}\.fifo$/

/** Attributes a client may set; FifoTopic only at creation. Delivery-status logging attributes are stored as given. */
const settable = new Set(['DisplayName', 'Policy', 'DeliveryPolicy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig',
  'ContentBasedDeduplication', 'FifoThroughputScope', 'ArchivePolicy',
  ...['HTTP', 'Firehose', 'Lambda', 'SQS', 'Application'].flatMap((p) =>
    [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`])])

function checkAttribute(name: string, value: string, fifo: boolean): void {
  if (!settable.has(name)) throw snsErrors.invalidParameter('AttributeName')
  const bad = () => snsErrors.invalidParameter(`Attributes Reason: ${name}: Invalid value [${value}].`)
  if (name === 'ContentBasedDeduplication') {
    if (!fifo) throw snsErrors.invalidParameterReason('ContentBasedDeduplication', 'Content based deduplication can only be set for FIFO topics')
    if (value !== 'true' && value !== 'false') throw bad()
  }
  if (name === 'SignatureVersion' && value !== '1' && value !== '2') throw bad()
  if (name === 'TracingConfig' && value !== 'PassThrough' && value !== 'Active') throw bad()
  if (name === 'FifoThroughputScope' && (!fifo || (value !== 'Topic' && value !== 'MessageGroup'))) throw bad()
  // A topic policy is at most 30 KB (SNS policy quotas) [R: the wording].
  if (name === 'Policy' && Buffer.byteLength(value) > limits.maxPolicyBytes) {
    throw snsErrors.invalidParameter(`Attributes Reason: Policy: must be at most ${limits.maxPolicyBytes} bytes.`)
  }
  // Nested deeper than any policy can be: refused as unparseable before anything walks it.
  if ((name === 'Policy' || name === 'DeliveryPolicy') && value !== '' && (nestsDeeperThan(value, limits.maxPolicyDepth) || !isJsonObject(value))) {
    throw snsErrors.invalidParameter(`Attributes Reason: ${name}: failed to parse JSON.`)
  }
  if (name === 'DeliveryPolicy' && value !== '') checkTopicDeliveryPolicy(value)
  if (name === 'Policy' && value !== '') checkPolicyStatements(value)
}

/** IAM's grammar: `Statement` is one statement object or a list of them [R: the wording]. */
function checkPolicyStatements(text: string): void {
  const statement = (JSON.parse(text) as { Statement?: unknown }).Statement
  const list = statement === undefined ? [] : Array.isArray(statement) ? statement : [statement]
  if (list.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) {
    throw snsErrors.invalidParameter('Attributes Reason: Policy: Statement must be a statement object or a list of them.')
  }
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
  } catch {
    return false
  }
}

function validateName(name: string, fifo: boolean): void {
  if (fifo && !fifoTopicName.test(name)) {
    throw snsErrors.invalidParameter('Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.')
  }
  if (!fifo && !topicName.test(name)) throw snsErrors.invalidParameter('Topic Name')
}

export function topicOperations(state: SnsState) {
  const createTopic: Operation<T.CreateTopicInput, T.CreateTopicResponse> = (input, ctx) => {
    const { account, region } = ctx.caller
    const given = { ...input.Attributes }
    const fifo = given.FifoTopic === 'true'
    if (given.FifoTopic !== undefined && given.FifoTopic !== 'true' && given.FifoTopic !== 'false') {
      throw snsErrors.invalidParameter(`Attributes Reason: FifoTopic: Invalid value [${given.FifoTopic}].`)
    }
    delete given.FifoTopic
    validateName(input.Name, fifo)
    for (const [name, value] of Object.entries(given)) checkAttribute(name, value, fifo)
    const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key, t.Value]))
    const existing = state.topics(account, region).get(input.Name)
    if (existing !== undefined) {
      // Idempotent for the same attributes and tags [S].
      if (Object.entries(given).some(([k, v]) => (existing.attributes[k] ?? '') !== v)) {
        throw snsErrors.invalidParameterReason('Attributes', 'Topic already exists with different attributes')
      }
      if (input.Tags !== undefined && !sameRecord(tags, Object.fromEntries(existing.tags))) {
        throw snsErrors.invalidParameterReason('Tags', 'Topic already exists with different tags')
      }
      return { TopicArn: existing.arn }
    }
    const topic = state.createTopic(account, region, input.Name, fifo, given)
    for (const [k, v] of Object.entries(tags)) topic.tags.set(k, v)
    topic.save()
    return { TopicArn: topic.arn }
  }

  // Deleting a topic that does not exist succeeds, as on AWS.
  const deleteTopic: Operation<T.DeleteTopicInput, void> = (input) => {
    const topic = state.findTopic(input.TopicArn)
    if (topic !== undefined) state.deleteTopic(topic)
  }

  const listTopics: Operation<T.ListTopicsInput, T.ListTopicsResponse> = (input, ctx) => {
    const topics: Topic[] = [...(state.regions.peek(ctx.caller.account, ctx.caller.region)?.values() ?? [])]
    const { page, next } = paginate(topics, input.NextToken)
    return { Topics: page.map((t) => ({ TopicArn: t.arn })), NextToken: next }
  }

  const getTopicAttributes: Operation<T.GetTopicAttributesInput, T.GetTopicAttributesResponse> = (input) =>
    ({ Attributes: state.requireTopic(input.TopicArn).allAttributes() })

  const setTopicAttributes: Operation<T.SetTopicAttributesInput, void> = (input) => {
    const topic = state.requireTopic(input.TopicArn)
    const value = input.AttributeValue ?? ''
    checkAttribute(input.AttributeName, value, topic.fifo)
    if (value === '' && input.AttributeName !== 'DisplayName') delete topic.attributes[input.AttributeName]
    else topic.attributes[input.AttributeName] = value
    topic.save()
  }

  return {
    CreateTopic: createTopic, DeleteTopic: deleteTopic, ListTopics: listTopics,
    GetTopicAttributes: getTopicAttributes, SetTopicAttributes: setTopicAttributes,
  }
}
