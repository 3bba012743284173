// The store over an application's own PgClient: the whole conformance suite, and appends that join the
// application's transaction (committing or rolling back with it), a failing COMMIT, a failing migration.
import { ExpectedVersion, Position } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { SqlEngine } from "@chronicle/sql"
import { eventStoreSuite } from "@chronicle/testkit/vitest"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Cause, Context, Effect, Exit, Layer } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { PostgresEventStore } from "../src/index.js"
import { applicationClient, openOver as openOverClient } from "./fixtures/applicationClient.js"

const url = await testDatabase("client")
const application = applicationClient(url)

eventStoreSuite(
  "PostgresEventStore.layerFromClient (the application's PgClient)",
  PostgresEventStore.layerFromClient({ tables: { events: "app_events" }, migrationsTable: "app_migrations" }).pipe(
    Layer.provide(application)
  )
)

const event = (n: number, type = "Noted") => ({ type, data: { n } })

const openOver = (label: string) => openOverClient(application, label)

describe("PostgresEventStore over an application's PgClient", () => {
  it.scoped("an append inside the application's transaction joins it and rolls back with it", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* openOver("joined")
      yield* sql`CREATE TABLE outbox (id serial PRIMARY KEY, note text NOT NULL)`
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
      // Both appends of one transaction carry its id, in the order they were made.
      const both = yield* sql.withTransaction(
        Effect.all([store.append("join-2", [event(1)]), store.append("join-3", [event(1)])])
      )
      const [first, second] = both.map((r) => Position.format(r.positions[0]!).split(":"))
      assert.strictEqual(first![0], second![0])
      assert.isTrue(Position.isBefore(both[0].positions[0]!, both[1].positions[0]!))
      // A conflict inside the application's transaction rolls back only the append's savepoint.
      const conflict = yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`INSERT INTO outbox (note) VALUES ('three')`
          return yield* Effect.flip(store.append("join-1", [event(3)], { expectedVersion: ExpectedVersion.exact(1) }))
        })
      )
      assert.strictEqual(conflict._tag, "WrongExpectedVersion")
      if (conflict._tag === "WrongExpectedVersion") assert.strictEqual(conflict.actual, 2)
      assert.strictEqual((yield* sql`SELECT note FROM outbox`).length, 2)
    })
  )

  it.scoped("a failing COMMIT is a StorageError, not a defect, and stores nothing, on either append path", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* openOver("poisoned")
      // A deferred constraint trigger only runs at COMMIT.
      yield* sql.unsafe(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'poison refused at commit'; END $$`)
      yield* sql.unsafe(`CREATE CONSTRAINT TRIGGER poison AFTER INSERT ON poisoned_events DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.type = 'Poison') EXECUTE FUNCTION refuse_poison()`)
      // One statement of its own (no expectation to fail), then by the rule in a transaction (a stale expectation).
      for (const expectedVersion of [ExpectedVersion.any, ExpectedVersion.exact(7)]) {
        const exit = yield* Effect.exit(store.append("poisoned", [event(1), event(2, "Poison")], { expectedVersion }))
        assert.isTrue(Exit.isFailure(exit) && Cause.isFailType(exit.cause), String(exit))
        if (Exit.isFailure(exit) && Cause.isFailType(exit.cause)) {
          assert.strictEqual(
            exit.cause.error._tag,
            expectedVersion._tag === "Any" ? "StorageError" : "WrongExpectedVersion"
          )
        }
      }
      assert.strictEqual(yield* store.streamVersion("poisoned"), 0)
      assert.strictEqual((yield* store.append("poisoned", [event(1)])).version, 1)
    })
  )

  it.scoped("a migration that fails is a StorageError, not a defect, and leaves nothing behind", () =>
    Effect.gen(function* () {
      const client = Context.get(yield* Layer.build(application), SqlClient.SqlClient)
      const tables = { events: "broken_events", migrations: "broken_migrations" }
      const broken = {
        ...dialect,
        events: (t: typeof tables) => {
          const schema = dialect.events(t)
          return { ...schema, migrations: { ...schema.migrations, "2_broken": ["THIS IS NOT SQL"] } }
        }
      }
      const exit = yield* Effect.exit(
        SqlEngine.make({ dialect: broken, tables, pollInterval: "1 second" }).pipe(
          Effect.provideService(SqlClient.SqlClient, client)
        )
      )
      assert.isTrue(Exit.isFailure(exit) && Cause.isFailType(exit.cause))
      if (Exit.isFailure(exit) && Cause.isFailType(exit.cause)) {
        assert.strictEqual(exit.cause.error._tag, "StorageError")
        assert.strictEqual(exit.cause.error.operation, "EventStore.migrate")
      }
      const left = yield* client<{
        name: string
      }>`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'broken%'`
      assert.deepStrictEqual(left, [])
    })
  )
})
