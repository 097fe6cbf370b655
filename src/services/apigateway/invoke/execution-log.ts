// Execution logging of REST API stages: with a method setting's `logging/loglevel` INFO (or ERROR,
// for failed requests only) each request writes its lines to the log group
// `API-Gateway-Execution-Logs_{restApiId}/{stageName}` in the API's account and region, as AWS
// names it; `logging/dataTrace` adds the method request's path, query string, headers and body.
// Line texts follow AWS's execution log as its docs show it, each prefixed `(requestId)` [R: the
// exact set of lines AWS writes varies by integration].
import { createHash } from 'node:crypto'
import type { HttpRequest, HttpResponse } from '../../../protocol/http.ts'
import type { LogsPort } from '../../logs/port.ts'
import type { ApiData, StageData } from '../store.ts'
import { methodSettingKey } from './stage-throttle.ts'

export interface ExecutionFacts {
  api: ApiData
  stage: StageData
  requestId: string
  extendedRequestId: string
  startedAt: number
  resourcePath?: string
  /** Lines the request left on its way (a cache hit or miss). */
  notes: string[]
  /** Served by the stage's canary: AWS writes those to the stage's group with `/Canary` appended. */
  canary?: boolean
}

/** The level a request logs at: its method's own setting, else the stage-wide one; undefined for OFF. */
function levelOf(stage: StageData, resourcePath: string | undefined, httpMethod: string): { level: 'INFO' | 'ERROR'; dataTrace: boolean } | undefined {
  const settings = stage.methodSettings
  if (settings === undefined) return undefined
  const own = resourcePath === undefined ? undefined : settings[methodSettingKey(resourcePath, httpMethod)]
  const all = settings['*/*']
  const level = own?.loggingLevel ?? all?.loggingLevel
  if (level !== 'INFO' && level !== 'ERROR') return undefined
  return { level, dataTrace: (own?.dataTraceEnabled ?? all?.dataTraceEnabled) === true }
}

function failure(response: HttpResponse): string | undefined {
  if (response.status < 400) return undefined
  const type = response.headers['x-amzn-errortype']
  return type === undefined ? `Method completed with an error status: ${response.status}` : `Execution failed due to ${type.split(':')[0]}`
}

export function writeExecutionLog(logs: LogsPort | undefined, facts: ExecutionFacts, request: HttpRequest, response: HttpResponse,
  log: (line: string) => void): void {
  if (logs === undefined) return
  const { api, stage, requestId } = facts
  const setting = levelOf(stage, facts.resourcePath, request.method)
  if (setting === undefined) return
  const failed = failure(response)
  if (setting.level === 'ERROR' && failed === undefined) return
  const lines = [`Extended Request Id: ${facts.extendedRequestId}`]
  if (setting.level === 'INFO') {
    lines.push(`Starting execution for request: ${requestId}`, `HTTP Method: ${request.method}, Resource Path: ${facts.resourcePath ?? request.rawPath}`)
    if (setting.dataTrace) {
      const query = Object.fromEntries(request.query)
      lines.push(`Method request path: ${request.rawPath}`, `Method request query string: ${JSON.stringify(query)}`,
        `Method request headers: ${JSON.stringify(request.headers)}`,
        `Method request body before transformations: ${request.body.toString('utf8').slice(0, 1024)}`)
    }
    lines.push(...facts.notes)
    if (failed === undefined) lines.push('Successfully completed execution')
  }
  if (failed !== undefined) lines.push(failed)
  lines.push(`Method completed with status: ${response.status}`)
  const group = `API-Gateway-Execution-Logs_${api.id}/${stage.stageName}${facts.canary === true ? '/Canary' : ''}`
  const stream = createHash('md5').update(`${api.id}/${stage.stageName}/execution`).digest('hex')
  try {
    logs.write(api.account, api.region, group, stream, lines.map((line) => ({ timestamp: facts.startedAt, message: `(${requestId}) ${line}` })))
  } catch (error) {
    log(`[nimbus] apigateway ${api.id}/${stage.stageName}: writing the execution log failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
