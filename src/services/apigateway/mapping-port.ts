// The port's mapping members: REST APIs' VTL engine and AWS integration backends (a Lambda function
// or a service by action/path, through Nimbus's own pipeline), which WebSocket APIs (apigatewayv2)
// use for their non-proxy integrations rather than a second copy, and its request models' JSON Schema validator.
import type { LambdaPort } from '../lambda/port.ts'
import type { InProcessAwsCall } from '../service.ts'
import { callAwsBackend } from './invoke/aws-integration.ts'
import { validateJson } from './models/json-schema.ts'
import type { MappingPort } from './port.ts'
import { inputVariable, javaMatches, plainMap, renderVtl, utilVariable, type Value } from './vtl/index.ts'

export interface MappingPortDeps {
  lambda: LambdaPort
  awsCall?: InProcessAwsCall
  log: (line: string) => void
}

/** As REST's `$context`: members without a value are written as empty strings [R]. */
function withoutNulls(v: unknown): unknown {
  if (v === null) return ''
  if (typeof v !== 'object' || Array.isArray(v)) return v
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, withoutNulls(x)]))
}

export function mappingPort(deps: MappingPortDeps): MappingPort {
  return {
    render: (template, input) => renderVtl(template, new Map<string, Value>([
      ['input', inputVariable(input.body, input.params)],
      ['util', utilVariable],
      ['context', plainMap(withoutNulls(input.context) as Record<string, unknown>)],
      ['stageVariables', plainMap(input.stageVariables)],
    ])),
    callAws: (call) => callAwsBackend(deps, { uri: call.uri, httpMethod: call.method }, {
      now: call.now, api: { account: call.account }, stage: { variables: call.stageVariables }, request: { headers: {} },
    }, { body: call.body, params: { header: call.headers, querystring: {}, path: {} } }),
    matches: (pattern, text) => {
      try {
        return javaMatches(pattern, text)
      } catch {
        return false
      }
    },
    validateJson,
  }
}
