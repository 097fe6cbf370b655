// OpenAPI documents as both API Gateways read them: JSON or YAML text into a plain object, and the
// small lookups their importers share (`$ref`s followed, members read as strings or maps).
import { parseYaml, YamlError } from './yaml.ts'

export type Json = Record<string, unknown>

/** Where a definition is imported: `${AWS::AccountId}`, `${AWS::Region}` and `${AWS::Partition}` resolve to it. */
export interface ImportScope {
  account: string
  region: string
}

/**
 * A definition's text as JSON (when it starts with `{`) or YAML; undefined when it is neither. API Gateway's
 * import resolves the AWS variables it documents ("AWS variables for OpenAPI import") first.
 */
export function parseOpenApiText(text: string, scope?: ImportScope): unknown {
  let body = text.replace(/^\uFEFF/, '')
  if (scope !== undefined && body.includes('${AWS::')) {
    const partition = scope.region.startsWith('cn-') ? 'aws-cn' : scope.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'
    const values: Record<string, string> = { 'AWS::AccountId': scope.account, 'AWS::Region': scope.region, 'AWS::Partition': partition }
    body = body.replace(/\$\{(AWS::(?:AccountId|Region|Partition))\}/g, (_, name: string) => values[name]!)
  }
  try {
    return body.trimStart().startsWith('{') ? JSON.parse(body) : parseYaml(body)
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof YamlError) return undefined
    throw error
  }
}

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function objectAt(value: unknown): Json {
  return isObject(value) ? value : {}
}

export function stringAt(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** Follows a local `$ref` (`#/components/parameters/id`); an unknown one is undefined. */
export function resolve(doc: Json, value: unknown): Json | undefined {
  let current = value
  for (let hops = 0; hops < 10 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref
    if (!ref.startsWith('#/')) return undefined
    current = ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), doc)
  }
  return isObject(current) ? current : undefined
}

/** The model a schema names by `$ref` (`#/definitions/Pet`, `#/components/schemas/Pet`). */
export function modelName(schema: unknown): string | undefined {
  if (!isObject(schema) || typeof schema.$ref !== 'string') return undefined
  return /^#\/(?:definitions|components\/schemas)\/([^/]+)$/.exec(schema.$ref)?.[1]
}

/** A map of strings (templates, parameter mappings); a non-string value is kept as its JSON. */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringAt(v) ?? JSON.stringify(v)]))
}
