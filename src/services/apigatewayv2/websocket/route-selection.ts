// A WebSocket API's route selection expression evaluated on a message: `$request.body.action` (a JSON
// path into the body), `${request.body.a.b}` placed inside text, or static text. Undefined: no key
// (the body isn't JSON, or the path names nothing), so the message goes to `$default`.

function lookup(value: unknown, path: string): unknown {
  let current = value
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

/** Strings as they are, numbers and booleans as text; objects, arrays and null select nothing [R]. */
function keyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

export function selectRouteKey(expression: string, body: string): string | undefined {
  if (!expression.includes('request.body')) return expression
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  const whole = /^\$request\.body\.(.+)$/.exec(expression)
  if (whole !== null) return keyText(lookup(parsed, whole[1]!))
  let missing = false
  const key = expression.replace(/\$\{request\.body\.([^}]+)\}/g, (_, path: string) => {
    const text = keyText(lookup(parsed, path))
    if (text === undefined) missing = true
    return text ?? ''
  })
  return missing ? undefined : key
}
