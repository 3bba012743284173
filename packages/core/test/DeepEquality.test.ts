// The deep equality every test suite asserts with (scripts/vitest/EffectEquality.ts, set up by vitest.shared.ts):
// chai's own found `Option.some(x)` deeply equal to `Option.none()`, so an assertion on an Option could not fail.
import { assert, describe, it } from "@effect/vitest"
import { Data, Either, Option } from "effect"

class Point extends Data.Class<{ readonly x: number }> {}

describe("assert.deepStrictEqual on Effect's data types", () => {
  it("tells Some from None and Left from Right, at any depth", () => {
    const some = Option.some(1) as Option.Option<number>
    assert.throws(() => assert.deepStrictEqual(some, Option.none()))
    assert.throws(() => assert.deepStrictEqual(Option.none(), some))
    assert.throws(() => assert.deepStrictEqual({ found: some }, { found: Option.none() }))
    assert.throws(() => assert.deepStrictEqual([Option.some("")], [Option.none()]))
    const right = Either.right(1) as Either.Either<number, number>
    assert.throws(() => assert.deepStrictEqual(right, Either.left(1)))
  })

  it("still compares values of one kind by what they hold", () => {
    assert.deepStrictEqual(Option.some({ a: [1, 2] }), Option.some({ a: [1, 2] }))
    assert.throws(() => assert.deepStrictEqual(Option.some({ a: 1 }), Option.some({ a: 2 })))
    assert.deepStrictEqual(Option.none(), Option.none())
    assert.deepStrictEqual(new Point({ x: 1 }), new Point({ x: 1 }))
    assert.throws(() => assert.deepStrictEqual(new Point({ x: 1 }), new Point({ x: 2 })))
    assert.notDeepEqual(Option.some(1) as Option.Option<number>, Option.none())
  })
})
