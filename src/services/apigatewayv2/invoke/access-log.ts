// Access logging of HTTP API stages: the stage's AccessLogSettings format with its `$context.*`
// variables filled in (`-` for one without a value, as AWS writes it), one log event per request
// into the destination CloudWatch Logs group through the Logs port.
import { createHash } from 'node:crypto'
import type { LogsPort } from '../../logs/port.ts'
import type { HttpApiData, StageData } from '../data.ts'
import type { InvokeRequest, InvokeResponse } from '../port.ts'

/** What one request leaves for its access log line. */
export interface AccessFacts {
  api?: HttpApiData
  stage?: StageData
  routeKey?: string
  domainName: string
  path: string
  requestId: string
  startedAt: number
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function clfTime(ms: number): string {
  const d = new Date(ms)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
}

/** `$context.x` and `${context.x}` replaced. */
export function renderAccessLog(format: string, values: Record<string, string | number | undefined>): string {
  const value = (name: string) => {
    const v = values[name]
    return v === undefined || v === '' ? '-' : String(v)
  }
  return format
    .replace(/\$\{context\.([\w.]+)\}/g, (_, name: string) => value(name))
    .replace(/\$context\.([\w]+(?:\.[\w]+)*)/g, (_, name: string) => value(name))
}

function errorMessage(response: InvokeResponse): string | undefined {
  if (response.status < 400 || typeof response.body !== 'string') return undefined
  try {
    const message = (JSON.parse(response.body) as { message?: unknown }).message
    return typeof message === 'string' ? message : undefined
  } catch {
    return undefined
  }
}

export function writeAccessLog(logs: LogsPort | undefined, facts: AccessFacts, request: InvokeRequest, response: InvokeResponse, now: number,
  log: (line: string) => void): void {
  const { api, stage } = facts
  const settings = stage?.accessLogSettings
  if (logs === undefined || api === undefined || stage === undefined || settings?.destinationArn === undefined || settings.format === undefined) return
  const group = /^arn:aws[\w-]*:logs:([\w-]+):(\d{12}):log-group:([^:]+?)(?::\*)?$/.exec(settings.destinationArn)
  if (group === null) return
  const values: Record<string, string | number | undefined> = {
    requestId: facts.requestId, extendedRequestId: facts.requestId, apiId: api.id, accountId: api.account, stage: stage.name,
    routeKey: facts.routeKey, httpMethod: request.method, path: facts.path, protocol: 'HTTP/1.1', status: response.status,
    responseLength: typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length,
    requestTime: clfTime(facts.startedAt), requestTimeEpoch: facts.startedAt,
    'identity.sourceIp': (request.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''), 'identity.userAgent': request.headers['user-agent'],
    domainName: facts.domainName, domainPrefix: facts.domainName.split('.')[0], responseLatency: now - facts.startedAt,
    'error.message': errorMessage(response),
  }
  const stream = createHash('md5').update(`${api.id}/${stage.name}`).digest('hex')
  try {
    logs.write(group[2]!, group[1]!, group[3]!, stream, [{ timestamp: facts.startedAt, message: renderAccessLog(settings.format, values) }])
  } catch (error) {
    log(`[nimbus] apigatewayv2 ${api.id}/${stage.name}: writing the access log failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
