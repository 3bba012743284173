import { CommandHandler, EventStore, SnapshotStore } from "@chronicle/core"
import { InMemoryEventStore, InMemorySnapshotStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { codec, counter } from "./fixtures/counter.js"

const stores = Layer.merge(InMemoryEventStore.layer, InMemorySnapshotStore.layer)

describe("CommandHandler loading", () => {
  it.effect("loadAt refuses a version or a time out of range, naming the argument", () =>
    Effect.gen(function* () {
      const handler = CommandHandler.make({ decider: counter, codec })
      const id = `load-at-${crypto.randomUUID()}`
      const version = yield* Effect.flip(handler.loadAt(id, { version: -1 }))
      assert.strictEqual(version._tag, "InvalidArgument")
      if (version._tag === "InvalidArgument") assert.strictEqual(version.argument, "version")
      const time = yield* Effect.flip(handler.loadAt(id, { time: new Date(Number.NaN) }))
      assert.deepStrictEqual(time._tag === "InvalidArgument" ? [time.argument, time.reason] : [], [
        "time",
        "must be a valid Date"
      ])
    }).pipe(Effect.provide(stores))
  )

  it.effect("snapshot stores the stream's state now, whatever the policy", () =>
    Effect.gen(function* () {
      const handler = CommandHandler.make({
        decider: counter,
        codec,
        snapshots: { schema: Schema.Number, policy: SnapshotStore.every(100) }
      })
      const id = `snapshot-now-${crypto.randomUUID()}`
      yield* EventStore.append(id, [{ type: "Added", data: { by: 4 } }])
      assert.deepStrictEqual(yield* handler.snapshot(id), { state: 4, version: 1 })
      const snapshots = yield* SnapshotStore.SnapshotStore
      const stored = yield* snapshots.load(id)
      assert.deepStrictEqual(
        Option.map(stored, (snapshot) => [snapshot.version, snapshot.state]),
        Option.some([1, 4])
      )
    }).pipe(Effect.provide(stores))
  )

  it.effect("a store whose fold hands it an empty page loads as any other", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      // A fold that starts with an empty page, as a store may when a page holds nothing.
      const emptyFirst: EventStore.EventStore["Type"] = {
        ...store,
        foldStream: (id, initial, step, options) =>
          Either.match(step(initial, []), {
            onLeft: (error) => Effect.fail(error),
            onRight: (state) => store.foldStream(id, state, step, options)
          })
      }
      const handler = CommandHandler.make({ decider: counter, codec, cache: false })
      const id = `empty-page-${crypto.randomUUID()}`
      const load = Effect.provideService(handler.load(id), EventStore.EventStore, emptyFirst)
      assert.deepStrictEqual(yield* load, { state: 0, version: 0 })
      yield* EventStore.append(id, [
        { type: "Added", data: { by: 2 } },
        { type: "Added", data: { by: 3 } }
      ])
      assert.deepStrictEqual(yield* load, { state: 5, version: 2 })
    }).pipe(Effect.provide(stores))
  )

  it.effect("loading from a snapshot asks for the stream's version only when no event follows the snapshot", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      let versionQueries = 0
      const counting: EventStore.EventStore["Type"] = {
        ...store,
        streamVersion: (id) =>
          Effect.zipRight(
            Effect.sync(() => versionQueries++),
            store.streamVersion(id)
          )
      }
      const handler = CommandHandler.make({
        decider: counter,
        codec,
        cache: false,
        snapshots: { schema: Schema.Number, policy: SnapshotStore.every(2) }
      })
      const id = `snapshot-version-${crypto.randomUUID()}`
      const run = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.provideService(effect, EventStore.EventStore, counting)
      yield* run(handler.handle(id, { by: 1 }))
      yield* run(handler.handle(id, { by: 2 }))
      yield* run(handler.handle(id, { by: 3 }))
      versionQueries = 0
      // The snapshot is at 2 and an event follows it: that event proves the stream reached the snapshot.
      assert.deepStrictEqual(yield* run(handler.load(id)), { state: 6, version: 3 })
      assert.strictEqual(versionQueries, 0)
      // At the stream's head, nothing follows: one query tells a snapshot at the head from one ahead of its stream.
      yield* run(handler.snapshot(id))
      assert.deepStrictEqual(yield* run(handler.load(id)), { state: 6, version: 3 })
      assert.strictEqual(versionQueries, 1)
    }).pipe(Effect.provide(stores))
  )
})
