// S3 prefixes with `!{namespace:value}` expressions: AWS's validation rules at configuration time
// and their evaluation at delivery (docs: "Custom prefixes for Amazon S3 objects").
import { randomUUID } from 'node:crypto'
import { dateFields, formatDate, parseDatePattern, type Token } from './date-pattern.ts'
import { firehoseErrors } from './errors.ts'

type Part = { literal: string } | { namespace: string; value: string }

const namespaces = new Set(['firehose', 'timestamp', 'partitionKeyFromQuery', 'partitionKeyFromLambda'])

/** A prefix's literal text and expressions; throws AWS's InvalidArgumentException on a malformed expression. */
export function parsePrefix(prefix: string): Part[] {
  const parts: Part[] = []
  let rest = prefix
  while (rest.length > 0) {
    const start = rest.indexOf('!{')
    if (start === -1) {
      parts.push({ literal: rest })
      break
    }
    if (start > 0) parts.push({ literal: rest.slice(0, start) })
    const end = rest.indexOf('}', start)
    const colon = rest.indexOf(':', start)
    // The sequence `!{` can only appear in `!{namespace:value}` expressions.
    if (end === -1 || colon === -1 || colon > end) throw firehoseErrors.prefix(`The sequence '!{' can only appear in '!{namespace:value}' expressions.`) // [R]
    const namespace = rest.slice(start + 2, colon)
    const value = rest.slice(colon + 1, end)
    if (!namespaces.has(namespace)) throw firehoseErrors.prefix(`Unsupported namespace: ${namespace}`) // [R]
    parts.push({ namespace, value })
    rest = rest.slice(end + 1)
  }
  return parts
}

const expressions = (parts: readonly Part[]) => parts.filter((p): p is { namespace: string; value: string } => 'namespace' in p)

const isPartitionKey = (e: { namespace: string }) => e.namespace === 'partitionKeyFromQuery' || e.namespace === 'partitionKeyFromLambda'

function checkExpression(e: { namespace: string; value: string }, field: 'Prefix' | 'ErrorOutputPrefix', dynamic: boolean): void {
  if (e.namespace === 'timestamp') {
    const tokens = parseDatePattern(e.value)
    if (typeof tokens === 'string') throw firehoseErrors.prefix(`Invalid timestamp format in ${field}: ${tokens}`) // [R]
  } else if (e.namespace === 'firehose') {
    if (e.value !== 'random-string' && e.value !== 'error-output-type') throw firehoseErrors.prefix(`Unsupported firehose expression: ${e.value}`) // [R]
    if (e.value === 'error-output-type' && field === 'Prefix') throw firehoseErrors.prefix('Prefix cannot contain !{firehose:error-output-type}') // [R]
  } else {
    // partitionKeyFromQuery / partitionKeyFromLambda: only with dynamic partitioning (AWS's words, quoted in
    // hashicorp/terraform-provider-aws#29092), only in Prefix [R wordings for the rest].
    if (!dynamic) throw firehoseErrors.invalidArgument('Dynamic Partitioning Namespaces can only be part of a prefix expression when Dynamic Partitioning is enabled.')
    if (field === 'ErrorOutputPrefix') throw firehoseErrors.prefix(`ErrorOutputPrefix cannot contain ${e.namespace} expressions`) // [R]
    if (!/^[A-Za-z0-9_-]+$/.test(e.value)) throw firehoseErrors.prefix(`Invalid partition key name in Prefix: ${e.value}`) // [R]
  }
}

/** AWS's semantic rules for a destination's Prefix and ErrorOutputPrefix (checked at create and update). */
export function checkPrefixes(prefix: string | undefined, errorPrefix: string | undefined, dynamic = false): void {
  const p = expressions(parsePrefix(prefix ?? ''))
  const e = expressions(parsePrefix(errorPrefix ?? ''))
  for (const x of p) checkExpression(x, 'Prefix', dynamic)
  for (const x of e) checkExpression(x, 'ErrorOutputPrefix', dynamic)
  // [R] wording: with dynamic partitioning the prefix must name at least one partition key.
  if (dynamic && !p.some(isPartitionKey)) {
    throw firehoseErrors.prefix('Prefix must contain at least one partitionKeyFromQuery or partitionKeyFromLambda expression when dynamic partitioning is enabled') // [R]
  }
  if (p.length > 0 && (errorPrefix === undefined || errorPrefix === '')) {
    throw firehoseErrors.prefix('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions')
  }
  if (e.length > 0 && !e.some((x) => x.namespace === 'firehose' && x.value === 'error-output-type')) {
    throw firehoseErrors.prefix('ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions') // [R]
  }
}

const defaultTime: Part = { namespace: 'timestamp', value: 'yyyy/MM/dd/HH/' }

/**
 * The evaluated prefix of an object whose oldest record arrived at `arrival`. Without a timestamp
 * expression Firehose appends `!{timestamp:yyyy/MM/dd/HH/}` (concatenated literally: `logs` gives
 * `logs2024/…`). Every timestamp in one prefix is the same instant; each random string is new.
 */
export function evaluatePrefix(prefix: string, arrival: number, timeZone: string | undefined, errorType?: string,
  keys?: PartitionKeys): string {
  const parts = parsePrefix(prefix)
  // A dynamically partitioned prefix is used as written: no default timestamp is appended [R].
  if (keys === undefined && !expressions(parts).some((e) => e.namespace === 'timestamp')) parts.push(defaultTime)
  const fields = dateFields(arrival, timeZone || 'UTC')
  return parts.map((part) => {
    if ('literal' in part) return part.literal
    if (part.namespace === 'timestamp') return formatDate(parseDatePattern(part.value) as Token[], fields)
    if (isPartitionKey(part)) return keyOf(part, keys) ?? ''
    if (part.value === 'random-string') return randomUUID().slice(0, 11)
    return errorType ?? ''
  }).join('')
}

export interface PartitionKeys {
  query?: Record<string, string>
  lambda?: Record<string, string>
}

const keyOf = (e: { namespace: string; value: string }, keys: PartitionKeys | undefined): string | undefined =>
  (e.namespace === 'partitionKeyFromQuery' ? keys?.query : keys?.lambda)?.[e.value]

/**
 * A record's partition under a dynamically partitioned prefix: the values of the prefix's partition
 * keys (records with the same values share a buffer and an object), or the expression that has no value.
 */
export function partitionOf(prefix: string, keys: PartitionKeys | undefined): { id: string } | { missing: string } {
  const values: string[] = []
  for (const e of expressions(parsePrefix(prefix)).filter(isPartitionKey)) {
    const value = keyOf(e, keys)
    if (value === undefined || value === '') return { missing: `!{${e.namespace}:${e.value}}` }
    values.push(value)
  }
  return { id: JSON.stringify(values) }
}

/**
 * Where failed records go. With no ErrorOutputPrefix (allowed only when Prefix has no expressions):
 * `<Prefix><error-output-type>/yyyy/MM/dd/HH/` ([R] on the slash after the type).
 */
export function evaluateErrorPrefix(prefix: string, errorPrefix: string | undefined, arrival: number, timeZone: string | undefined,
  errorType: string): string {
  if (errorPrefix === undefined || errorPrefix === '') return evaluatePrefix(`${prefix}${errorType}/`, arrival, timeZone)
  return evaluatePrefix(errorPrefix, arrival, timeZone, errorType)
}
