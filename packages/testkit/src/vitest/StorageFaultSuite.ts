/**
 * The storage-fault suite: what a store does when its storage fails under it. Every operation fails with a
 * `StorageError` whose `operation` names the service and the method, so an application's logs say what failed.
 *
 * @since 0.1.0
 */
import { EventStore, Position, Query, StorageError, StoreAdmin } from "@chronicle/core"
import { assert, layer } from "@effect/vitest"
import { Effect, Either, type Layer, Stream } from "effect"
import { increments, uniqueStream } from "./internal/fixtures.js"

type Services = EventStore.EventStore | StoreAdmin.StoreAdmin

/** Asserts that `effect` fails with a `StorageError` of `operation`. */
const failsIn = <A, E, R>(operation: string, effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => {
    assert.instanceOf(error, StorageError.StorageError, `${operation}: ${String(error)}`)
    assert.strictEqual((error as StorageError.StorageError).operation, operation)
  })

/**
 * Registers the storage-fault suite. The layer must provide a store of its own (no other test uses it); `breakStorage`
 * takes its storage away for good (drops or renames the events table, say), with what else the layer provides.
 *
 * Covers, after the break: `append` (plain, empty, with chosen ids), `appendMany` (with and without a condition),
 * `read`, `readStream`, `foldStream`, `readAll` (with and without a query), `subscribe`, `streamVersion`,
 * `headPosition`, and `StoreAdmin`'s `listStreams`, `stats`, `lastCommitted`, `countAfter` and `importEvents`: each
 * fails with a `StorageError` naming its service and method (`EventStore.append`, `StoreAdmin.stats`; `appendMany`
 * names `EventStore.append`, `foldStream` names `EventStore.readStream`, and reads in global order — `readAll`, filtered
 * or not, and `subscribe` — name `EventStore.readAll`).
 *
 * @since 0.1.0
 * @category suites
 */
export const storageFaultSuite = <R, E>(
  name: string,
  storeLayer: Layer.Layer<Services | R, E>,
  breakStorage: Effect.Effect<void, unknown, Services | R>
): void =>
  layer(storeLayer, { timeout: "60 seconds" })(`Storage faults: ${name}`, (it) => {
    it.effect("every operation on storage that fails under it fails with a StorageError naming the operation", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const admin = yield* StoreAdmin.StoreAdmin
        const streamId = uniqueStream("fault")
        const written = yield* store.append(streamId, increments(2))
        yield* Effect.orDie(breakStorage)

        yield* failsIn("EventStore.append", store.append(streamId, increments(1)))
        yield* failsIn("EventStore.append", store.append(uniqueStream("fault"), []))
        yield* failsIn(
          "EventStore.append",
          store.append(streamId, [{ id: crypto.randomUUID(), type: "Incremented", data: { by: 1 } }])
        )
        yield* failsIn("EventStore.append", store.appendMany([{ streamId, events: increments(1) }]))
        yield* failsIn(
          "EventStore.append",
          store.appendMany([{ streamId, events: increments(1) }], {
            condition: { failIfEventsMatch: Query.item({ types: ["Noted"] }), after: written.positions[1] }
          })
        )
        yield* failsIn("EventStore.read", store.read(Query.item({ types: ["Incremented"] })))
        yield* failsIn("EventStore.readStream", Stream.runDrain(store.readStream(streamId)))
        yield* failsIn(
          "EventStore.readStream",
          store.foldStream(streamId, 0, (n, page) => Either.right(n + page.length))
        )
        yield* failsIn("EventStore.readAll", Stream.runDrain(store.readAll()))
        yield* failsIn("EventStore.readAll", Stream.runDrain(store.readAll({ query: Query.item({ tags: ["t"] }) })))
        yield* failsIn("EventStore.readAll", Stream.runDrain(store.subscribe({ after: Position.start, maxCount: 1 })))
        yield* failsIn("EventStore.streamVersion", store.streamVersion(streamId))
        yield* failsIn("EventStore.headPosition", store.headPosition)

        yield* failsIn("StoreAdmin.listStreams", admin.listStreams())
        yield* failsIn("StoreAdmin.stats", admin.stats)
        yield* failsIn("StoreAdmin.lastCommitted", admin.lastCommitted)
        yield* failsIn("StoreAdmin.countAfter", admin.countAfter(Position.start))
        yield* failsIn(
          "StoreAdmin.importEvents",
          admin.importEvents([
            {
              id: crypto.randomUUID(),
              streamId: uniqueStream("fault"),
              version: 1,
              type: "Imported",
              data: {},
              metadata: {},
              tags: [],
              recordedAt: new Date(Date.UTC(2020, 0, 1))
            }
          ])
        )
      })
    )
  })
