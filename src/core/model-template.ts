// GetModelTemplate for API Gateway's REST and WebSocket APIs: a VTL mapping template generated from a
// model's JSON Schema, as the console's "Generate template" writes it — `$inputRoot` walked member by
// member, strings quoted, numbers and booleans bare, arrays as `#foreach` [R: AWS's exact whitespace].
// Shared by apigateway and apigatewayv2 (neither may import the other).

type Schema = Record<string, unknown>
/** Resolves a `$ref` (AWS's model URL `https://apigateway.amazonaws.com/restapis/{id}/models/{name}`, or `#/definitions/x`). */
export type ModelLookup = (name: string) => Schema | undefined

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)

function deref(schema: Schema, root: Schema, lookup: ModelLookup, seen: Set<string>): Schema | undefined {
  const ref = schema['$ref']
  if (typeof ref !== 'string') return schema
  if (seen.has(ref)) return undefined
  seen.add(ref)
  if (ref.startsWith('#/')) {
    let at: unknown = root
    for (const part of ref.slice(2).split('/')) at = isObject(at) ? at[part] : undefined
    return isObject(at) ? deref(at, root, lookup, seen) : undefined
  }
  const name = ref.slice(ref.lastIndexOf('/') + 1)
  const found = lookup(name)
  return found === undefined ? undefined : deref(found, found, lookup, seen)
}

const typeOf = (schema: Schema): string | undefined => {
  const type = schema['type']
  if (Array.isArray(type)) return type.find((t) => t !== 'null') as string | undefined
  if (typeof type === 'string') return type
  if (isObject(schema['properties'])) return 'object'
  if (schema['items'] !== undefined) return 'array'
  return undefined
}

function value(schema: Schema | undefined, ref: string, indent: string, root: Schema, lookup: ModelLookup, seen: Set<string>, depth: number): string {
  // The `$ref`s followed on the way here and for this member: a recursive model stops where it repeats
  // (siblings get their own copy, so a model named twice side by side is written out twice).
  const path = new Set(seen)
  const resolved = schema === undefined ? undefined : deref(schema, root, lookup, path)
  const type = resolved === undefined ? undefined : typeOf(resolved)
  if (resolved === undefined || depth > 16) return `"${ref}"`
  if (type === 'object') return object(resolved, ref, indent, root, lookup, path, depth)
  if (type === 'array') {
    // AWS names the loop variable `$elem`; nested loops need their own.
    const item = depth === 0 ? '$elem' : `$elem${depth}`
    const element = isObject(resolved['items']) ? resolved['items'] as Schema : undefined
    return `[\n${indent}#foreach(${item} in ${ref})\n${indent}  ${value(element, item, `${indent}  `, root, lookup, path, depth + 1)}#if($foreach.hasNext),#end\n${indent}#end\n${indent}]`
  }
  if (type === 'number' || type === 'integer' || type === 'boolean') return ref
  return `"${ref}"`
}

function object(schema: Schema, ref: string, indent: string, root: Schema, lookup: ModelLookup, seen: Set<string>, depth: number): string {
  const properties = isObject(schema['properties']) ? schema['properties'] : {}
  const inner = `${indent}  `
  const members = Object.entries(properties).map(([name, member]) =>
    `${inner}"${name}" : ${value(isObject(member) ? member : undefined, `${ref}.${name}`, inner, root, lookup, seen, depth + 1)}`)
  return members.length === 0 ? '{}' : `{\n${members.join(',\n')}\n${indent}}`
}

/** The template for a model's schema (a JSON text); throws on a schema that isn't a JSON object. */
export function modelTemplate(schemaText: string, lookup: ModelLookup): string {
  const schema: unknown = JSON.parse(schemaText)
  if (!isObject(schema)) throw new Error('the schema is not a JSON object')
  return `#set($inputRoot = $input.path('$'))\n${value(schema, '$inputRoot', '', schema, lookup, new Set(), 0)}`
}
