import { CommandHandler, Decider, EventCodec, EventStore, SnapshotStore } from "@chronicle/core"
import { InMemoryEventStore, InMemorySnapshotStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Either, Layer, Option, Schema } from "effect"

const Added = Schema.TaggedStruct("Added", { by: Schema.Number })
const codec = EventCodec.make(Added)
const counter = Decider.make<{ readonly by: number }, typeof Added.Type, number>({
  initialState: 0,
  decide: (command) => Either.right([{ _tag: "Added", by: command.by }]),
  evolve: (total, event) => total + event.by
})
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
})
