// An OpenAPI body as ImportRestApi/PutRestApi receive it: JSON or YAML bytes, Swagger 2.0 or OpenAPI
// 3.0.x, read into a plain object. Anything else is AWS's "Invalid OpenAPI input." BadRequestException.
import { apiGatewayErrors } from '../errors.ts'
import { type ImportScope, isObject, type Json, parseOpenApiText } from '../../../core/openapi-document.ts'

export interface OpenApiDocument {
  doc: Json
  /** 2 for Swagger 2.0 (`swagger: "2.0"`), 3 for OpenAPI 3.0.x (`openapi: 3.0.…`). */
  version: 2 | 3
}

// The whole message AWS answers for a body that isn't an OpenAPI document (quoted in public issues).
export const invalidInput = () => apiGatewayErrors.badRequest('Invalid OpenAPI input.')

export function readDocument(body: Uint8Array | undefined, scope?: ImportScope): OpenApiDocument {
  const doc = parseOpenApiText(Buffer.from(body ?? new Uint8Array()).toString('utf8'), scope)
  if (!isObject(doc)) throw invalidInput()
  if (doc.swagger === '2.0' || doc.swagger === 2) return { doc, version: 2 }
  if (typeof doc.openapi === 'string' && /^3\.0(\.\d+)?$/.test(doc.openapi)) return { doc, version: 3 }
  throw invalidInput()
}
