// Delivery policies (aws-behaviour.md §3.8): which retries an HTTP/S delivery gets, when, and
// with which Content-Type. Only HTTP/S policies are configurable on AWS; the topic's `http` section
// gives defaults a subscription's own DeliveryPolicy overrides (unless the topic disables that).
import { fourPhaseDelays, type RetryPolicy as FabricRetryPolicy } from '../../fabric/policy.ts'
import { snsErrors } from './errors.ts'

export interface RetryPolicy {
  minDelayTarget: number
  maxDelayTarget: number
  numRetries: number
  numNoDelayRetries: number
  numMinDelayRetries: number
  numMaxDelayRetries: number
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential'
}

export interface HttpDeliveryPolicy {
  retry: RetryPolicy
  /** requestPolicy.headerContentType */
  contentType: string
}

/** AWS's default for HTTP/S: three retries, 20 s apart [D]. */
export const defaultRetryPolicy: RetryPolicy = {
  minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0,
  numMinDelayRetries: 0, backoffFunction: 'linear',
}
export const defaultContentType = 'text/plain; charset=UTF-8'

/** The hard ceiling on an HTTP/S retry schedule: one hour [D]. */
const maxTotalSeconds = 3600
const backoffFunctions = ['linear', 'arithmetic', 'geometric', 'exponential']
const counters = ['numRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'numMaxDelayRetries'] as const

interface SubscriptionPolicyDoc {
  healthyRetryPolicy?: Partial<RetryPolicy>
  requestPolicy?: { headerContentType?: string }
}
interface TopicPolicyDoc {
  http?: { defaultHealthyRetryPolicy?: Partial<RetryPolicy>; disableSubscriptionOverrides?: boolean;
    defaultRequestPolicy?: { headerContentType?: string } }
}

/** The seconds to wait before each retry, in order: the fabric's four-phase curve (fabric/policy.ts). */
export function retryDelays(policy: RetryPolicy): number[] {
  return fourPhaseDelays(policy)
}

/** An HTTP/S subscription's policy as the fabric follows it: numRetries retries on the four-phase curve. */
export function fabricRetryPolicy(policy: RetryPolicy): FabricRetryPolicy {
  return { maxRetries: policy.numRetries, backoff: { kind: 'four-phase', ...policy } }
}

/** The policy an HTTP/S subscription actually gets: subscription over topic over AWS's default. */
export function effectiveHttpPolicy(topicPolicy: string | undefined, subscriptionPolicy: string | undefined): HttpDeliveryPolicy {
  const topic = topicPolicy === undefined ? undefined : (JSON.parse(topicPolicy) as TopicPolicyDoc).http
  const sub = subscriptionPolicy === undefined || topic?.disableSubscriptionOverrides === true
    ? undefined : JSON.parse(subscriptionPolicy) as SubscriptionPolicyDoc
  return {
    retry: { ...defaultRetryPolicy, ...topic?.defaultHealthyRetryPolicy, ...sub?.healthyRetryPolicy },
    contentType: sub?.requestPolicy?.headerContentType ?? topic?.defaultRequestPolicy?.headerContentType ?? defaultContentType,
  }
}

/** The EffectiveDeliveryPolicy an HTTP/S subscription shows. */
export function effectivePolicyDocument(policy: HttpDeliveryPolicy): string {
  return JSON.stringify({
    healthyRetryPolicy: policy.retry, sicklyRetryPolicy: null, throttlePolicy: null,
    requestPolicy: { headerContentType: policy.contentType }, guaranteed: false,
  })
}

/** Checks a topic's DeliveryPolicy (the `http` section) as SetTopicAttributes does. */
export function checkTopicDeliveryPolicy(text: string): void {
  const doc = parseDoc(text) as TopicPolicyDoc
  if (doc.http?.defaultHealthyRetryPolicy !== undefined) checkRetryPolicy(doc.http.defaultHealthyRetryPolicy)
  checkContentType(doc.http?.defaultRequestPolicy?.headerContentType)
}

/** Checks a subscription's DeliveryPolicy as Subscribe/SetSubscriptionAttributes do. */
export function checkSubscriptionDeliveryPolicy(text: string): void {
  const doc = parseDoc(text) as SubscriptionPolicyDoc
  if (doc.healthyRetryPolicy !== undefined) checkRetryPolicy(doc.healthyRetryPolicy)
  checkContentType(doc.requestPolicy?.headerContentType)
}

function parseDoc(text: string): Record<string, unknown> {
  try {
    const doc: unknown = JSON.parse(text)
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return doc as Record<string, unknown>
  } catch {
    // fall through to AWS's error
  }
  throw invalid('failed to parse JSON.')
}

// The reasons are Nimbus's wording of AWS's documented rules [R].
function checkRetryPolicy(partial: Partial<RetryPolicy>): void {
  const policy = { ...defaultRetryPolicy, ...partial }
  for (const name of ['minDelayTarget', 'maxDelayTarget', ...counters] as const) {
    const value = policy[name]
    if (!Number.isInteger(value) || value < 0) throw invalid(`${name} must be a non-negative integer.`)
  }
  if (policy.minDelayTarget < 1) throw invalid('minDelayTarget must be at least 1.')
  if (policy.maxDelayTarget < policy.minDelayTarget) throw invalid('maxDelayTarget must be greater than or equal to minDelayTarget.')
  if (policy.maxDelayTarget > maxTotalSeconds) throw invalid(`maxDelayTarget must be at most ${maxTotalSeconds}.`)
  if (policy.numRetries > 100) throw invalid('numRetries must be at most 100.')
  const phases = policy.numNoDelayRetries + policy.numMinDelayRetries + policy.numMaxDelayRetries
  if (phases > policy.numRetries) throw invalid('the sum of numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries must not exceed numRetries.')
  if (!backoffFunctions.includes(policy.backoffFunction)) throw invalid(`backoffFunction must be one of ${backoffFunctions.join(', ')}.`)
  const total = retryDelays(policy).reduce((sum, d) => sum + d, 0)
  if (total > maxTotalSeconds) throw invalid(`the retry policy's total time (${total} s) exceeds ${maxTotalSeconds} s.`)
}

/** The content types AWS lets a delivery policy choose [R]. */
const contentTypes = new Set(['application/json', 'application/xml', 'text/html', 'text/plain', 'text/xml'])

function checkContentType(value: unknown): void {
  if (value === undefined) return
  // A charset parameter may follow ("text/plain; charset=UTF-8", AWS's default).
  const base = typeof value === 'string' ? value.split(';')[0]!.trim().toLowerCase() : ''
  const charset = typeof value === 'string' ? value.split(';').slice(1).join(';').trim() : ''
  if (!contentTypes.has(base) || !/^(charset=[A-Za-z0-9._-]+)?$/i.test(charset)) {
    throw invalid(`headerContentType must be one of ${[...contentTypes].join(', ')} (optionally with a charset).`)
  }
}

const invalid = (reason: string) => snsErrors.invalidParameter(`DeliveryPolicy: ${reason}`)
