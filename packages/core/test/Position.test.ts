import { Position } from "@chronicle/core"
import { PositionEncoding } from "@chronicle/core/engine"
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Array as Arr, Either, Equal, FastCheck, Schema } from "effect"

const position = Arbitrary.make(Position.PositionSchema)
const decode = Schema.decodeUnknownEither(Position.FromString)
const encode = Schema.encodeSync(Position.FromString)

describe("Position", () => {
  it.prop("survives its text unchanged", [position], ([p]) => {
    const text = encode(p)
    assert.strictEqual(text, Position.format(p))
    assert.strictEqual(JSON.stringify({ p }), JSON.stringify({ p: text }))
    const back = decode(text)
    assert.isTrue(Either.isRight(back) && Equal.equals(back.right, p))
  })

  it.prop("orders as its numbers do, counters before pairs", [position, position], ([a, b]) => {
    const [am, an] = PositionEncoding.toPair(a)
    const [bm, bn] = PositionEncoding.toPair(b)
    const expected = am !== bm ? Math.sign(am - bm) : Math.sign(an - bn)
    assert.strictEqual(Position.Order(a, b), expected)
    assert.strictEqual(Position.isAfter(a, b), expected > 0)
    assert.strictEqual(Position.isBefore(a, b), expected < 0)
    assert.strictEqual(Equal.equals(a, b), expected === 0)
  })

  it("reads counters and pairs, and nothing else", () => {
    assert.deepStrictEqual(Position.parse("0"), Position.start)
    assert.strictEqual(Position.format(PositionEncoding.fromCounter(42)), "42")
    assert.strictEqual(Position.format(PositionEncoding.fromPair(7781, 42)), "7781:42")
    assert.isTrue(Equal.equals(Position.parse("7781:42"), PositionEncoding.fromPair(7781, 42)))
    for (const bad of ["", "-1", "1.5", "01", "0:5", "a", "1:2:3", " 1", "1:", ":1", "9007199254740993", "NaN"]) {
      assert.isUndefined(Position.parse(bad), bad)
      assert.isTrue(Either.isLeft(decode(bad)), bad)
    }
    assert.isTrue(Either.isLeft(decode(42)))
    // Only text is read: a number or an object whose text would match is not a position.
    for (const notText of [42, null, { toString: () => "42" }]) {
      assert.isUndefined(Position.parse(notText as unknown as string), String(notText))
    }
  })

  it("says what a position's text is when it reads something else", () => {
    const failed = decode("1:2:3")
    assert.isTrue(Either.isLeft(failed))
    if (Either.isLeft(failed)) {
      assert.include(failed.left.message, 'a position is a whole number or two joined by ":" (got "1:2:3")')
    }
  })

  it("names its schemas in what they say: a value that is no position, text that is none", () => {
    const value = Schema.decodeUnknownEither(Position.PositionSchema)("x")
    assert.deepStrictEqual(Either.isLeft(value) ? value.left.message : value, 'Expected Position, actual "x"')
    const text = decode(7)
    assert.isTrue(Either.isLeft(text) && text.left.message.startsWith("PositionFromString\n"))
    assert.deepStrictEqual(
      [String(Position.PositionSchema), String(Position.FromString)],
      ["Position", "PositionFromString"]
    )
  })

  it("sorts the global order: start first, counters by number (not by text), pairs after", () => {
    const texts = ["10", "9", "0", "2:1", "1:9", "1:10", "100"]
    const sorted = Arr.sort(
      texts.map((t) => Position.parse(t)!),
      Position.Order
    ).map(Position.format)
    assert.deepStrictEqual(sorted, ["0", "9", "10", "100", "1:9", "1:10", "2:1"])
    assert.strictEqual(Position.format(Position.max(Position.parse("9")!, Position.parse("10")!)), "10")
    assert.isTrue(Position.isPosition(Position.start))
    assert.isFalse(Position.isPosition(42))
    assert.strictEqual(PositionEncoding.toCounter(PositionEncoding.fromCounter(17)), 17)
    assert.strictEqual(PositionEncoding.toCounter(PositionEncoding.fromPair(3, 1)), Number.MAX_SAFE_INTEGER)
  })

  it.prop("a counter store's positions survive their counter", [FastCheck.nat()], ([n]) => {
    assert.strictEqual(PositionEncoding.toCounter(PositionEncoding.fromCounter(n)), n)
  })
})
