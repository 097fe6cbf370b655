// What a target receives: the whole event, a constant Input, an InputPath selection, or an
// InputTransformer template filled from InputPathsMap and AWS's predefined variables (§5.5).
import type * as T from './generated/types.ts'
import type { Ingested } from './event.ts'
import { eventTime } from './event.ts'
import { type JsonPath, parseJsonPath, readJsonPath } from './json-path.ts'

/** Variables every template may use without mapping them. */
export const reservedVariables = new Set(['aws.events.event', 'aws.events.event.json', 'aws.events.rule-name',
  'aws.events.rule-arn', 'aws.events.event.ingestion-time'])

const placeholder = /<([A-Za-z0-9_.-]+)>/g

export interface RuleRef {
  name: string
  arn: string
}

/** Placeholders a template names that neither the map nor AWS defines (PutTargets refuses them). */
export function unknownPlaceholders(transformer: T.InputTransformer): string[] {
  const known = new Set(Object.keys(transformer.InputPathsMap ?? {}))
  return [...transformer.InputTemplate.matchAll(placeholder)].map((m) => m[1]!)
    .filter((name) => !known.has(name) && !reservedVariables.has(name))
}

/** The payload for a target, or undefined when AWS would deliver nothing (a template that is not valid JSON). */
export function targetInput(target: T.Target, ingested: Ingested, rule: RuleRef): string | undefined {
  if (target.Input !== undefined) return target.Input
  if (target.InputPath !== undefined) {
    const path = parseJsonPath(target.InputPath)
    const value = path === undefined ? undefined : readJsonPath(ingested.event, path)
    return value === undefined ? undefined : JSON.stringify(value)
  }
  if (target.InputTransformer !== undefined) return transform(target.InputTransformer, ingested, rule)
  return ingested.json
}

function transform(transformer: T.InputTransformer, ingested: Ingested, rule: RuleRef): string | undefined {
  const values = new Map<string, unknown>()
  for (const [name, pathText] of Object.entries(transformer.InputPathsMap ?? {})) {
    const path: JsonPath | undefined = parseJsonPath(pathText)
    values.set(name, path === undefined ? undefined : readJsonPath(ingested.event, path))
  }
  const { detail: _detail, 'detail-type': detailType, ...rest } = ingested.event
  values.set('aws.events.event', { ...rest, detailType })
  values.set('aws.events.event.json', ingested.event)
  values.set('aws.events.rule-name', rule.name)
  values.set('aws.events.rule-arn', rule.arn)
  values.set('aws.events.event.ingestion-time', eventTime(ingested.ingestedAt))
  const template = transformer.InputTemplate
  const jsonTemplate = /^\s*[{[]/.test(template)
  if (!jsonTemplate) return template.replace(placeholder, (_m, name: string) => asText(values.get(name)))
  const filled = fillJsonTemplate(template, values)
  try {
    JSON.parse(filled)
  } catch {
    return undefined // AWS delivers nothing when the filled template is not JSON [S]
  }
  return filled
}

/**
 * In a JSON template a placeholder outside quotes becomes the JSON value (strings quoted); inside
 * quotes it becomes text (strings unquoted, escaped for the string). Missing paths become empty.
 */
function fillJsonTemplate(template: string, values: Map<string, unknown>): string {
  let out = ''
  let inString = false
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!
    if (inString && c === '\\') {
      out += c + (template[i + 1] ?? '')
      i++
      continue
    }
    if (c === '"') inString = !inString
    if (c === '<') {
      const m = /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i))
      if (m !== null && values.has(m[1]!)) {
        const value = values.get(m[1]!)
        out += inString ? JSON.stringify(asText(value)).slice(1, -1) : asJson(value)
        i += m[0].length - 1
        continue
      }
    }
    out += c
  }
  return out
}

const asJson = (value: unknown) => value === undefined ? '' : JSON.stringify(value)

/** Text form: strings bare, objects `{k:v}` and arrays `[a,b]` without quotes, as AWS renders them [S]. */
function asText(value: unknown): string {
  if (value === undefined || value === null) return value === null ? 'null' : ''
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return `[${value.map(asText).join(',')}]`
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}:${asText(v)}`).join(',')}}`
  return String(value)
}
