/**
 * A copy of event data as the JSON a database would keep of it: what `JSON.parse(JSON.stringify(value))` gives, for
 * data the store front has already serialized (so it is known to serialize), without parsing that text back. Plain
 * data (objects whose prototype is `Object.prototype` or `null`, arrays, strings, finite numbers, booleans, `null`) is
 * copied by walking it, several times faster than parsing; anything else — a `toJSON` method, a class instance such as
 * a `Date`, `undefined`, `NaN` or an infinity, a hole, a `__proto__` key, very deep nesting — is left to `JSON.parse`
 * of the text, which is what it means by definition.
 *
 * @since 0.1.0
 * @internal
 */

const unsupported = Symbol("unsupported")

const maxDepth = 64

const copyValue = (value: unknown, depth: number): unknown => {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value
    case "number":
      // JSON writes -0 as 0; NaN and the infinities as null, which the parse path gives.
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : unsupported
    case "object":
      if (value === null) return null
      if (depth >= maxDepth) return unsupported
      return Array.isArray(value) ? copyArray(value, depth + 1) : copyObject(value, depth + 1)
    default:
      return unsupported
  }
}

const copyArray = (array: ReadonlyArray<unknown>, depth: number): unknown => {
  const out: Array<unknown> = new Array(array.length)
  for (let i = 0; i < array.length; i++) {
    const item = copyValue(array[i], depth)
    if (item === unsupported) return unsupported
    out[i] = item
  }
  return out
}

const copyObject = (object: object, depth: number): unknown => {
  const prototype = Object.getPrototypeOf(object)
  if (prototype !== Object.prototype && prototype !== null) return unsupported
  if (typeof (object as { readonly toJSON?: unknown }).toJSON === "function") return unsupported
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(object)) {
    if (key === "__proto__") return unsupported
    const item = copyValue((object as Record<string, unknown>)[key], depth)
    if (item === unsupported) return unsupported
    out[key] = item
  }
  return out
}

/**
 * `JSON.parse(json)`, where `json` is `JSON.stringify(value)`: a fresh copy that shares nothing with `value`.
 *
 * @since 0.1.0
 * @internal
 */
export const copy = (value: unknown, json: string): unknown => {
  const copied = copyValue(value, 0)
  return copied === unsupported ? JSON.parse(json) : copied
}
