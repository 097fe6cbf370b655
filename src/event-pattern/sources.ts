// Turns what a service holds (SNS message attributes, a Lambda event-source record) into the
// object a pattern is matched against.

/** An SNS message attribute as the API takes it (DataType/StringValue) or as SNS envelopes show it (Type/Value). */
export interface SnsAttribute {
  DataType?: string
  StringValue?: string
  BinaryValue?: unknown
  Type?: string
  Value?: string
}

/**
 * SNS attribute-scope filtering: String attributes match as strings, Number attributes as numbers
 * (so `{"numeric": …}` and `42` work), String.Array values are JSON arrays matched element by
 * element. Binary attributes take no part in filtering: we treat them as absent.
 */
export function snsAttributesToEvent(attributes: Readonly<Record<string, SnsAttribute>> | undefined): Record<string, unknown> {
  const event: Record<string, unknown> = {}
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    const type = attribute.DataType ?? attribute.Type ?? 'String'
    const value = attribute.StringValue ?? attribute.Value
    if (value === undefined || type.startsWith('Binary')) continue
    if (type.startsWith('Number')) {
      const n = Number(value)
      if (value.trim() !== '' && Number.isFinite(n)) event[name] = n
    } else if (type.startsWith('String.Array')) {
      const list = parseJson(value)
      if (Array.isArray(list)) event[name] = list
    } else {
      // Custom types ("String.url") are strings too.
      event[name] = value
    }
  }
  return event
}

export type LambdaRecordSource = 'sqs' | 'kinesis' | 'dynamodb'

/**
 * The object a Lambda FilterCriteria pattern sees for one record.
 * - SQS: only `body` can be filtered; a JSON body is matched as JSON, any other body as the plain
 *   string (so `{"body": ["hello"]}` works, and `{"body": {"a": …}}` never matches it).
 * - Kinesis: `data` is base64; decoded JSON is matched as JSON, anything else as the decoded string.
 *   The record's other properties stay matchable (`partitionKey`, …).
 * - DynamoDB: the record as delivered (`dynamodb.NewImage…`, `eventName`).
 */
export function lambdaFilterEvent(source: LambdaRecordSource, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  switch (source) {
    case 'sqs':
      return { body: decodeBody(typeof record['body'] === 'string' ? record['body'] : '') }
    case 'kinesis': {
      const kinesis = record['kinesis'] as Record<string, unknown> | undefined
      const raw = kinesis?.['data'] ?? record['data']
      const text = typeof raw === 'string' ? Buffer.from(raw, 'base64').toString('utf8') : ''
      return { ...record, ...kinesis, data: decodeBody(text) }
    }
    case 'dynamodb':
      return { ...record }
  }
}

function decodeBody(text: string): unknown {
  const parsed = parseJson(text)
  return parsed !== undefined && typeof parsed === 'object' && parsed !== null ? parsed : text
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
