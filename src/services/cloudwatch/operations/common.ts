// Validation and pagination every CloudWatch operation shares.
import { cloudWatchErrors } from '../errors.ts'

/** Opaque page tokens: the position after the last item returned, tied to the request's kind. */
export function pageToken(kind: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: kind, o: offset })).toString('base64')
}

export function readPageToken(kind: string, token: string | undefined): number {
  if (token === undefined) return 0
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { k?: unknown; o?: unknown }
    if (parsed.k === kind && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o
  } catch {
    // fall through
  }
  throw cloudWatchErrors.invalidNextToken()
}

/** Length constraints as AWS's front end words them. */
export function checkLength(value: string | undefined, member: string, min: number, max: number): void {
  if (value === undefined) return
  if (value.length < min) throw cloudWatchErrors.validation(value, member, `Member must have length greater than or equal to ${min}`)
  if (value.length > max) throw cloudWatchErrors.validation(value, member, `Member must have length less than or equal to ${max}`)
}

/** A namespace is 1–255 characters and doesn't start with a colon (the model's pattern `[^:].*`). */
export function checkNamespace(value: string | undefined, member = 'namespace'): void {
  checkLength(value, member, 1, 255)
  if (value !== undefined && value.startsWith(':')) {
    throw cloudWatchErrors.validation(value, member, 'Member must satisfy regular expression pattern: [^:].*')
  }
}

export function checkRange(value: number | undefined, member: string, min: number, max?: number): void {
  if (value === undefined) return
  if (value < min) throw cloudWatchErrors.validation(value, member, `Member must have value greater than or equal to ${min}`)
  if (max !== undefined && value > max) throw cloudWatchErrors.validation(value, member, `Member must have value less than or equal to ${max}`)
}

export function checkEnum(value: string | undefined, member: string, allowed: readonly string[]): void {
  if (value === undefined || allowed.includes(value)) return
  throw cloudWatchErrors.validation(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`)
}

export const units = ['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits',
  'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None'] as const

export const simpleStatistics = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const

export function checkDimensions(dimensions: readonly { Name?: string; Value?: string }[] | undefined, member: string): void {
  if (dimensions === undefined) return
  if (dimensions.length > 30) throw cloudWatchErrors.validation(`[${dimensions.map((d) => `${d.Name}=${d.Value}`).join(', ')}]`, member, 'Member must have length less than or equal to 30')
  dimensions.forEach((d, i) => {
    checkLength(d.Name, `${member}.${i + 1}.member.name`, 1, 255)
    checkLength(d.Value, `${member}.${i + 1}.member.value`, 1, 1024)
  })
}

/** Epoch ms of a model timestamp (the protocols give Dates). */
export const ms = (d: Date | number): number => (d instanceof Date ? d.getTime() : d * 1000)
