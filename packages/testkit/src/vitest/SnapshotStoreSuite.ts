/**
 * The conformance suite every `SnapshotStore` runs.
 *
 * @since 0.1.0
 */
import { SnapshotStore } from "@chronicle/core"
import { assert, layer } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"

const uniqueStream = (label: string) => `${label}-${crypto.randomUUID()}`

/**
 * Registers the snapshot store suite: no snapshot at first, a JSON round trip, the latest wins, older saves change
 * nothing, streams are independent.
 *
 * @since 0.1.0
 * @category suites
 */
export const snapshotStoreSuite = <E>(name: string, storeLayer: Layer.Layer<SnapshotStore.SnapshotStore, E>) =>
  layer(storeLayer)(`SnapshotStore conformance: ${name}`, (it) => {
    it.effect("a stream without snapshots loads none", () =>
      Effect.gen(function* () {
        const store = yield* SnapshotStore.SnapshotStore
        assert.isTrue(Option.isNone(yield* store.load(uniqueStream("none"))))
      })
    )

    it.effect("saves and loads a snapshot as JSON, keeping the latest and ignoring older ones", () =>
      Effect.gen(function* () {
        const store = yield* SnapshotStore.SnapshotStore
        const streamId = uniqueStream("round-trip")
        const state = { balance: 150, owner: "Ann", tags: ["a", "b"], closed: null }
        yield* store.save({ streamId, version: 10, schemaVersion: "v1", state })
        assert.deepStrictEqual(
          yield* store.load(streamId),
          Option.some({ streamId, version: 10, schemaVersion: "v1", state })
        )
        yield* store.save({ streamId, version: 20, schemaVersion: "v2", state: { balance: 300 } })
        yield* store.save({ streamId, version: 15, schemaVersion: "v1", state: { balance: 1 } })
        assert.deepStrictEqual(
          yield* store.load(streamId),
          Option.some({ streamId, version: 20, schemaVersion: "v2", state: { balance: 300 } })
        )
        const other = uniqueStream("other")
        assert.isTrue(Option.isNone(yield* store.load(other)))
      })
    )

    it.effect("a snapshot at the stored version replaces it (the same events under a new state schema)", () =>
      Effect.gen(function* () {
        const store = yield* SnapshotStore.SnapshotStore
        const streamId = uniqueStream("same-version")
        yield* store.save({ streamId, version: 7, schemaVersion: "v1", state: { total: 7 } })
        yield* store.save({ streamId, version: 7, schemaVersion: "v2", state: { sum: 7, count: 7 } })
        assert.deepStrictEqual(
          yield* store.load(streamId),
          Option.some({ streamId, version: 7, schemaVersion: "v2", state: { sum: 7, count: 7 } })
        )
      })
    )

    it.effect("delete removes a stream's snapshot, and an older one can be saved after it", () =>
      Effect.gen(function* () {
        const store = yield* SnapshotStore.SnapshotStore
        const [streamId, other] = [uniqueStream("delete"), uniqueStream("kept")]
        yield* store.save({ streamId, version: 50, schemaVersion: "v1", state: { n: 50 } })
        yield* store.save({ streamId: other, version: 3, schemaVersion: "v1", state: { n: 3 } })
        yield* store.delete(streamId)
        assert.isTrue(Option.isNone(yield* store.load(streamId)))
        yield* store.save({ streamId, version: 2, schemaVersion: "v1", state: { n: 2 } })
        assert.deepStrictEqual(
          Option.map(yield* store.load(streamId), (s) => s.version),
          Option.some(2)
        )
        assert.deepStrictEqual(
          Option.map(yield* store.load(other), (s) => s.version),
          Option.some(3)
        )
        yield* store.delete(uniqueStream("never-saved"))
      })
    )

    it.effect("a state with no JSON form fails with StorageError and keeps the previous snapshot", () =>
      Effect.gen(function* () {
        const store = yield* SnapshotStore.SnapshotStore
        const streamId = uniqueStream("bad-state")
        yield* store.save({ streamId, version: 1, schemaVersion: "v1", state: { ok: true } })
        const error = yield* Effect.flip(store.save({ streamId, version: 2, schemaVersion: "v1", state: { n: 1n } }))
        assert.deepStrictEqual([error._tag, error.operation], ["StorageError", "SnapshotStore.save"])
        // States with no JSON text at all: the error says so.
        for (const state of [undefined, () => 1, Symbol("state")]) {
          const none = yield* Effect.flip(store.save({ streamId, version: 3, schemaVersion: "v1", state }))
          assert.strictEqual(none.message, "Storage failure in SnapshotStore.save: the state has no JSON form")
        }
        assert.deepStrictEqual(
          Option.map(yield* store.load(streamId), (s) => s.version),
          Option.some(1)
        )
      })
    )
  })
