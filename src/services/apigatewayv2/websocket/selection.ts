// WebSocket APIs' selection expressions — the API's route selection and the templates' and integration
// responses' — as AWS's "WebSocket selection expressions" page defines them: `$` starts a variable
// (`$request.body.action`), braces bound one inside text (`${request.body.version}-beta`), `\$` is a
// literal dollar (`\$default`), anything else is static text. Evaluated once, never recursively.

/** A variable's value by its name (`request.body.a.b`, `integration.response.statuscode`…); undefined: it has none. */
export type SelectionLookup = (name: string) => string | undefined

/** Undefined when a variable the expression names has no value (nothing is selected). */
export function evaluateSelection(expression: string, lookup: SelectionLookup): string | undefined {
  let out = ''
  let missing = false
  const pattern = /\\\$|\$\{([^}]+)\}|\$([A-Za-z_][\w.-]*)/g
  let last = 0
  for (let m = pattern.exec(expression); m !== null; m = pattern.exec(expression)) {
    out += expression.slice(last, m.index)
    last = m.index + m[0].length
    if (m[0] === '\\$') {
      out += '$'
      continue
    }
    const value = lookup(m[1] ?? m[2]!)
    if (value === undefined) missing = true
    else out += value
  }
  out += expression.slice(last)
  return missing ? undefined : out
}

/** `request.body.a.b` in a JSON message: a string as it is, a number or boolean as text; objects and null select nothing [R]. */
export function bodyLookup(body: string): SelectionLookup {
  let parsed: unknown
  let read = false
  return (name) => {
    const path = /^request\.body\.(.+)$/.exec(name)?.[1]
    if (path === undefined) return undefined
    if (!read) {
      read = true
      try {
        parsed = JSON.parse(body)
      } catch {
        parsed = undefined
      }
    }
    let current = parsed
    for (const part of path.split('.')) {
      if (current === null || typeof current !== 'object') return undefined
      current = (current as Record<string, unknown>)[part]
    }
    return typeof current === 'string' ? current : typeof current === 'number' || typeof current === 'boolean' ? String(current) : undefined
  }
}

/**
 * The API's route selection expression on a message (`$request.body.action`, `${request.body.a.b}` inside
 * text, or static text). Undefined: no key (the body isn't JSON, or the path names nothing), so the
 * message goes to `$default`.
 */
export const selectRouteKey = (expression: string, body: string): string | undefined => evaluateSelection(expression, bodyLookup(body))
