// An OpenAPI body as ImportRestApi/PutRestApi receive it: JSON or YAML bytes, Swagger 2.0 or OpenAPI
// 3.0.x, read into a plain object. Anything else is AWS's "Invalid OpenAPI input." BadRequestException.
import { apiGatewayErrors } from '../errors.ts'
import { parseYaml, YamlError } from './yaml.ts'

export type Json = Record<string, unknown>

export interface OpenApiDocument {
  doc: Json
  /** 2 for Swagger 2.0 (`swagger: "2.0"`), 3 for OpenAPI 3.0.x (`openapi: 3.0.…`). */
  version: 2 | 3
}

// The whole message AWS answers for a body that isn't an OpenAPI document (quoted in public issues).
export const invalidInput = () => apiGatewayErrors.badRequest('Invalid OpenAPI input.')

export function readDocument(body: Uint8Array | undefined): OpenApiDocument {
  const text = Buffer.from(body ?? new Uint8Array()).toString('utf8').replace(/^\uFEFF/, '')
  let doc: unknown
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text)
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof YamlError) throw invalidInput()
    throw error
  }
  if (!isObject(doc)) throw invalidInput()
  if (doc.swagger === '2.0' || doc.swagger === 2) return { doc, version: 2 }
  if (typeof doc.openapi === 'string' && /^3\.0(\.\d+)?$/.test(doc.openapi)) return { doc, version: 3 }
  throw invalidInput()
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
