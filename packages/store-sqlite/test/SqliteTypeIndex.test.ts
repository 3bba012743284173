// The type index is written in runs (migration 4): every event up to the last multiple of `typesRun` is in
// `<events>_types`, the newer ones are not yet, and a read by type finds exactly the events of its types in both
// parts, from any position, whichever engine wrote them (the store's own, or the shared one over a client).
import { EventStore, type Position, Query, type RecordedEvent } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Chunk, Effect, Layer, Stream } from "effect"
import { typesRun } from "../src/internal/dialect.js"
import { SqliteEventStore } from "../src/index.js"

const layers = {
  owned: SqliteEventStore.layerWithClient({ filename: ":memory:" }),
  client: Layer.provideMerge(SqliteEventStore.layerFromClient(), SqliteClient.layer({ filename: ":memory:" }))
}

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), (chunk) => Chunk.toReadonlyArray(chunk))

const ids = (events: ReadonlyArray<RecordedEvent.RecordedEvent>) => events.map((event) => event.id)

/** What a read by `types` after `after` must return: every such event of the whole store, in global order. */
const expected = (all: ReadonlyArray<RecordedEvent.RecordedEvent>, types: ReadonlyArray<string>, after: number) =>
  ids(all.slice(after).filter((event) => types.includes(event.type)))

describe("SQLite type index in runs", () => {
  for (const [name, layer] of Object.entries(layers)) {
    it.effect(`reads by type find every match, indexed or not yet (${name})`, () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const indexedUpTo = Effect.map(
          sql<{ up_to: number }>`SELECT up_to FROM chronicle_events_types_indexed`,
          (rows) => rows[0]!.up_to
        )
        // Batches of 1, 7 and 100 events over three streams and three types, up to past two runs and a half.
        const sizes = [1, 7, 100]
        let written = 0
        for (let n = 0; written < 2 * typesRun + typesRun / 2; n++) {
          const size = sizes[n % sizes.length]!
          const events = Array.from({ length: size }, (_, i) => ({
            type: `T${(written + i) % 3}`,
            data: { n: written + i }
          }))
          yield* store.append(`Typed-${n % 3}-${crypto.randomUUID()}`, events)
          written += size
          const up = yield* indexedUpTo
          assert.strictEqual(up, Math.floor(written / typesRun) * typesRun, `after ${written} events`)
          const [count] = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM chronicle_events_types`
          assert.strictEqual(count!.n, up)
        }
        const all = yield* collect(store.readAll())
        assert.strictEqual(all.length, written)
        const positions: ReadonlyArray<Position.Position> = all.map((event) => event.position)
        for (const types of [["T1"], ["T0", "T2"], ["T0", "T1", "T2"], ["Unknown"]]) {
          for (const after of [0, 5, typesRun - 1, typesRun, typesRun + 3, 2 * typesRun, written - 2, written]) {
            const from = after === 0 ? undefined : positions[after - 1]
            const read = yield* collect(
              store.readAll({ query: Query.item({ types }), ...(from === undefined ? {} : { after: from }) })
            )
            assert.deepStrictEqual(ids(read), expected(all, types, after), `${types.join(",")} after ${after}`)
          }
        }
        // A query read in pages smaller than a run crosses from the index into the newest events without a gap.
        const paged = yield* collect(store.readAll({ query: Query.item({ types: ["T2"] }), pageSize: 7 }))
        assert.deepStrictEqual(ids(paged), expected(all, ["T2"], 0))
      }).pipe(Effect.provide(layer))
    )
  }
})
