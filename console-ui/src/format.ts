// How the console writes times, durations and values: clock times in UTC (AWS's timestamps are),
// short enough for a table.

export function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')
}

export function clockTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC')
}

export function value(v: unknown): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

/** The last part of an ARN (queue, function, bucket name), or the text itself. */
export function shortArn(arn: string): string {
  if (!arn.startsWith('arn:')) return arn
  const rest = arn.split(':').slice(5).join(':')
  return rest.replace(/^(function|table|stream|rule|event-bus|log-group|key)[:/]/, '')
}

/** The service of an ARN (`arn:aws:sqs:…` → sqs). */
export function arnService(arn: string): string | undefined {
  return arn.startsWith('arn:') ? arn.split(':')[2] : undefined
}
