// One CloudTrail event record built from a successful API call: what event history returns in
// LookupEvents' CloudTrailEvent, what a trail's log file holds and what EventBridge receives as an
// "AWS API Call via CloudTrail" event's detail — one shape for all three.
import { randomUUID } from 'node:crypto'
import type { ApiCall } from '../service.ts'
import type { EventRecord, EventResource } from './port.ts'

export type { EventRecord }


/**
 * Response elements are recorded for calls that change something; read-only calls and data events
 * record null [R] (their responses are the data itself).
 */
export function buildRecord(call: ApiCall, time: number, readOnly: boolean, data: EventResource[] | undefined): EventRecord {
  const { account, region } = call.caller
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account,
      ...(call.caller.accessKeyId === '' ? {} : { accessKeyId: call.caller.accessKeyId }),
    },
    eventTime: isoSecond(time),
    eventSource: `${call.signingName}.amazonaws.com`,
    eventName: call.operation,
    awsRegion: region,
    sourceIPAddress: '127.0.0.1',
    userAgent: call.userAgent ?? '',
    requestParameters: cloudTrailShape(call.input) ?? null,
    responseElements: readOnly || data !== undefined ? null : (cloudTrailShape(call.output) ?? null),
    requestID: call.requestId,
    eventID: randomUUID(),
    readOnly,
    ...(data !== undefined && { resources: data.map((r) => ({ accountId: account, type: r.type, ARN: r.arn })) }),
    eventType: 'AwsApiCall',
    managementEvent: data === undefined,
    recipientAccountId: account,
    eventCategory: data === undefined ? 'Management' : 'Data',
  }
}

let lastSecond = NaN
let lastIso = ''

/** ISO 8601 to the second, as records carry it; made once per second of clock (every call needs one). */
function isoSecond(time: number): string {
  const second = Math.floor(time / 1000)
  if (second !== lastSecond) {
    lastSecond = second
    lastIso = new Date(second * 1000).toISOString().replace('.000Z', 'Z')
  }
  return lastIso
}

/**
 * CloudTrail writes top-level parameter names in lower camel case ("queueName", "topicArn"); nested
 * values (attribute maps, structures) are kept as sent [R]. Bodies and streams are left out.
 */
function cloudTrailShape(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(value)) {
    const shaped = secretMembers.has(key) ? hidden : plain(member)
    if (shaped !== undefined) out[key.charAt(0).toLowerCase() + key.slice(1)] = shaped
  }
  return Object.keys(out).length === 0 ? undefined : out
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return undefined
  if (typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function') return undefined
  return redacted(value)
}

/** Members CloudTrail never shows (connection passwords, API keys, client secrets, secret parameters). */
const secretMembers = new Set(['Password', 'ApiKeyValue', 'ClientSecret', 'SecretAccessKey', 'SessionToken'])
const hidden = 'HIDDEN_DUE_TO_SECURITY_REASONS'

/** Nested bytes (a function's zip, a record's data) and streams are left out too, never walked. */
function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted)
  if (typeof value !== 'object' || value === null) return value
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Uint8Array || typeof (value as { pipe?: unknown }).pipe === 'function') return undefined
  const secretValue = (value as { IsValueSecret?: unknown }).IsValueSecret === true
  const out: Record<string, unknown> = {}
  for (const [key, member] of Object.entries(value)) {
    const shaped = secretMembers.has(key) || (secretValue && key === 'Value') ? hidden : redacted(member)
    if (shaped !== undefined) out[key] = shaped
  }
  return out
}
