// Shared by the handlers: pagination, name checks with AWS's constraint wording, pattern compilation.
import { type CompiledPattern, compilePattern, isPatternError, patternAwsError } from '../../../event-pattern/index.ts'
import { ebErrors } from '../errors.ts'
import { limits } from '../limits.ts'

/** Opaque NextToken (a base64 offset); Limit 1–100. */
export function page<T>(items: readonly T[], token: string | undefined, limit: number | undefined): { items: T[]; next: string | undefined } {
  if (limit !== undefined && (limit < 1 || limit > 100)) {
    throw ebErrors.constraint(String(limit), 'Limit', limit < 1 ? 'Member must have value greater than or equal to 1'
      : 'Member must have value less than or equal to 100')
  }
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'))
  if (!Number.isInteger(start) || start < 0) throw ebErrors.validation('The NextToken provided is invalid.')
  const end = start + (limit ?? limits.pageSize)
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined }
}

/** The model's patterns, and how AWS prints them in the message. */
const ruleNamePattern = { test: /^[.\-_A-Za-z0-9]+$/, text: '[\\.\\-_A-Za-z0-9]+' }
const busNamePattern = { test: /^[/.\-_A-Za-z0-9]+$/, text: '[/\\.\\-_A-Za-z0-9]+' }

/** Checks a name against the model's length and pattern, with Coral's message for the first failure. */
export function checkName(value: string, path: string, max: number, pattern = ruleNamePattern): void {
  if (value.length > max) throw ebErrors.constraint(value, path, `Member must have length less than or equal to ${max}`)
  if (value.length < 1) throw ebErrors.constraint(value, path, 'Member must have length greater than or equal to 1')
  if (!pattern.test.test(value)) throw ebErrors.constraint(value, path, `Member must satisfy regular expression pattern: ${pattern.text}`)
}

export const checkBusName = (value: string, path = 'Name') => checkName(value, path, 256, busNamePattern)

export function compileEventPattern(text: string): CompiledPattern {
  try {
    return compilePattern(text, 'eventbridge')
  } catch (error) {
    throw isPatternError(error) ? patternAwsError(error) : error
  }
}

export const tagList = (tags: ReadonlyMap<string, string>) => [...tags].map(([Key, Value]) => ({ Key, Value }))
