import * as path from "node:path"
import { EventStore, ExpectedVersion, Position } from "@chronicle/core"
import { Notifier, StorageEngine } from "@chronicle/core/engine"
import { type SqlDialect, SqlEngine } from "@chronicle/sql"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { SqliteClient } from "@effect/sql-sqlite-node"
import Sqlite from "better-sqlite3"
import { Cause, Context, Effect, Exit, Fiber, Layer, Option, Stream } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { SqliteEventStore } from "../src/index.js"
import * as AsyncClient from "./fixtures/asyncClient.js"
import { tempDir } from "./fixtures/tempDir.js"

const event = (n: number, type = "Noted") => ({ type, data: { n } })

const clients: Record<string, (filename: string) => Layer.Layer<SqlClient.SqlClient, unknown>> = {
  SqliteClient: (filename) => SqliteClient.layer({ filename }),
  "an asynchronous client": AsyncClient.layer
}

/** An application's client on a new file, and the store over it. */
const openOver = <E>(client: (filename: string) => Layer.Layer<SqlClient.SqlClient, E>, options = {}) =>
  Effect.gen(function* () {
    const filename = path.join(yield* tempDir("client"), "db.sqlite")
    const context = yield* Layer.build(Layer.provideMerge(SqliteEventStore.layerFromClient(options), client(filename)))
    return {
      filename,
      store: Context.get(context, EventStore.EventStore),
      sql: Context.get(context, SqlClient.SqlClient)
    }
  })

/**
 * The SQLite dialect, except that the next append to a stream named `stale-...` decides on facts that another writer
 * has overtaken: one version behind, or without the stored ids (as PostgreSQL's engine can meet them).
 */
const staleDialect = (stale: { version: boolean; ids: boolean }): SqlDialect.SqlDialect => ({
  ...dialect,
  events: (tables) => {
    const schema = dialect.events(tables)
    const { storedIds, streamVersion } = schema.statements
    return {
      ...schema,
      statements: {
        ...schema.statements,
        streamVersion: (streamId) => {
          const [text, params] = streamVersion(streamId)
          if (!stale.version || !streamId.startsWith("stale-")) return [text, params]
          stale.version = false
          return [`SELECT MAX(0, (${text}) - 1)`, params]
        },
        storedIds: (streamId, ids) => {
          const [text, params] = storedIds(streamId, ids)
          if (!stale.ids || !streamId.startsWith("stale-")) return [text, params]
          stale.ids = false
          return [`${text} AND 0`, params]
        }
      }
    }
  }
})

