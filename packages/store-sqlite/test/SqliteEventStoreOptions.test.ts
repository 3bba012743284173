import * as fs from "node:fs"
import * as path from "node:path"
import { EventStore } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import Sqlite from "better-sqlite3"
import { Chunk, Context, Effect, Either, Exit, Layer, Option, Stream } from "effect"
import { SqliteEventStore } from "../src/index.js"
import * as AsyncClient from "./fixtures/asyncClient.js"
import { tempDir } from "./fixtures/tempDir.js"

const build = <A, E>(layer: Layer.Layer<A, E>) => Layer.build(layer)

const tableNames = (sql: SqlClient.SqlClient) =>
  Effect.map(sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`, (rows) =>
    rows.map((row) => row.name)
  )

const event = (n: number) => ({ type: "Noted", data: { n } })

describe("SqliteEventStore options", () => {
  it.scoped("custom table names and migrations table are the ones created and written", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("tables")
      const context = yield* build(
        SqliteEventStore.layerWithClient({
          filename: path.join(dir, "db.sqlite"),
          tables: { events: "ledger_events" },
          migrationsTable: "ledger_migrations"
        })
      )
      const store = Context.get(context, EventStore.EventStore)
      const sql = Context.get(context, SqlClient.SqlClient)
      yield* store.append("tables-1", [event(1), event(2)])
      const names = yield* tableNames(sql)
      assert.includeMembers(names, ["ledger_events", "ledger_migrations"])
      assert.notInclude(names, "chronicle_events")
      assert.notInclude(names, "chronicle_migrations")
      assert.notInclude(names, "effect_sql_migrations")
      const rows = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM ledger_events WHERE stream_id = ${"tables-1"}`
      assert.strictEqual(rows[0]!.n, 2)
      const migrations = yield* sql<{
        migration_id: number
        name: string
      }>`SELECT migration_id, name FROM ledger_migrations`
      assert.deepStrictEqual(
        migrations.map((m) => [m.migration_id, m.name]),
        [
          [1, "create_events"],
          [2, "index_chosen_ids_only"],
          [3, "tags"],
          [4, "types_indexed_in_runs"]
        ]
      )
      // The second migration rebuilt the table under its name and named its index after it.
      assert.notInclude(names, "ledger_events_next")
      const indexes = yield* sql<{
        name: string
      }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_events' ORDER BY name`
      assert.include(
        indexes.map((row) => row.name),
        "ledger_events_chosen_ids"
      )
    })
  )

  it.scoped("two stores with their own events tables in one file keep their own migrations' record", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("two-stores")
      const filename = path.join(dir, "db.sqlite")
      const first = yield* build(SqliteEventStore.layerWithClient({ filename }))
      yield* Context.get(first, EventStore.EventStore).append("two-1", [event(1)])
      // A second store in the same file names only its events table: its migrations run on its own table.
      const second = yield* build(SqliteEventStore.layerWithClient({ filename, tables: { events: "audit_events" } }))
      yield* Context.get(second, EventStore.EventStore).append("two-1", [event(1), event(2)])
      const sql = Context.get(second, SqlClient.SqlClient)
      assert.includeMembers(yield* tableNames(sql), [
        "chronicle_events",
        "chronicle_migrations",
        "audit_events",
        "audit_events_migrations"
      ])
      const versions = yield* Effect.all([
        Context.get(first, EventStore.EventStore).streamVersion("two-1"),
        Context.get(second, EventStore.EventStore).streamVersion("two-1")
      ])
      assert.deepStrictEqual(versions, [1, 2])
    })
  )

  it.scoped("layerFromClient honours table names on an application's own client", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("from-client")
      const context = yield* build(
        SqliteEventStore.layerFromClient({
          tables: { events: "app_events" },
          migrationsTable: "app_store_migrations"
        }).pipe(Layer.provideMerge(SqliteClient.layer({ filename: path.join(dir, "db.sqlite") })))
      )
      const store = Context.get(context, EventStore.EventStore)
      const sql = Context.get(context, SqlClient.SqlClient)
      yield* store.append("from-client-1", [event(1)])
      assert.includeMembers(yield* tableNames(sql), ["app_events", "app_store_migrations"])
      const rows = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM app_events`
      assert.strictEqual(rows[0]!.n, 1)
    })
  )

  it.scoped("file databases use the WAL journal, and busyTimeout sets busy_timeout", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("wal")
      const context = yield* build(
        SqliteEventStore.layerWithClient({ filename: path.join(dir, "db.sqlite"), busyTimeout: "1234 millis" })
      )
      const sql = Context.get(context, SqlClient.SqlClient)
      const journal = yield* sql<{ journal_mode: string }>`PRAGMA journal_mode`
      assert.strictEqual(journal[0]!.journal_mode, "wal")
      const timeout = yield* sql<{ timeout: number }>`PRAGMA busy_timeout`
      assert.strictEqual(timeout[0]!.timeout, 1234)

      const other = yield* build(
        SqliteEventStore.layerFromClient({ busyTimeout: "2 seconds" }).pipe(
          Layer.provideMerge(SqliteClient.layer({ filename: path.join(dir, "other.sqlite") }))
        )
      )
      const otherTimeout = yield* Context.get(other, SqlClient.SqlClient)<{ timeout: number }>`PRAGMA busy_timeout`
      assert.strictEqual(otherTimeout[0]!.timeout, 2000)
    })
  )

  it.scoped("rejects table names that are not plain identifiers with InvalidIdentifier, creating nothing", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("identifiers")
      const filename = path.join(dir, "db.sqlite")
      const bad = [
        { tables: { events: 'events"; DROP TABLE x; --' } },
        { tables: { events: "1events" } },
        { tables: { events: "sqlite_events" } },
        { migrationsTable: "my-migrations" },
        { tables: { events: "same" }, migrationsTable: "same" }
      ]
      for (const options of bad) {
        const error = yield* Effect.flip(build(SqliteEventStore.layer({ filename, ...options })))
        assert.strictEqual(error._tag, "InvalidIdentifier")
      }
      assert.isFalse(fs.existsSync(filename))
    })
  )

  it.scopedLive("pollInterval: a subscriber sees appends made through another connection, at that interval", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("poll")
      const filename = path.join(dir, "db.sqlite")
      const writer = Context.get(yield* build(SqliteEventStore.layer({ filename })), EventStore.EventStore)
      const fast = Context.get(
        yield* build(SqliteEventStore.layer({ filename, pollInterval: "20 millis" })),
        EventStore.EventStore
      )
      const slow = Context.get(
        yield* build(SqliteEventStore.layer({ filename, pollInterval: "1 hour" })),
        EventStore.EventStore
      )
      const head = yield* writer.headPosition
      const firstOf = (store: EventStore.EventStore["Type"]) =>
        Effect.fork(Stream.runHead(store.subscribe({ after: head })))
      const fastFiber = yield* firstOf(fast)
      const slowFiber = yield* firstOf(slow)
      yield* Effect.sleep("100 millis")
      const appended = yield* writer.append("poll-1", [event(1)])
      const seen = yield* fastFiber.await.pipe(Effect.timeout("2 seconds"))
      assert.isTrue(Exit.isSuccess(seen))
      if (Exit.isSuccess(seen)) {
        assert.deepStrictEqual(Option.getOrThrow(seen.value).position, appended.positions[0])
      }
      // The slow subscriber polls once when it starts, then not again for an hour.
      const slowResult = yield* slowFiber.await.pipe(Effect.timeout("300 millis"), Effect.either)
      assert.isTrue(Either.isLeft(slowResult))
    })
  )

  it.scopedLive("appends through the same store wake subscribers at once, whatever the poll interval", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("wake")
      const store = Context.get(
        yield* build(SqliteEventStore.layer({ filename: path.join(dir, "db.sqlite"), pollInterval: "1 hour" })),
        EventStore.EventStore
      )
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(store.subscribe(), 2)))
      yield* Effect.sleep("50 millis")
      yield* store.append("wake-1", [event(1), event(2)])
      const events = yield* fiber.await.pipe(Effect.timeout("2 seconds"))
      assert.isTrue(Exit.isSuccess(events))
      if (Exit.isSuccess(events)) assert.strictEqual(Chunk.size(events.value), 2)
    })
  )

  const busyStores: Record<string, (filename: string) => Layer.Layer<EventStore.EventStore, unknown>> = {
    layer: (filename: string) => SqliteEventStore.layer({ filename, busyTimeout: "10 millis" }),
    "layerFromClient over SqliteClient": (filename: string) =>
      SqliteEventStore.layerFromClient({ busyTimeout: "10 millis" }).pipe(
        Layer.provide(SqliteClient.layer({ filename }))
      ),
    "layerFromClient over an asynchronous client": (filename: string) =>
      SqliteEventStore.layerFromClient({ busyTimeout: "10 millis" }).pipe(Layer.provide(AsyncClient.layer(filename)))
  }

  for (const [name, open] of Object.entries(busyStores)) {
    it.scopedLive(`busy (${name}): an append waits out another connection's write lock, then fails typed`, () =>
      Effect.gen(function* () {
        const dir = yield* tempDir("busy")
        const filename = path.join(dir, "db.sqlite")
        const store = Context.get(yield* build(open(filename)), EventStore.EventStore)
        yield* store.append("busy-1", [event(0)])
        const other = yield* Effect.acquireRelease(
          Effect.sync(() => new Sqlite(filename)),
          (db) => Effect.sync(() => db.close())
        )
        // Held for 150 ms: the store's retries outlast it.
        other.exec("BEGIN IMMEDIATE")
        const release = setTimeout(() => other.exec("COMMIT"), 150)
        const result = yield* store.append("busy-1", [event(1)])
        clearTimeout(release)
        assert.strictEqual(result.version, 2)
        // Held for good: the append fails with a typed error once the retries are spent.
        other.exec("BEGIN IMMEDIATE")
        const error = yield* Effect.flip(store.append("busy-1", [event(2)]))
        other.exec("ROLLBACK")
        assert.strictEqual(error._tag, "StorageError")
        if (error._tag === "StorageError") {
          assert.match(String((error.cause as { code?: unknown }).code), /^SQLITE_BUSY/)
        }
        assert.strictEqual(yield* store.streamVersion("busy-1"), 2)
      })
    )
  }

  it.scoped("an append inside the shared client's transaction joins it and rolls back with it", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("join")
      const context = yield* build(SqliteEventStore.layerWithClient({ filename: path.join(dir, "db.sqlite") }))
      const store = Context.get(context, EventStore.EventStore)
      const sql = Context.get(context, SqlClient.SqlClient)
      yield* sql`CREATE TABLE outbox (id INTEGER PRIMARY KEY, note TEXT NOT NULL)`
      const failed = yield* Effect.flip(
        sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO outbox (note) VALUES (${"first"})`
            yield* store.append("join-1", [event(1)])
            return yield* Effect.fail("abort" as const)
          })
        )
      )
      assert.strictEqual(failed, "abort")
      assert.strictEqual(yield* store.streamVersion("join-1"), 0)
      yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO outbox (note) VALUES (${"second"})`
          const result = yield* store.append("join-1", [event(1)])
          assert.strictEqual(result.version, 1)
        })
      )
      assert.strictEqual(yield* store.streamVersion("join-1"), 1)
      const notes = yield* sql<{ note: string }>`SELECT note FROM outbox`
      assert.deepStrictEqual(
        notes.map((n) => n.note),
        ["second"]
      )
    })
  )

  it.scoped("an append inside a transaction of an application's own SqliteClient joins it too", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("join-client")
      const context = yield* build(
        SqliteEventStore.layerFromClient().pipe(
          Layer.provideMerge(SqliteClient.layer({ filename: path.join(dir, "db.sqlite") }))
        )
      )
      const store = Context.get(context, EventStore.EventStore)
      const sql = Context.get(context, SqlClient.SqlClient)
      const failed = yield* Effect.flip(
        sql.withTransaction(
          Effect.zipRight(store.append("join-2", [event(1), event(2)]), Effect.fail("abort" as const))
        )
      )
      assert.strictEqual(failed, "abort")
      assert.strictEqual(yield* store.streamVersion("join-2"), 0)
      const result = yield* sql.withTransaction(store.append("join-2", [event(1), event(2)]))
      assert.strictEqual(result.version, 2)
      assert.strictEqual(yield* store.streamVersion("join-2"), 2)
    })
  )
})
