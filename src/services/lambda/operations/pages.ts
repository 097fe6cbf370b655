// Lambda's list pagination: `Marker` in, `NextMarker` out, opaque to clients (a base64 offset here).
import { lambdaErrors } from '../errors.ts'

export function page<T>(items: readonly T[], marker: string | undefined, maxItems: number | undefined,
  defaultMax = 50): { items: T[]; next: string | undefined } {
  const start = marker === undefined ? 0 : Number(Buffer.from(marker, 'base64').toString('utf8'))
  if (!Number.isInteger(start) || start < 0) throw lambdaErrors.invalidParameter('Invalid marker.')
  const max = maxItems ?? defaultMax
  const end = start + max
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64') : undefined }
}
