// The EventStore module's functions reach the store in context, as its methods do.
import { EventStore } from "@chronicle/core"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"

describe("EventStore accessors", () => {
  it.effect("subscribe follows the store in context from a position", () =>
    Effect.gen(function* () {
      const id = `accessor-${crypto.randomUUID()}`
      const first = yield* EventStore.append(id, [{ type: "Noted", data: { n: 1 } }])
      yield* EventStore.append(id, [{ type: "Noted", data: { n: 2 } }])
      const followed = yield* Stream.runCollect(
        EventStore.subscribe({ after: first.positions[0]! }).pipe(Stream.take(1))
      )
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(followed).map((event) => [event.version, event.data]),
        [[2, { n: 2 }]]
      )
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )
})