describe("SqliteEventStore over an application's client (the shared SQL engine)", () => {
  it.scoped("the asynchronous test client really answers asynchronously", () =>
    Effect.gen(function* () {
      const { sql } = yield* openOver(AsyncClient.layer)
      assert.throws(() => Effect.runSync(sql`SELECT 1`))
      assert.deepStrictEqual(yield* sql`SELECT 1 AS one`, [{ one: 1 }])
    })
  )

  for (const [name, client] of Object.entries(clients)) {
    it.scoped(`${name}: an append inside the application's transaction joins it and rolls back with it`, () =>
      Effect.gen(function* () {
        const { sql, store } = yield* openOver(client)
        yield* sql`CREATE TABLE outbox (id INTEGER PRIMARY KEY, note TEXT NOT NULL)`
        const failed = yield* Effect.flip(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql`INSERT INTO outbox (note) VALUES (${"first"})`
              yield* store.append("join-1", [event(1), event(2)])
              return yield* Effect.fail("abort" as const)
            })
          )
        )
        assert.strictEqual(failed, "abort")
        assert.strictEqual(yield* store.streamVersion("join-1"), 0)
        const result = yield* sql.withTransaction(
          Effect.zipLeft(store.append("join-1", [event(1), event(2)]), sql`INSERT INTO outbox (note) VALUES ('two')`)
        )
        assert.strictEqual(result.version, 2)
        assert.strictEqual(yield* store.streamVersion("join-1"), 2)
        assert.deepStrictEqual(yield* sql`SELECT note FROM outbox`, [{ note: "two" }])
        // A conflict inside the application's transaction rolls back only the append's savepoint.
        const conflict = yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO outbox (note) VALUES ('three')`
            return yield* Effect.flip(store.append("join-1", [event(3)], { expectedVersion: ExpectedVersion.exact(1) }))
          })
        )
        assert.strictEqual(conflict._tag, "WrongExpectedVersion")
        assert.strictEqual((yield* sql`SELECT note FROM outbox`).length, 2)
      })
    )

    it.scoped(`${name}: a failing COMMIT is a StorageError, not a defect, and stores nothing`, () =>
      Effect.gen(function* () {
        const { sql, store } = yield* openOver(client)
        // A deferred foreign key is only checked at COMMIT.
        yield* sql`PRAGMA foreign_keys = ON`
        yield* sql`CREATE TABLE parents (id INTEGER PRIMARY KEY)`
        yield* sql`CREATE TABLE children (parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)`
        yield* sql`CREATE TRIGGER poison AFTER INSERT ON chronicle_events WHEN NEW.type = 'Poison'
          BEGIN INSERT INTO children (parent) VALUES (42); END`
        const exit = yield* Effect.exit(store.append("poisoned", [event(1), event(2, "Poison")]))
        assert.isTrue(Exit.isFailure(exit) && Cause.isFailType(exit.cause))
        if (Exit.isFailure(exit) && Cause.isFailType(exit.cause)) {
          assert.strictEqual(exit.cause.error._tag, "StorageError")
        }
        assert.strictEqual(yield* store.streamVersion("poisoned"), 0)
        assert.deepStrictEqual(yield* store.headPosition, Position.start)
        assert.strictEqual((yield* store.append("poisoned", [event(1)])).version, 1)
      })
    )
  }

  it.scoped("a unique index that rejects an append decided on stale facts is decided again on fresh ones", () =>
    Effect.gen(function* () {
      const filename = path.join(yield* tempDir("stale"), "db.sqlite")
      const stale = { version: false, ids: false }
      const client = Context.get(yield* Layer.build(SqliteClient.layer({ filename })), SqlClient.SqlClient)
      const engine = yield* SqlEngine.make({
        dialect: staleDialect(stale),
        tables: SqlEngine.defaultTables,
        pollInterval: "1 second"
      }).pipe(Effect.provideService(SqlClient.SqlClient, client))
      const store = StorageEngine.toEventStore(engine)
      const id = crypto.randomUUID()
      yield* store.append("stale-1", [event(1)])
      yield* store.append("stale-1", [event(2)])

      // Another writer got version 2 in: the exact expectation is a conflict with the actual version.
      stale.version = true
      const conflict = yield* Effect.flip(
        store.append("stale-1", [event(3)], { expectedVersion: ExpectedVersion.exact(1) })
      )
      assert.isFalse(stale.version)
      assert.strictEqual(conflict._tag, "WrongExpectedVersion")
      if (conflict._tag === "WrongExpectedVersion") assert.strictEqual(conflict.actual, 2)

      // With no expectation, the batch is written after it.
      stale.version = true
      assert.strictEqual((yield* store.append("stale-1", [event(3)])).version, 3)

      // The same ids were stored meanwhile: a repeat, answered with the first result.
      const first = yield* store.append("stale-1", [{ id, ...event(4) }])
      stale.ids = true
      const repeat = yield* store.append("stale-1", [{ id, ...event(4) }])
      assert.isFalse(stale.ids)
      assert.deepStrictEqual(repeat, first)
      assert.strictEqual(yield* store.streamVersion("stale-1"), 4)
    })
  )

  it.scopedLive("a notifier given to the engine wakes live readers on appends made elsewhere, without polling", () =>
    Effect.gen(function* () {
      const filename = path.join(yield* tempDir("notifier"), "db.sqlite")
      const client = Context.get(yield* Layer.build(SqliteClient.layer({ filename })), SqlClient.SqlClient)
      const notifier = Notifier.make()
      const options: SqlEngine.Options = { dialect, tables: SqlEngine.defaultTables, pollInterval: "1 hour", notifier }
      const store = StorageEngine.toEventStore(
        yield* SqlEngine.make(options).pipe(Effect.provideService(SqlClient.SqlClient, client))
      )
      const fiber = yield* Effect.fork(Stream.runHead(store.subscribe()))
      yield* Effect.sleep("50 millis")
      // Another process appends; something outside the engine (a LISTEN, say) hears of it.
      const other = yield* Effect.acquireRelease(
        Effect.sync(() => new Sqlite(filename)),
        (db) => Effect.sync(() => db.close())
      )
      other
        .prepare(
          `INSERT INTO chronicle_events (stream_id, version, event_id, type, data, metadata, recorded_at)
           VALUES ('elsewhere', 1, ?, 'Noted', '{}', '{}', 0)`
        )
        .run(crypto.randomUUID())
      notifier.notify()
      const seen = yield* Fiber.await(fiber).pipe(Effect.timeout("2 seconds"))
      assert.isTrue(Exit.isSuccess(seen))
      if (Exit.isSuccess(seen)) assert.strictEqual(Option.getOrThrow(seen.value).streamId, "elsewhere")
    })
  )

  it.scoped("a migration that fails is a StorageError, not a defect, and leaves nothing behind", () =>
    Effect.gen(function* () {
      const filename = path.join(yield* tempDir("broken-migration"), "db.sqlite")
      const client = Context.get(yield* Layer.build(SqliteClient.layer({ filename })), SqlClient.SqlClient)
      const broken: SqlDialect.SqlDialect = {
        ...dialect,
        events: (tables) => {
          const schema = dialect.events(tables)
          return { ...schema, migrations: { ...schema.migrations, "2_broken": ["THIS IS NOT SQL"] } }
        }
      }
      const exit = yield* Effect.exit(
        SqlEngine.make({ dialect: broken, tables: SqlEngine.defaultTables, pollInterval: "1 second" }).pipe(
          Effect.provideService(SqlClient.SqlClient, client)
        )
      )
      assert.isTrue(Exit.isFailure(exit) && Cause.isFailType(exit.cause))
      if (Exit.isFailure(exit) && Cause.isFailType(exit.cause)) {
        assert.strictEqual(exit.cause.error._tag, "StorageError")
        assert.strictEqual(exit.cause.error.operation, "EventStore.migrate")
      }
      const tables = yield* client<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
      assert.deepStrictEqual(tables, [])
    })
  )
})
