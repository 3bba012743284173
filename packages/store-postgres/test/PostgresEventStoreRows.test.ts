// What the store keeps and how it reads it on PostgreSQL: the JSON text as serialized, each event's own recordedAt to
// the millisecond, (transaction id, sequence) positions, the visibility horizon under an open transaction, and the
// plans of the global reads (a keyset walk of the primary key, no sort).
import { EventStore, ExpectedVersion, Position, type RecordedEvent, type StreamId } from "@chronicle/core"
import type { StorageEngine } from "@chronicle/core/engine"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { SqlEngine } from "@chronicle/sql"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Chunk, Context, Effect, Fiber, Layer, Stream, TestClock } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { PostgresEventStore } from "../src/index.js"

const url = await testDatabase("rows")

/** The store over its own pool, and that pool. */
const open = Effect.map(Layer.build(Layer.suspend(() => PostgresEventStore.layerWithClient({ url }))), (context) => ({
  store: Context.get(context, EventStore.EventStore),
  sql: Context.get(context, SqlClient.SqlClient)
}))

const readAll = (store: EventStore.EventStore["Type"], after = Position.start) =>
  Effect.map(Stream.runCollect(store.readAll({ after })), Chunk.toReadonlyArray)

const prepared = (
  overrides: Partial<StorageEngine.PreparedEvent> & { readonly dataJson: string }
): StorageEngine.PreparedEvent => ({
  id: crypto.randomUUID(),
  idProvided: false,
  type: "Noted",
  data: JSON.parse(overrides.dataJson),
  metadata: {},
  metadataJson: "{}",
  tags: [],
  recordedAt: 0,
  ...overrides
})

/** Every node type of an `EXPLAIN (FORMAT JSON)` plan. */
const nodeTypes = (plan: unknown): Array<string> => {
  const node = plan as { readonly "Node Type": string; readonly Plans?: ReadonlyArray<unknown> }
  return [node["Node Type"], ...(node.Plans ?? []).flatMap(nodeTypes)]
}

