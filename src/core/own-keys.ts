// Maps built from names a client chose (headers, query strings) are plain objects, so one name is special:
// `obj['__proto__'] = v` sets the object's prototype (or is ignored for a string) instead of adding a key,
// and `obj['__proto__'] ??= []` finds Object.prototype. These write it as an ordinary own key, which
// JSON.stringify then writes like any other — what AWS's services (Java maps) do with such a name.

/** Sets `map[name] = value` as an own, enumerable key whatever the name. */
export function setOwn<T>(map: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true })
  else map[name] = value
}

/** Appends `value` to the list at `map[name]`, making the list (an own key) on first use. */
export function pushOwn<T>(map: Record<string, T[]>, name: string, value: T): void {
  const list = Object.hasOwn(map, name) ? map[name] : undefined
  if (list !== undefined) list.push(value)
  else setOwn(map, name, [value])
}
