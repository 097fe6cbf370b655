// API Gateway's PATCH operations (`patchOperations`: op add/remove/replace/move/copy/test, a path with
// `/` in a key written `~1`), shared by the Update* operations: each lists the paths it accepts as
// rules and applies them all or none (callers patch a copy).
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'

export type PatchKind = 'string' | 'boolean' | 'number'

/** [R] AWS's refusal of a path the operation doesn't patch (with the paths it would, when given). */
export function invalidPatch(path: string, op?: string, allowed?: readonly string[]): Error {
  const tail = allowed === undefined ? 'Please choose supported operations' : `Must be one of: [${allowed.join(', ')}]`
  return apiGatewayErrors.badRequest(`Invalid patch path  '${path}' specified for op '${op ?? 'null'}'. ${tail}`)
}

/** A patch value as the member's type: `"true"`/`"false"`, a non-negative number, or the string. */
export function readPatchValue(value: string | undefined, kind: PatchKind, path: string): boolean | number | string {
  if (kind === 'string') return value ?? ''
  if (kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw apiGatewayErrors.badRequest(`Invalid value for ${path}: ${value ?? 'null'}`)
    return value === 'true'
  }
  const n = Number(value)
  if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) throw apiGatewayErrors.badRequest(`Invalid value for ${path}: ${value ?? 'null'}`)
  return n
}

/** `~1` is `/` and `~0` is `~` in a path segment (JSON Pointer's escaping, as AWS reads it). */
export function unescapeKey(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}

type Op = 'add' | 'remove' | 'replace'

export interface PatchRule<S> {
  /** `/name`, or `/requestParameters/*` where `*` is the rest of the path: one key, `~1`-escaped. */
  path: string
  ops: readonly Op[]
  kind?: PatchKind
  set?: (target: S, value: boolean | number | string, key: string) => void
  remove?: (target: S, key: string) => void
  /** The current value (for move, copy and test). */
  get?: (target: S, key: string) => string | undefined
}

function match<S>(rules: readonly PatchRule<S>[], path: string): { rule: PatchRule<S>; key: string } | undefined {
  for (const rule of rules) {
    if (rule.path.endsWith('/*')) {
      const prefix = rule.path.slice(0, -1)
      if (path.startsWith(prefix) && path.length > prefix.length) return { rule, key: unescapeKey(path.slice(prefix.length)) }
    } else if (rule.path === path) return { rule, key: '' }
  }
  return undefined
}

function apply<S>(target: S, rules: readonly PatchRule<S>[], op: Op, path: string, value: string | undefined): void {
  const found = match(rules, path)
  if (found === undefined || !found.rule.ops.includes(op)) {
    throw invalidPatch(path, op, rules.filter((r) => r.ops.includes(op)).map((r) => r.path))
  }
  const { rule, key } = found
  if (op === 'remove') rule.remove!(target, key)
  else rule.set!(target, readPatchValue(value, rule.kind ?? 'string', path), key)
}

/** Applies the patches in order; the first one that doesn't apply throws (the caller discards its copy). */
export function applyPatches<S>(target: S, patches: readonly T.PatchOperation[] | undefined, rules: readonly PatchRule<S>[]): void {
  for (const patch of patches ?? []) {
    const path = patch.path ?? ''
    const op = patch.op ?? 'replace'
    if (op === 'add' || op === 'remove' || op === 'replace') {
      apply(target, rules, op, path, patch.value)
      continue
    }
    if (op === 'move' || op === 'copy' || op === 'test') {
      const source = op === 'test' ? path : patch.from ?? ''
      const found = match(rules, source)
      const current = found?.rule.get?.(target, found.key)
      if (found === undefined || current === undefined) throw invalidPatch(source, op)
      if (op === 'test') {
        if (current !== patch.value) throw apiGatewayErrors.badRequest(`Patch test failed: ${path} is not ${patch.value ?? 'null'}`)
        continue
      }
      apply(target, rules, match(rules, path)?.rule.ops.includes('add') === true ? 'add' : 'replace', path, current)
      if (op === 'move') apply(target, rules, 'remove', source, undefined)
      continue
    }
    throw apiGatewayErrors.badRequest(`Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]`)
  }
}

/** Rules for a string-valued map member (`/requestTemplates/*`): add, replace and remove by key. */
export function mapRule<S>(path: string, map: (target: S) => Record<string, string> | undefined,
  assign: (target: S, value: Record<string, string> | undefined) => void): PatchRule<S> {
  return {
    path: `${path}/*`, ops: ['add', 'replace', 'remove'],
    set: (t, v, k) => assign(t, { ...map(t), [k]: String(v) }),
    remove: (t, k) => {
      const next = { ...map(t) }
      if (!(k in next)) throw invalidPatch(`${path}/${k}`, 'remove')
      delete next[k]
      assign(t, Object.keys(next).length > 0 ? next : undefined)
    },
    get: (t, k) => map(t)?.[k],
  }
}

/** Rules for a boolean-valued map member (`/requestParameters/*`: whether each parameter is required). */
export function flagMapRule<S>(path: string, map: (target: S) => Record<string, boolean> | undefined,
  assign: (target: S, value: Record<string, boolean> | undefined) => void): PatchRule<S> {
  return {
    path: `${path}/*`, ops: ['add', 'replace', 'remove'],
    // AWS takes an empty value as false.
    set: (t, v, k) => assign(t, { ...map(t), [k]: v === 'true' }),
    remove: (t, k) => {
      const next = { ...map(t) }
      delete next[k]
      assign(t, Object.keys(next).length > 0 ? next : undefined)
    },
    get: (t, k) => (map(t)?.[k] === undefined ? undefined : String(map(t)![k])),
  }
}

/** A replace-only member. */
export function memberRule<S>(path: string, set: (target: S, value: boolean | number | string) => void, kind: PatchKind = 'string',
  get?: (target: S) => unknown): PatchRule<S> {
  return { path, ops: ['replace'], kind, set: (t, v) => set(t, v), get: get === undefined ? undefined : (t) => {
    const v = get(t)
    return v === undefined || v === null ? undefined : String(v)
  } }
}
