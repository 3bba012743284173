// Chai's deep equality (`assert.deepStrictEqual`, `assert.deepEqual`) on Effect's data types, made sound.
//
// deep-eql compares two objects by their enumerable keys when they have as many, and otherwise by what iterating them
// yields. Effect's `Option` and `Either` are iterable (for `yield*` in `Effect.gen`), and each yields one opaque wrapper:
// so `Option.some(x)` (one key, `value`) and `Option.none()` (none) were compared by their wrappers and found equal.
// Every test asserting an Option with `assert.deepStrictEqual` could pass whatever the Option held.
//
// Values that implement Effect's `Equal` (Option, Either, Exit, Data and Schema classes, Chunk, ...) of different kinds
// (different prototypes: `Some` and `None`, `Left` and `Right`) are unequal; everything else is compared as before.
import { Equal } from "effect"
import { chai } from "vitest"

const isObject = (value: unknown): value is object => typeof value === "object" && value !== null

/** Effect values of different kinds are never deeply equal; `null` leaves the rest to deep-eql. */
export const comparator = (expected: unknown, actual: unknown): boolean | null =>
  isObject(expected) &&
  isObject(actual) &&
  Equal.isEqual(expected) &&
  Equal.isEqual(actual) &&
  Object.getPrototypeOf(expected) !== Object.getPrototypeOf(actual)
    ? false
    : null

chai.config.deepEqual = (expected, actual) => chai.util.eql(expected, actual, { comparator })
