// What API Gateway's two services (REST APIs and HTTP APIs) share for their `$context` values and
// access logs: AWS's CLF request time, the `$context.x` format renderer, and a log group ARN's parts.

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** The last second formatted (every request of a second shares it: no Date per request). */
let cachedSecond = NaN
let cachedText = ''

/** CLF time as AWS writes `requestTime` / `requestContext.time`: `04/Dec/2026:23:55:00 +0000`. */
export function clfTime(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second === cachedSecond) return cachedText
  cachedText = formatClf(ms)
  cachedSecond = second
  return cachedText
}

function formatClf(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:` +
    `${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
}

/** `$context.x` and `${context.x}` replaced (`-` for a variable without a value, as AWS writes it); a JSON format's quotes stay as written. */
export function renderAccessLog(format: string, values: Record<string, string | number | undefined>): string {
  const value = (name: string) => {
    const v = values[name]
    return v === undefined || v === '' ? '-' : String(v)
  }
  return format
    .replace(/\$\{context\.([\w.]+)\}/g, (_, name: string) => value(name))
    .replace(/\$context\.([\w]+(?:\.[\w]+)*)/g, (_, name: string) => value(name))
}

const logGroupArn = /^arn:aws[\w-]*:logs:([\w-]+):(\d{12}):log-group:([^:]+?)(?::\*)?$/

/** `arn:aws:logs:{region}:{account}:log-group:{name}` → where the events go; undefined for anything else (Firehose: a gap). */
export function logGroupOf(destinationArn: string): { region: string; account: string; name: string } | undefined {
  const m = logGroupArn.exec(destinationArn)
  return m === null ? undefined : { region: m[1]!, account: m[2]!, name: m[3]! }
}
