import { StreamId } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"

describe("StreamId", () => {
  it("accepts ordinary ids, unicode and quotes", () => {
    for (const ok of ["ACC-001", "BankAccount-ACC-001", "x'; DROP TABLE events;--", "ünï©ødé 🚀", "a".repeat(256)]) {
      assert.isTrue(Either.isRight(StreamId.validate(ok)), ok)
    }
  })

  it.effect("rejects empty, too long and control characters with InvalidStreamId", () =>
    Effect.gen(function* () {
      for (const bad of ["", "a".repeat(257), "tab\there", "nul\u0000", "del\u007f", "c1\u0085"]) {
        const error = yield* Effect.flip(StreamId.make(bad))
        assert.strictEqual(error._tag, "InvalidStreamId")
        assert.strictEqual(error.input, bad)
        assert.isTrue(error.reason.length > 0)
      }
    })
  )

  it("unsafeMake throws on an invalid id", () => {
    assert.throws(() => StreamId.unsafeMake(""))
    assert.strictEqual(StreamId.unsafeMake("ok"), "ok")
  })

  it("validate and the StreamId schema agree on each rule, at its edge", () => {
    const decode = Schema.decodeUnknownEither(StreamId.StreamId)
    const cases: ReadonlyArray<readonly [string, string | undefined]> = [
      ["a".repeat(StreamId.maxLength), undefined],
      ["a".repeat(StreamId.maxLength + 1), "a stream id must be at most 256 characters (got 257)"],
      ["", "a stream id must not be empty"],
      [" ~\u00a0", undefined],
      ["unit\u001f", "a stream id must not contain control characters"],
      ["c1\u009f", "a stream id must not contain control characters"],
      ["pair \ud83d\ude80", undefined],
      ["lone \ud83d", "a stream id must be well-formed Unicode (it has a lone surrogate)"],
      ["\ude80 lone", "a stream id must be well-formed Unicode (it has a lone surrogate)"]
    ]
    for (const [input, reason] of cases) {
      const validated = StreamId.validate(input)
      const decoded = decode(input)
      if (reason === undefined) {
        assert.deepStrictEqual<unknown>(validated, Either.right(input), input)
        assert.deepStrictEqual<unknown>(decoded, Either.right(input), input)
      } else {
        assert.deepStrictEqual(
          Either.map(Either.flip(validated), (error) => error.reason),
          Either.right(reason),
          input
        )
        assert.isTrue(Either.isLeft(decoded), input)
      }
    }
  })

  it("validate refuses what is not a string, as untyped callers may pass", () => {
    for (const bad of [["an-array"], 42, null]) {
      const error = Either.flip(StreamId.validate(bad as unknown as string))
      assert.isTrue(Either.isRight(error), String(bad))
    }
  })

  it("the error's message quotes the first 80 characters of the input and gives the reason", () => {
    const error = Either.getOrThrow(Either.flip(StreamId.validate("x".repeat(300))))
    assert.strictEqual(
      error.message,
      `Invalid stream id "${"x".repeat(80)}": a stream id must be at most 256 characters (got 300)`
    )
  })
})
