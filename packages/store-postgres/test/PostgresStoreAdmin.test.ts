// StoreAdmin on PostgreSQL: the conformance suite over the store's own pool, over an application's PgClient, and on a
// database whose default collation is not code point order; then what is PostgreSQL's own: stream ids and event types
// in code point order whatever the database's collation, prefixes taken literally, the size of the events table, and
// listings and counts that see what readAll sees (below the horizon of transactions still running).
import { EventStore, Position, StoreAdmin } from "@chronicle/core"
import { AdminEngine } from "@chronicle/core/engine"
import { administer, databaseUrl } from "@chronicle/postgres-server"
import { serverUrl, testDatabase } from "@chronicle/postgres-server/vitest"
import { storeAdminSuite } from "@chronicle/testkit/vitest"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import pg from "pg"
import { PostgresEventStore } from "../src/index.js"

// Each store has a database of its own: the suite starts from an empty store and reads everything.
const url = await testDatabase("admin")
const clientUrl = await testDatabase("admin_client")

/** A database whose default collation is ICU's English one, where "a" < "B" < "b" and "é" sorts beside "e". */
const icuName = `admin_icu_${Math.random().toString(36).slice(2, 10)}`
await administer(serverUrl(), [
  `CREATE DATABASE "${icuName}" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`
])
afterAll(() => administer(serverUrl(), [`DROP DATABASE IF EXISTS "${icuName}" WITH (FORCE)`]))
const icuUrl = databaseUrl(serverUrl(), icuName)

storeAdminSuite(
  "PostgresEventStore.layer (a pool of its own)",
  Layer.suspend(() => PostgresEventStore.layer({ url }))
)
storeAdminSuite(
  "PostgresEventStore.layerFromClient (the application's PgClient)",
  PostgresEventStore.layerFromClient().pipe(
    Layer.provide(Layer.suspend(() => PgClient.layer({ url: Redacted.make(clientUrl) })))
  )
)
storeAdminSuite(
  "PostgresEventStore.layer (a database collating with ICU en-US)",
  Layer.suspend(() =>
    PostgresEventStore.layer({ url: icuUrl, tables: { events: "suite_events" }, migrationsTable: "suite_migrations" })
  )
)

const onIcu = Layer.suspend(() => PostgresEventStore.layerWithClient({ url: icuUrl }))

/** Every stream of a prefix, two a page. */
const listed = (prefix: string) =>
  Effect.gen(function* () {
    const ids: Array<string> = []
    let after: string | undefined
    for (;;) {
      const page = yield* StoreAdmin.listStreams({ prefix, limit: 2, ...(after === undefined ? {} : { after }) })
      ids.push(...page.streams.map((s) => s.streamId))
      if (page.next === undefined) return ids
      after = page.next
    }
  })

