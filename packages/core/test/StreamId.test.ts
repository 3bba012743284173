import { StreamId } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either } from "effect"

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
})
