import { assert, describe, it } from "@effect/vitest"
import { FastCheck } from "effect"
import * as JsonCopy from "../src/internal/jsonCopy.js"

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown

/** Every object and array reachable from a value. */
const containers = (value: unknown, into = new Set<unknown>()): Set<unknown> => {
  if (typeof value === "object" && value !== null && !into.has(value)) {
    into.add(value)
    for (const item of Object.values(value)) containers(item, into)
  }
  return into
}

const checkCopy = (value: unknown) => {
  const json = JSON.stringify(value)
  const copied = JsonCopy.copy(value, json)
  assert.deepStrictEqual(copied, roundTrip(value))
  assert.strictEqual(JSON.stringify(copied), json)
  // Nothing is shared: no object or array of the copy is one of the value's.
  const original = containers(value)
  for (const part of containers(copied)) assert.isFalse(original.has(part))
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number
  ) {}
}

describe("the in-memory store's copy of event data", () => {
  it("is what parsing the data's JSON gives, for any JSON value", () => {
    FastCheck.assert(FastCheck.property(FastCheck.jsonValue(), checkCopy), { numRuns: 500 })
  })

  it("is what parsing the data's JSON gives for data JSON rewrites: toJSON, classes, undefined, NaN, -0, holes", () => {
    const withProto = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown
    const sparse: Array<number> = new Array(3)
    sparse[0] = 1
    sparse[2] = 3
    for (const value of [
      { at: new Date(5), n: Number.NaN, inf: -Infinity, zero: -0, skip: undefined, f: () => 1 },
      [undefined, Number.NaN, -0, () => 1, Symbol("s")],
      sparse,
      { point: new Point(1, 2), nested: { list: [new Map([[1, 2]]), new Set([1])] } },
      { custom: { toJSON: () => ({ replaced: true }) } },
      Object.assign(Object.create(null) as object, { a: 1, b: [true, null, "x"] }),
      withProto,
      { 2: "b", 1: "a", z: "z", a: "a" },
      { deep: Array.from({ length: 100 }).reduce<unknown>((inner) => ({ inner }), { leaf: 1 }) },
      { text: "\ud800 lone surrogate, ünïcødé, \u0000 control" }
    ]) {
      checkCopy(value)
    }
    assert.isUndefined(({} as { polluted?: boolean }).polluted)
    const zero = JsonCopy.copy({ zero: -0 }, JSON.stringify({ zero: -0 })) as { readonly zero: number }
    assert.isTrue(Object.is(zero.zero, 0))
  })
})
