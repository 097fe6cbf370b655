// The JSONPath subset EventBridge takes in InputPath and InputPathsMap: `$`, `$.a.b`, `$.a[0]`,
// `$['a-b']`, `$.detail.items[2].id` — names and indexes only, no filters or wildcards.

export type JsonPath = readonly (string | number)[]

/** The steps of a path, or undefined when it is not in the subset. */
export function parseJsonPath(text: string): JsonPath | undefined {
  if (!text.startsWith('$')) return undefined
  const steps: (string | number)[] = []
  let i = 1
  while (i < text.length) {
    if (text[i] === '.') {
      const m = /^[^.[\]]+/.exec(text.slice(i + 1))
      if (m === null) return undefined
      steps.push(m[0])
      i += 1 + m[0].length
    } else if (text[i] === '[') {
      const m = /^\[(?:(\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(text.slice(i))
      if (m === null) return undefined
      steps.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!.replace(/\\(.)/g, '$1'))
      i += m[0].length
    } else {
      return undefined
    }
  }
  return steps
}

/** The value at `path`, or undefined when any step is missing. */
export function readJsonPath(root: unknown, path: JsonPath): unknown {
  let value = root
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined
      value = value[step]
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
      value = (value as Record<string, unknown>)[step]
    }
    if (value === undefined) return undefined
  }
  return value
}
