// Methods and properties on template values as the Java objects behind them answer: String's
// (length, substring, indexOf, replaceAll, split…), List's (size, get, add…), Map's (get, keySet,
// put…). Undefined: no such method, and the reference is written as it stands (Velocity's way).
// Java's exceptions (an index out of range) fail the template.
import { javaMatchesWhole, javaReplace, javaSplit } from './java-regex.ts'
import { isHost, isNumber, javaEquals, JavaDouble, numberOf, render, type Value, type VtlMap, vtlEquals, VtlError } from './values.ts'

/** `$x.name`: a map's entry, a host object's property, else Java's getter (`getName()`, `isName()`). */
export function propertyOf(target: Value, name: string): Value {
  if (target instanceof Map) return target.get(name) ?? null
  if (isHost(target)) return target.property(name) ?? null
  const getter = name[0]!.toUpperCase() + name.slice(1)
  return callMethod(target, `get${getter}`, []) ?? callMethod(target, `is${getter}`, []) ?? null
}

export function callMethod(target: Value, name: string, args: Value[]): Value | undefined {
  if (typeof target === 'string') return stringMethod(target, name, args)
  if (Array.isArray(target)) return listMethod(target, name, args)
  if (target instanceof Map) return mapMethod(target, name, args)
  if (isHost(target)) return target.call?.(name, args)
  if (target === null) return undefined
  return scalarMethod(target, name, args)
}

/** `$x[i]`: a list's element or a map's entry; null when there is none. */
export function indexOf(target: Value, index: Value): Value {
  if (Array.isArray(target) && typeof index === 'number') return target[index] ?? null
  if (target instanceof Map && (typeof index === 'string' || typeof index === 'number')) return target.get(index) ?? null
  if (isHost(target) && typeof index === 'string') return target.property(index) ?? null
  return null
}

const int = (v: Value | undefined): v is number => typeof v === 'number'
const str = (v: Value | undefined): v is string => typeof v === 'string'

function bounds(ok: boolean, what: string): void {
  if (!ok) throw new VtlError(`${what} out of range`)
}

function stringMethod(s: string, name: string, args: Value[]): Value | undefined {
  const [a, b] = args
  switch (`${name}/${args.length}`) {
    case 'length/0': return s.length
    case 'isEmpty/0': return s.length === 0
    case 'toString/0': case 'intern/0': return s
    case 'toUpperCase/0': return s.toUpperCase()
    case 'toLowerCase/0': return s.toLowerCase()
    // Java's trim drops every character up to U+0020, and no more.
    case 'trim/0': return s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
    case 'hashCode/0': return hash(s)
    case 'charAt/1':
      if (!int(a)) return undefined
      bounds(a >= 0 && a < s.length, 'String index')
      return s[a]!
    case 'substring/1':
      if (!int(a)) return undefined
      bounds(a >= 0 && a <= s.length, 'String index')
      return s.slice(a)
    case 'substring/2':
      if (!int(a) || !int(b)) return undefined
      bounds(a >= 0 && b <= s.length && a <= b, 'String index')
      return s.slice(a, b)
    case 'indexOf/1': case 'lastIndexOf/1': case 'indexOf/2': case 'lastIndexOf/2': {
      const needle = int(a) ? String.fromCharCode(a) : a
      if (!str(needle) || (b !== undefined && !int(b))) return undefined
      if (name === 'indexOf') return s.indexOf(needle, b === undefined ? 0 : Math.max(0, b))
      return b === undefined ? s.lastIndexOf(needle) : (b < 0 ? -1 : s.lastIndexOf(needle, b))
    }
    case 'contains/1': return str(a) ? s.includes(a) : undefined
    case 'startsWith/1': return str(a) ? s.startsWith(a) : undefined
    case 'startsWith/2': return str(a) && int(b) ? b >= 0 && s.startsWith(a, b) : undefined
    case 'endsWith/1': return str(a) ? s.endsWith(a) : undefined
    case 'equals/1': return a === s
    case 'equalsIgnoreCase/1': return str(a) && a.toLowerCase() === s.toLowerCase()
    case 'concat/1': return str(a) ? s + a : undefined
    case 'compareTo/1': return str(a) ? compare(s, a) : undefined
    case 'replace/2': return str(a) && str(b) ? s.split(a).join(b) : undefined
    case 'replaceAll/2': return str(a) && str(b) ? javaReplace(s, a, b, true) : undefined
    case 'replaceFirst/2': return str(a) && str(b) ? javaReplace(s, a, b, false) : undefined
    case 'matches/1': return str(a) ? javaMatchesWhole(a, s) : undefined
    case 'split/1': return str(a) ? javaSplit(s, a, 0) : undefined
    case 'split/2': return str(a) && int(b) ? javaSplit(s, a, b) : undefined
    default: return undefined
  }
}

