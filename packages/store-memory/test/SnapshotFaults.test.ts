import { CommandHandler, EventStore, SnapshotStore, StorageError } from "@chronicle/core"
import { InMemoryEventStore, InMemorySnapshotStore } from "@chronicle/store-memory"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel, Option, Schema } from "effect"
import { codec, counter } from "./fixtures/counter.js"

// A snapshot is only a cache: a snapshot store that fails, or a state its schema cannot encode, costs a replay or a
// missing snapshot and a warning naming the stream — never a failed command or a wrong state.

type Operation = "load" | "save" | "delete"

/** The in-memory snapshot store, with the operations named failing as a storage fault would. */
const faultyLayer = (failing: ReadonlyArray<Operation>) =>
  Layer.effect(
    SnapshotStore.SnapshotStore,
    Effect.map(InMemorySnapshotStore.make, (store) => {
      const fault = (operation: Operation) =>
        new StorageError.StorageError({ operation: `snapshot ${operation}`, cause: new Error("disk on fire") })
      return {
        load: (streamId) => (failing.includes("load") ? Effect.fail(fault("load")) : store.load(streamId)),
        save: (snapshot) => (failing.includes("save") ? Effect.fail(fault("save")) : store.save(snapshot)),
        delete: (streamId) => (failing.includes("delete") ? Effect.fail(fault("delete")) : store.delete(streamId))
      }
    })
  )

/** Runs `effect` with every warning logged collected: its message and the values logged with it. */
const warnings = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const logged: Array<ReadonlyArray<unknown>> = []
    const logger = Logger.make(({ logLevel, message }) => {
      if (logLevel === LogLevel.Warning) logged.push(Array.isArray(message) ? message : [message])
    })
    return Effect.map(Effect.provide(effect, Logger.replace(Logger.defaultLogger, logger)), (value) => ({
      value,
      logged
    }))
  })

const handlerWith = (schema: Schema.Schema<number> = Schema.Number) =>
  CommandHandler.make({ decider: counter, codec, snapshots: { schema, policy: SnapshotStore.every(2) } })

const isStorageError = (value: unknown, operation: string) =>
  value instanceof StorageError.StorageError && value.operation === operation

describe("CommandHandler with a failing snapshot store", () => {
  it.effect(
    "a snapshot that cannot be loaded: the stream is replayed, and a warning names the stream and the fault",
    () =>
      Effect.gen(function* () {
        const id = `fault-load-${crypto.randomUUID()}`
        yield* EventStore.append(id, [
          { type: "Added", data: { by: 2 } },
          { type: "Added", data: { by: 5 } }
        ])
        const { value, logged } = yield* warnings(handlerWith().load(id))
        assert.deepStrictEqual(value, { state: 7, version: 2 })
        assert.strictEqual(logged.length, 1)
        assert.strictEqual(logged[0]?.[0], `Snapshot of ${id} not loaded`)
        assert.isTrue(isStorageError(logged[0]?.[1], "snapshot load"))
      }).pipe(Effect.provide(Layer.merge(InMemoryEventStore.layer, faultyLayer(["load"]))))
  )

  it.effect("a snapshot that cannot be saved: the command's events stay committed, and a warning says which", () =>
    Effect.gen(function* () {
      const id = `fault-save-${crypto.randomUUID()}`
      const handler = handlerWith()
      yield* handler.handle(id, { by: 3 })
      const { value, logged } = yield* warnings(handler.handle(id, { by: 4 }))
      assert.strictEqual(value.version, 2)
      assert.deepStrictEqual(yield* handler.load(id), { state: 7, version: 2 })
      assert.strictEqual(logged.length, 1)
      assert.strictEqual(logged[0]?.[0], `Snapshot of ${id} at 2 not saved`)
      assert.isTrue(isStorageError(logged[0]?.[1], "snapshot save"))
      // `snapshot` too returns the state it could not store.
      const now = yield* warnings(handler.snapshot(id))
      assert.deepStrictEqual(now.value, { state: 7, version: 2 })
      assert.deepStrictEqual(
        now.logged.map((message) => message[0]),
        [`Snapshot of ${id} at 2 not saved`]
      )
    }).pipe(Effect.provide(Layer.merge(InMemoryEventStore.layer, faultyLayer(["save"]))))
  )

  it.effect("a state its schema cannot encode is not stored: the command succeeds, and a warning says so", () =>
    Effect.gen(function* () {
      const id = `fault-encode-${crypto.randomUUID()}`
      const handler = handlerWith(Schema.NonNegative)
      yield* handler.handle(id, { by: -3 })
      const { value, logged } = yield* warnings(handler.handle(id, { by: -4 }))
      assert.strictEqual(value.version, 2)
      assert.strictEqual(logged.length, 1)
      assert.strictEqual(logged[0]?.[0], `Snapshot of ${id} at 2 not saved`)
      assert.strictEqual((logged[0]?.[1] as { readonly _tag?: string })?._tag, "ParseError")
      const snapshots = yield* SnapshotStore.SnapshotStore
      assert.isTrue(Option.isNone(yield* snapshots.load(id)))
      // A state it can encode is stored as usual.
      yield* handler.handle(id, { by: 20 })
      yield* handler.handle(id, { by: 1 })
      assert.deepStrictEqual(
        Option.map(yield* snapshots.load(id), (snapshot) => [snapshot.version, snapshot.state]),
        Option.some([4, 14])
      )
    }).pipe(Effect.provide(Layer.merge(InMemoryEventStore.layer, InMemorySnapshotStore.layer)))
  )

  it.effect("a snapshot ahead of its stream that cannot be deleted: replayed, and both warnings logged", () =>
    Effect.gen(function* () {
      const id = `fault-delete-${crypto.randomUUID()}`
      yield* EventStore.append(id, [{ type: "Added", data: { by: 6 } }])
      const handler = handlerWith()
      const snapshots = yield* SnapshotStore.SnapshotStore
      yield* snapshots.save({
        streamId: id,
        version: 9,
        schemaVersion: CommandHandler.schemaVersionOf(Schema.Number),
        state: 1000
      })
      const { value, logged } = yield* warnings(handler.load(id))
      assert.deepStrictEqual(value, { state: 6, version: 1 })
      assert.deepStrictEqual(
        logged.map((message) => message[0]),
        [
          `Snapshot of ${id} at version 9 is ahead of its stream: deleted`,
          `Snapshot of ${id} ahead of its stream not deleted`
        ]
      )
      assert.isTrue(isStorageError(logged[1]?.[1], "snapshot delete"))
      assert.isTrue(Option.isSome(yield* snapshots.load(id)))
    }).pipe(Effect.provide(Layer.merge(InMemoryEventStore.layer, faultyLayer(["delete"]))))
  )
})
