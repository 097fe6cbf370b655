// How deeply a JSON text nests, found by one linear scan (no recursion), so services can refuse a
// document nested thousands deep before anything recursive (JSON.stringify, a pattern compiler) sees it.

/**
 * The deepest `{`/`[` nesting in `text`, ignoring brackets inside strings. Stops counting once past
 * `limit` (the answer is then `limit + 1`), so a huge document costs no more than reaching the limit.
 * Works on any text: malformed JSON is the parser's business, not this scan's.
 */
export function jsonDepth(text: string, limit = Number.MAX_SAFE_INTEGER): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > limit) return deepest
      }
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return deepest
}

/** True when `text` nests deeper than `limit` levels. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  return jsonDepth(text, limit) > limit
}