describe("PostgreSQL StoreAdmin", () => {
  it.effect("stream ids and event types are in code point order, paged, whatever the database's collation", () =>
    Effect.gen(function* () {
      const prefix = `Order-${crypto.randomUUID()}-`
      const suffixes = ["b", "B", "a", "A", "é", "e", "f", "Z", "ä", "_", "-", "😀", "\uFFFD", "z1", "z10", "z2"]
      const ids = suffixes.map((s) => `${prefix}${s}`)
      for (const id of ids) yield* EventStore.append(id, [{ type: `T${id.slice(prefix.length)}`, data: {} }])
      const expected = [...ids].sort(AdminEngine.compareStreamIds)
      // The database's own order differs: the test would pass on any order otherwise.
      const sql = yield* SqlClient.SqlClient
      const own = yield* sql<{ readonly id: string }>`SELECT unnest(${ids}::text[]) AS id ORDER BY 1`
      assert.notDeepEqual(
        own.map((r) => r.id),
        expected
      )
      assert.deepStrictEqual(yield* listed(prefix), expected)
      // The cursor may be any text, not only a listed id.
      const after = yield* StoreAdmin.listStreams({ prefix, after: `${prefix}a` })
      assert.deepStrictEqual(
        after.streams.map((s) => s.streamId),
        expected.filter((id) => AdminEngine.compareStreamIds(id, `${prefix}a`) > 0)
      )
      const types = (yield* StoreAdmin.stats).eventTypes.map((t) => t.type)
      const ours = types.filter((t) => suffixes.includes(t.slice(1)))
      assert.deepStrictEqual(ours, [...ours].sort(AdminEngine.compareStreamIds))
      assert.strictEqual(ours.length, suffixes.length)
    }).pipe(Effect.provide(onIcu))
  )

  it.effect("a prefix is taken literally: % and _ are characters, not patterns", () =>
    Effect.gen(function* () {
      const base = `Like-${crypto.randomUUID()}`
      for (const id of [`${base}%x`, `${base}_y`, `${base}ab`, `${base}AB`]) {
        yield* EventStore.append(id, [{ type: "Noted", data: {} }])
      }
      assert.deepStrictEqual(yield* listed(`${base}%`), [`${base}%x`])
      assert.deepStrictEqual(yield* listed(`${base}_`), [`${base}_y`])
      assert.deepStrictEqual(yield* listed(`${base}a`), [`${base}ab`])
      assert.strictEqual((yield* listed(base)).length, 4)
    }).pipe(Effect.provide(onIcu))
  )

  it.effect("the size is the events table's, with its indexes, and grows with it", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const before = yield* StoreAdmin.stats
      const [row] = yield* sql<{
        readonly bytes: string
      }>`SELECT pg_total_relation_size('chronicle_events')::text AS bytes`
      assert.deepStrictEqual(before.size, { _tag: "Known", bytes: Number(row!.bytes) })
      const big = "x".repeat(2_000)
      yield* EventStore.append(
        `Size-${crypto.randomUUID()}`,
        Array.from({ length: 500 }, (_, i) => ({ type: "Big", data: { i, text: `${big}${i}` } }))
      )
      const after = yield* StoreAdmin.stats
      assert.isTrue(after.size._tag === "Known" && before.size._tag === "Known" && after.size.bytes > before.size.bytes)
    }).pipe(Effect.provide(onIcu))
  )

  it.live("listings and counts see what readAll sees: nothing past a transaction still running", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const stream = `Horizon-${crypto.randomUUID()}`
      yield* store.append(stream, [{ type: "Noted", data: { n: 1 } }])
      const head = yield* store.headPosition
      const seen = yield* StoreAdmin.stats
      // Another session takes a transaction id and keeps its transaction open: the horizon stops there.
      const holder = new pg.Client({ connectionString: icuUrl })
      yield* Effect.acquireRelease(
        Effect.promise(async () => {
          await holder.connect()
          await holder.query("BEGIN")
          await holder.query("SELECT pg_current_xact_id()")
        }),
        () => Effect.promise(() => holder.end())
      )
      yield* store.append(stream, [{ type: "Noted", data: { n: 2 } }])
      yield* store.append(`${stream}-new`, [{ type: "Noted", data: { n: 1 } }])
      const held = yield* StoreAdmin.stats
      // The events are committed: lastCommitted names the last of them, ahead of the head readAll stops at.
      const committed = yield* StoreAdmin.lastCommitted
      assert.isTrue(Position.isAfter(committed, head))
      assert.strictEqual(held.events, seen.events)
      assert.strictEqual(held.streams, seen.streams)
      assert.deepStrictEqual(held.head, head)
      assert.strictEqual(yield* StoreAdmin.countAfter(head), 0)
      const during = yield* StoreAdmin.listStreams({ prefix: stream })
      assert.deepStrictEqual(
        during.streams.map((s) => [s.streamId, s.version]),
        [[stream, 1]]
      )
      yield* Effect.promise(() => holder.query("COMMIT"))
      const released = yield* StoreAdmin.stats
      assert.deepStrictEqual(released.head, committed)
      assert.strictEqual(released.events, seen.events + 2)
      assert.strictEqual(released.streams, seen.streams + 1)
      assert.isTrue(Position.isAfter(released.head, head))
      assert.strictEqual(yield* StoreAdmin.countAfter(head), 2)
      const after = yield* StoreAdmin.listStreams({ prefix: stream })
      assert.deepStrictEqual(
        after.streams.map((s) => [s.streamId, s.version]),
        [
          [stream, 2],
          [`${stream}-new`, 1]
        ]
      )
    }).pipe(Effect.provide(onIcu), Effect.scoped)
  )
})
