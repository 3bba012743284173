// A decision the codec cannot encode fails the command with `InvalidEvent`, naming the stream and the event, and
// writes nothing — with metadata or without.
import { CommandHandler, Decider, EventCodec, EventStore } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"

const Counted = Schema.TaggedStruct("Counted", { count: Schema.NonNegative })
const codec = EventCodec.make(Counted)
// Decides the counts given, in order; a negative one does not fit the event's schema.
const counts = Decider.make({
  initialState: 0,
  decide: (given: ReadonlyArray<number>, _total: number) =>
    Either.right(given.map((count) => ({ _tag: "Counted" as const, count }))),
  evolve: (total: number, event: typeof Counted.Type) => total + event.count
})

describe("CommandHandler encoding", () => {
  it.effect("an event its schema cannot encode fails the command with InvalidEvent naming stream and index", () =>
    Effect.gen(function* () {
      const handler = CommandHandler.make({ decider: counts, codec })
      for (const metadata of [undefined, { by: "test" }]) {
        const id = `encode-${crypto.randomUUID()}`
        const error = yield* Effect.flip(handler.handle(id, [1, 2, -3], metadata === undefined ? {} : { metadata }))
        assert.deepStrictEqual(error._tag === "InvalidEvent" ? [error.streamId, error.index] : error, [id, 2])
        assert.strictEqual(yield* EventStore.streamVersion(id), 0)
      }
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )
})