function hash(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0
  return h
}

function compare(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i)
  return a.length - b.length
}

function listMethod(list: Value[], name: string, args: Value[]): Value | undefined {
  const [a, b] = args
  switch (`${name}/${args.length}`) {
    case 'size/0': return list.length
    case 'isEmpty/0': return list.length === 0
    case 'toString/0': return render(list)
    case 'get/1':
      if (!int(a)) return undefined
      bounds(a >= 0 && a < list.length, 'Index')
      return list[a]!
    case 'contains/1': return list.some((x) => javaEquals(x, a!))
    case 'indexOf/1': return list.findIndex((x) => javaEquals(x, a!))
    case 'lastIndexOf/1': return list.findLastIndex((x) => javaEquals(x, a!))
    case 'add/1': list.push(a!); return true
    case 'add/2':
      if (!int(a)) return undefined
      bounds(a >= 0 && a <= list.length, 'Index')
      list.splice(a, 0, b!)
      return null
    case 'addAll/1': if (!Array.isArray(a)) return undefined; list.push(...a); return a.length > 0
    case 'set/2': {
      if (!int(a)) return undefined
      bounds(a >= 0 && a < list.length, 'Index')
      const old = list[a]!
      list[a] = b!
      return old
    }
    case 'remove/1': {
      // remove(int) by position; remove(Object) by equality, answering whether it was there.
      if (int(a)) {
        bounds(a >= 0 && a < list.length, 'Index')
        return list.splice(a, 1)[0]!
      }
      const i = list.findIndex((x) => javaEquals(x, a!))
      if (i !== -1) list.splice(i, 1)
      return i !== -1
    }
    case 'clear/0': list.length = 0; return null
    case 'subList/2':
      if (!int(a) || !int(b)) return undefined
      bounds(a >= 0 && b <= list.length && a <= b, 'Index')
      return list.slice(a, b)
    case 'containsAll/1': return Array.isArray(a) ? a.every((y) => list.some((x) => javaEquals(x, y))) : undefined
    case 'equals/1': return Array.isArray(a) && vtlEquals(list, a)
    case 'hashCode/0': return list.length
    default: return undefined
  }
}

type Key = string | number | boolean | null
const key = (v: Value | undefined): Key | undefined =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined

function mapMethod(map: VtlMap, name: string, args: Value[]): Value | undefined {
  const [a, b] = args
  switch (`${name}/${args.length}`) {
    case 'get/1': { const k = key(a); return k === undefined ? null : (map.get(k) ?? null) }
    case 'containsKey/1': { const k = key(a); return k !== undefined && map.has(k) }
    case 'containsValue/1': return [...map.values()].some((x) => javaEquals(x, a!))
    case 'keySet/0': return [...map.keys()]
    case 'values/0': return [...map.values()]
    case 'entrySet/0': return [...map].map(([k, v]) => entry(k, v))
    case 'size/0': return map.size
    case 'isEmpty/0': return map.size === 0
    case 'toString/0': return render(map)
    case 'put/2': {
      const k = key(a)
      if (k === undefined) return undefined
      const old = map.get(k) ?? null
      map.set(k, b!)
      return old
    }
    case 'putAll/1':
      if (!(a instanceof Map)) return undefined
      for (const [k, v] of a) map.set(k, v)
      return null
    case 'remove/1': {
      const k = key(a)
      if (k === undefined) return null
      const old = map.get(k) ?? null
      map.delete(k)
      return old
    }
    case 'clear/0': map.clear(); return null
    case 'equals/1': return a instanceof Map && vtlEquals(map, a)
    default: return undefined
  }
}

/** A Map.Entry: `$e.key`, `$e.value`, written `key=value`. */
function entry(k: Key, v: Value): Value {
  return {
    host: true,
    property: (name) => (name === 'key' ? k : name === 'value' ? v : undefined),
    call: (name, args) => (args.length === 0 && name === 'getKey' ? k : args.length === 0 && name === 'getValue' ? v : undefined),
    toString: () => `${render(k)}=${render(v)}`,
  }
}

function scalarMethod(v: number | boolean | JavaDouble, name: string, args: Value[]): Value | undefined {
  const [a] = args
  switch (`${name}/${args.length}`) {
    case 'toString/0': return render(v)
    case 'equals/1': return javaEquals(v, a!)
    case 'booleanValue/0': return typeof v === 'boolean' ? v : undefined
    case 'intValue/0': case 'longValue/0': return isNumber(v) ? Math.trunc(numberOf(v)) : undefined
    case 'doubleValue/0': case 'floatValue/0': return isNumber(v) ? new JavaDouble(numberOf(v)) : undefined
    case 'compareTo/1': return isNumber(v) && a !== undefined && isNumber(a) ? Math.sign(numberOf(v) - numberOf(a)) : undefined
    default: return undefined
  }
}
