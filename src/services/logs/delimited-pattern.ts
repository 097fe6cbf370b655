// Space-delimited filter patterns: `[ip, user, timestamp, request = "*html*", status = 4*, bytes]`.
// An event's message splits at whitespace; "quoted" and [bracketed] runs are one field each.
// `...` stands for any number of fields; without one the field counts must be equal.
import { logsErrors } from './errors.ts'
import { type Condition, evaluate, type MessagePredicate, parseCondition } from './pattern-expression.ts'

interface Slot {
  ellipsis: boolean
  name: string
  condition: Condition | undefined
}

export function compileDelimited(source: string): MessagePredicate {
  const bind = compileDelimitedBinding(source)
  return (message) => bind(message) !== undefined
}

/**
 * The named fields of the first way the message lines up with the pattern, or undefined when it
 * does not match (what metric filters' `$field` values and dimensions read).
 */
export function compileDelimitedBinding(source: string): (message: string) => ReadonlyMap<string, string> | undefined {
  if (!source.endsWith(']')) throw logsErrors.invalidFilterPattern("a space-delimited pattern must end with ']'")
  const slots = splitTopLevel(source.slice(1, -1)).map(parseSlot)
  return (message) => {
    const fields = splitFields(message)
    return anyBinding(slots, fields, (bound) => slots.every((slot) =>
      slot.condition === undefined ||
      evaluate(slot.condition, (name) => ({ found: bound.has(name), value: bound.get(name) }), true)))
  }
}

function parseSlot(text: string): Slot {
  const trimmed = text.trim()
  if (trimmed === '...') return { ellipsis: true, name: '', condition: undefined }
  const name = /^[A-Za-z0-9_$@.-]+/.exec(trimmed)?.[0]
  if (name === undefined) throw logsErrors.invalidFilterPattern(`invalid field '${trimmed}'`)
  const rest = trimmed.slice(name.length).trim()
  return { ellipsis: false, name, condition: rest === '' ? undefined : parseCondition(trimmed, (word) => /^[A-Za-z0-9_$@.-]+$/.test(word)) }
}

/** Splits at commas outside quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '\\' && quoted) { current += c + (text[++i] ?? ''); continue }
    if (c === '"') quoted = !quoted
    if (c === ',' && !quoted) { parts.push(current); current = ''; continue }
    current += c
  }
  parts.push(current)
  return parts
}

function splitFields(message: string): string[] {
  const fields: string[] = []
  const re = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g
  for (let match = re.exec(message); match !== null; match = re.exec(message)) fields.push(match[1] ?? match[2] ?? match[3]!)
  return fields
}

/** The first way of lining the slots up with the fields (one way unless `...` appears) that passes `check`. */
function anyBinding(slots: readonly Slot[], fields: readonly string[], check: (bound: Map<string, string>) => boolean): Map<string, string> | undefined {
  const bound = new Map<string, string>()
  const walk = (s: number, f: number): boolean => {
    if (s === slots.length) return f === fields.length && check(bound)
    const slot = slots[s]!
    if (slot.ellipsis) {
      for (let skip = 0; f + skip <= fields.length; skip++) if (walk(s + 1, f + skip)) return true
      return false
    }
    if (f >= fields.length) return false
    bound.set(slot.name, fields[f]!)
    return walk(s + 1, f + 1)
  }
  return walk(0, 0) ? bound : undefined
}
