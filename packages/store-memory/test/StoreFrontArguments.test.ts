// The store front's argument checks, as a caller sees them: which argument an `InvalidArgument` names, and why.
import { EventStore, Query } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { InMemoryEventStore } from "../src/index.js"

const event = { type: "Noted", data: {} }

/** The argument and reason of the `InvalidArgument` an effect fails with. */
const refusal = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => {
    const e = error as { readonly _tag?: string; readonly argument?: string; readonly reason?: string }
    assert.strictEqual(e._tag, "InvalidArgument", String(error))
    return [e.argument, e.reason] as const
  })

describe("the store front's arguments", () => {
  it.effect("appendMany: an array, each stream once, a condition that is an object with valid parts", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      assert.deepStrictEqual(yield* refusal(store.appendMany("nope" as never)), ["appends", "must be an array"])
      const twice = yield* Effect.flip(
        store.appendMany([
          { streamId: "twice", events: [event] },
          { streamId: "twice", events: [event] }
        ])
      )
      assert.deepStrictEqual(
        [twice._tag, (twice as { argument?: string }).argument, (twice as { value?: unknown }).value],
        ["InvalidArgument", "appends", "twice"]
      )
      assert.strictEqual((twice as { reason?: string }).reason, "a stream may appear only once")
      const one = [{ streamId: "one", events: [event] }]
      assert.deepStrictEqual(yield* refusal(store.appendMany(one, { condition: null as never })), [
        "condition",
        "must be an object"
      ])
      assert.deepStrictEqual(yield* refusal(store.appendMany(one, { condition: 7 as never })), [
        "condition",
        "must be an object"
      ])
      const [argument] = yield* refusal(
        store.appendMany(one, { condition: { failIfEventsMatch: "x" as never, after: undefined } })
      )
      assert.strictEqual(argument, "condition.failIfEventsMatch")
      const [after] = yield* refusal(
        store.appendMany(one, { condition: { failIfEventsMatch: Query.all, after: "x" as never } })
      )
      assert.strictEqual(after, "condition.after")
      assert.strictEqual(yield* store.streamVersion("one"), 0)
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )

  it.effect("readAll and read: a category that is a non-empty string, not beside a query; a valid query", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const drain = (options: EventStore.ReadAllOptions) => Stream.runDrain(store.readAll(options))
      assert.deepStrictEqual(yield* refusal(drain({ query: Query.all, category: "x-" })), [
        "category",
        "give a query or a category"
      ])
      for (const category of ["", 5]) {
        assert.deepStrictEqual(yield* refusal(drain({ category: category as never })), [
          "category",
          "must be a non-empty string"
        ])
      }
      assert.strictEqual((yield* refusal(drain({ query: "x" as never })))[0], "query")
      assert.strictEqual((yield* refusal(store.read("x" as never)))[0], "query")
    }).pipe(Effect.provide(InMemoryEventStore.layer))
  )
})
