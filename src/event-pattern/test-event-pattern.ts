// EventBridge TestEventPattern: validate the pattern (InvalidEventPatternException), validate the
// event's envelope (ValidationException "Parameter Event is not valid."), then match.
import { AwsError } from '../protocol/errors.ts'
import { compilePattern } from './compile.ts'
import { isPatternError, patternAwsError } from './errors.ts'

// The model also lists `resources` as mandatory, but AWS accepts events without it.
const REQUIRED_ENVELOPE = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const

export function testEventPattern(pattern: string, event: string): boolean {
  let compiled
  try {
    compiled = compilePattern(pattern, 'eventbridge')
  } catch (error) {
    throw isPatternError(error) ? patternAwsError(error) : error
  }
  const parsed = parseEnvelope(event)
  if (parsed === undefined) throw new AwsError('ValidationException', 'Parameter Event is not valid.')
  return compiled.matches(parsed)
}

function parseEnvelope(text: string): Record<string, unknown> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const record = parsed as Record<string, unknown>
  return REQUIRED_ENVELOPE.every((key) => record[key] !== undefined) ? record : undefined
}