describe("PostgresEventStore rows", () => {
  it.scoped("keeps data and metadata as the exact JSON text given and each event's own recordedAt, on both paths", () =>
    Effect.gen(function* () {
      const { sql } = yield* open
      const engine = yield* SqlEngine.make({ dialect, tables: SqlEngine.defaultTables, pollInterval: "1 second" }).pipe(
        Effect.provideService(SqlClient.SqlClient, sql)
      )
      // Not what JSON.stringify would write: spaces, key order, escapes, a lone surrogate, a character beyond the BMP.
      const texts = ['{ "b" : 1,\n  "a": [1, 2.50] }', '{"z":"\\u00e9\\ud800 🦀","a":null}', "[ ]"]
      const metadata = ['{"correlationId" :  "c-1"}', "{}", '{"b":2,"a":1}']
      const times = [1_700_000_000_123, 1_700_000_000_999, 86_400_000 * 365 * 500 + 7]
      const batch = texts.map((dataJson, i) =>
        prepared({ dataJson, metadataJson: metadata[i]!, recordedAt: times[i]! })
      )
      const stream = (name: string) => name as StreamId.StreamId
      const request = (name: string): StorageEngine.AppendRequest => ({
        streamId: stream(name),
        events: batch,
        expectedVersion: ExpectedVersion.noStream
      })
      // One statement of its own, and by the rule inside the application's transaction.
      yield* engine.append(request("verbatim-fast"))
      yield* sql.withTransaction(engine.append(request("verbatim-rule")))
      for (const name of ["verbatim-fast", "verbatim-rule"]) {
        const rows = yield* sql<{
          readonly data: string
          readonly metadata: string
          readonly recorded_at: string
        }>`SELECT data::text AS data, metadata::text AS metadata, recorded_at FROM chronicle_events WHERE stream_id = ${name} ORDER BY version`
        assert.deepStrictEqual(
          rows.map((row) => [row.data, row.metadata, Number(row.recorded_at)]),
          texts.map((text, i) => [text, metadata[i], times[i]])
        )
        const read = yield* engine.readStream(stream(name), { from: 1, to: 10, limit: 10, direction: "forward" })
        assert.deepStrictEqual(
          read.map((event) => event.recordedAt.getTime()),
          times
        )
        assert.deepStrictEqual(read[1]!.data, { z: "é\ud800 🦀", a: null })
        assert.deepStrictEqual(read[0]!.metadata, { correlationId: "c-1" })
      }
      const columns = yield* sql<{ readonly column_name: string; readonly data_type: string }>`
        SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'chronicle_events'`
      const types = Object.fromEntries(columns.map((c) => [c.column_name, c.data_type]))
      assert.strictEqual(types.data, "json")
      assert.strictEqual(types.metadata, "json")
      assert.strictEqual(types.transaction_id, "xid8")
    })
  )

  it.scoped("positions are (transaction id, sequence): one id per transaction, sequences increasing in a batch", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* open
      const batch = yield* store.append(
        "pairs-1",
        [1, 2, 3].map((n) => ({ type: "Noted", data: { n } }))
      )
      const single = yield* store.append("pairs-2", [{ type: "Noted", data: { n: 4 } }])
      const pairs = [...batch.positions, ...single.positions].map((p) => Position.format(p).split(":").map(Number))
      assert.isTrue(pairs.every((pair) => pair.length === 2 && pair[0]! > 0))
      assert.strictEqual(new Set(pairs.slice(0, 3).map(([tx]) => tx)).size, 1)
      assert.isTrue(pairs[0]![1]! < pairs[1]![1]! && pairs[1]![1]! < pairs[2]![1]!)
      assert.isAbove(pairs[3]![0]!, pairs[0]![0]!)
      const rows = yield* sql<{ readonly tx: string; readonly seq: string }>`
        SELECT transaction_id::text AS tx, seq::text AS seq FROM chronicle_events WHERE stream_id = 'pairs-1' ORDER BY version`
      assert.deepStrictEqual(
        rows.map((row) => `${row.tx}:${row.seq}`),
        batch.positions.map(Position.format)
      )
      assert.deepStrictEqual(yield* store.headPosition, single.positions[0])
    })
  )

  it.scopedLive("an open transaction holds readers back: later commits wait behind it, a rollback leaves nothing", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* open
      const before = yield* store.headPosition
      const started = yield* Effect.makeLatch(false)
      const release = yield* Effect.makeLatch(false)
      // A transaction that appends, then stays open until released.
      const held = yield* Effect.fork(
        sql.withTransaction(
          Effect.gen(function* () {
            const result = yield* store.append("held-1", [{ type: "Noted", data: { held: true } }])
            yield* started.open
            yield* release.await
            return result
          })
        )
      )
      yield* started.await
      const later = yield* store.append("held-2", [{ type: "Noted", data: { later: true } }])
      // The later append is committed (its stream reads it), yet global readers do not see it yet.
      assert.strictEqual(yield* store.streamVersion("held-2"), 1)
      assert.deepStrictEqual(yield* readAll(store, before), [])
      assert.deepStrictEqual(yield* store.headPosition, before)
      // A subscriber waits, and gets both, in position order, once the held transaction commits.
      const subscriber = yield* Effect.fork(Stream.runCollect(store.subscribe({ after: before, maxCount: 2 })))
      yield* Effect.sleep("300 millis")
      yield* release.open
      const committed = yield* Fiber.join(held)
      const seen = Chunk.toReadonlyArray(yield* Fiber.join(subscriber))
      assert.deepStrictEqual(
        seen.map((e: RecordedEvent.RecordedEvent) => e.streamId),
        ["held-1", "held-2"]
      )
      assert.deepStrictEqual(
        seen.map((e) => e.position),
        [committed.positions[0], later.positions[0]]
      )
      // A transaction that rolls back leaves no event, and holds readers back only while it is open.
      yield* Effect.flip(
        sql.withTransaction(
          Effect.zipRight(store.append("rolled-back", [{ type: "Noted", data: {} }]), Effect.fail("rollback" as const))
        )
      )
      const last = yield* store.append("after-rollback", [{ type: "Noted", data: {} }])
      const all = yield* readAll(store, later.positions[0])
      assert.deepStrictEqual(
        all.map((e) => e.streamId),
        ["after-rollback"]
      )
      assert.deepStrictEqual(yield* store.headPosition, last.positions[0])
    })
  )

  it.scoped("readAll and headPosition walk the primary key in order, with no sort, on any amount of data", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* open
      for (let i = 0; i < 20; i++) {
        yield* store.append(
          `plan-${i % 7}`,
          Array.from({ length: 100 }, (_, n) => ({ type: "Noted", data: { n } }))
        )
      }
      yield* sql`ANALYZE chronicle_events`
      const statements = dialect.events(SqlEngine.defaultTables).statements
      const explain = (text: string, params: ReadonlyArray<unknown>) =>
        Effect.map(
          sql.unsafe<{ readonly "QUERY PLAN": ReadonlyArray<{ readonly Plan: unknown }> }>(
            `EXPLAIN (FORMAT JSON) ${text}`,
            params
          ),
          (rows) => rows[0]!["QUERY PLAN"][0]!.Plan
        )
      const middle = (yield* readAll(store))[1000]!.position
      for (const [label, [text, params]] of [
        ["readAll from the start", statements.readAll(Position.start, 1000)],
        ["readAll from the middle", statements.readAll(middle, 1000)],
        ["headPosition", statements.headPosition]
      ] as const) {
        const plan = yield* explain(text, params)
        const nodes = nodeTypes(plan)
        assert.notInclude(nodes, "Sort", `${label}: ${JSON.stringify(plan)}`)
        assert.isTrue(
          nodes.some((node) => node === "Index Scan" || node === "Index Only Scan"),
          `${label}: ${JSON.stringify(plan)}`
        )
        // Both bounds are index conditions: the scan starts at the position and stops at the horizon.
        assert.include(JSON.stringify(plan), "pg_snapshot_xmin(pg_current_snapshot())", label)
        assert.strictEqual(
          (JSON.stringify(plan).match(/"Index Name":"(\w+)"/) ?? [])[1],
          "chronicle_events_pkey",
          label
        )
      }
    })
  )

  it.scoped("recordedAt comes from the store front's Clock, one time per batch", () =>
    Effect.gen(function* () {
      const { store } = yield* open
      yield* TestClock.adjust("1500 millis")
      const result = yield* store.append("clock-1", [
        { type: "Noted", data: {} },
        { type: "Noted", data: {} }
      ])
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readStream("clock-1")))
      assert.deepStrictEqual(
        events.map((e) => e.recordedAt.getTime()),
        [1500, 1500]
      )
      assert.strictEqual(result.version, 2)
    })
  )
})
