import { CommandHandler, Decider, EventCodec } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { HandlerLaws } from "@chronicle/testkit"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, FastCheck, Schema } from "effect"

const Added = Schema.TaggedStruct("Added", { n: Schema.Int })
type Added = typeof Added.Type
class TooMuch extends Schema.TaggedError<TooMuch>()("TooMuch", { total: Schema.Number }) {}

/** A total that refuses to pass 100. */
const counter = Decider.make({
  initialState: 0,
  decide: (n: number, total: number) =>
    total + n > 100 ? Either.left(new TooMuch({ total })) : Either.right([Added.make({ n })]),
  evolve: (total: number, event: Added) => total + event.n
})
const codec = EventCodec.make(Added)
const command = FastCheck.integer({ min: 0, max: 40 })

const violationOf = <R>(effect: Effect.Effect<void, HandlerLaws.HandlerLawViolation, R>) =>
  Effect.flip(effect).pipe(Effect.provide(InMemoryEventStore.layer))

const handler = CommandHandler.make({ decider: counter, codec })

/** The violation the laws find in the counter's handler with `handle` replaced. */
const violationWith = (handle: typeof handler.handle) =>
  violationOf(HandlerLaws.check({ decider: counter, codec, command, handler: { ...handler, handle } }))

describe("HandlerLaws on the in-memory store", () => {
  it.effect("hold for a lawful decider, codec and handler", () =>
    HandlerLaws.check({ decider: counter, codec, command, numRuns: 50 }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("catch a codec that loses information, with a shrunk counterexample", () =>
    Effect.gen(function* () {
      // Decoding caps stored amounts at 10: every write succeeds, the replayed state differs.
      const capped = Schema.transform(Schema.Int, Schema.Int, {
        strict: true,
        decode: (n) => Math.min(n, 10),
        encode: (n) => n
      })
      const lossy = EventCodec.make(Schema.TaggedStruct("Added", { n: capped }))
      const violation = yield* violationOf(HandlerLaws.check({ decider: counter, codec: lossy, command, seed: 1 }))
      assert.strictEqual(violation.law, "replay")
      assert.deepStrictEqual(violation.commands, [11])
      assert.include(violation.message, "replay gives")
      assert.isNumber(violation.seed)
    })
  )

  it.effect("catch a handler that fails where decide accepts", () =>
    Effect.gen(function* () {
      const violation = yield* violationWith((streamId, n, options) =>
        n === 7 ? Effect.fail(new TooMuch({ total: -1 })) : handler.handle(streamId, n, options)
      )
      assert.strictEqual(violation.law, "refusal")
      assert.deepStrictEqual(violation.commands, [7])
    })
  )

  it.effect("catch a handler whose state is not what its events replay to", () =>
    Effect.gen(function* () {
      const violation = yield* violationWith((streamId, n, options) =>
        Effect.map(handler.handle(streamId, n, options), (handled) => ({ ...handled, state: handled.state * 2 }))
      )
      assert.strictEqual(violation.law, "replay")
      assert.deepStrictEqual(violation.commands, [1])
    })
  )
})
