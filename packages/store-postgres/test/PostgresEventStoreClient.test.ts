// The store over an application's own PgClient: the whole conformance suite, and appends that join the
// application's transaction (committing or rolling back with it), a failing COMMIT (tried once), a failing migration,
// and writes racing in two transactions, which a unique index holds and refuses: decided again on fresh facts.
import { ExpectedVersion, Position } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { SqlEngine } from "@chronicle/sql"
import { eventStoreSuite } from "@chronicle/testkit/vitest"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Cause, Context, Deferred, Effect, Either, Exit, Fiber, Layer, Option } from "effect"
import { dialect } from "../src/internal/dialect.js"
import { PostgresEventStore } from "../src/index.js"
import { applicationClient, openOver as openOverClient } from "./fixtures/applicationClient.js"
import { importedFirst } from "./fixtures/imported.js"

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

  it.scoped(
    "a failing COMMIT is a StorageError, not a defect, stores nothing, and is tried once, on every write path",
    () =>
      Effect.gen(function* () {
        const { admin, sql, store } = yield* openOver("poisoned")
        // A deferred constraint trigger only runs at COMMIT; it counts the inserts it refuses (a sequence is not rolled
        // back), so a fault that was tried again shows.
        yield* sql.unsafe("CREATE SEQUENCE poison_refused")
        yield* sql.unsafe(`CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM nextval('poison_refused'); RAISE EXCEPTION 'poison refused at commit'; END $$`)
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
        const many = yield* Effect.flip(store.appendMany([{ streamId: "poisoned", events: [event(1, "Poison")] }]))
        assert.strictEqual(many._tag, "StorageError")
        const imported = yield* Effect.flip(
          admin.importEvents([
            {
              id: crypto.randomUUID(),
              streamId: "poisoned",
              version: 1,
              type: "Poison",
              data: {},
              metadata: {},
              tags: [],
              recordedAt: new Date(Date.UTC(2020, 0, 1))
            }
          ])
        )
        assert.strictEqual(imported._tag, "StorageError")
        // Inside the application's transaction, an insert a trigger refuses at once.
        yield* sql.unsafe(`CREATE TRIGGER refused AFTER INSERT ON poisoned_events
        FOR EACH ROW WHEN (NEW.type = 'Refused') EXECUTE FUNCTION refuse_poison()`)
        const joined = yield* Effect.flip(sql.withTransaction(store.append("poisoned", [event(1, "Refused")])))
        assert.strictEqual(joined._tag, "StorageError")
        const [refused] = yield* sql<{ readonly n: string }>`SELECT last_value AS n FROM poison_refused`
        assert.strictEqual(Number(refused!.n), 4, "each write that reached its insert was tried once")
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

describe("PostgreSQL appends racing in two transactions", () => {
  /**
   * The first transaction appends `streamId`'s version 1 and waits; the second runs `second` on the same stream, which
   * read the stream before that commit, so the unique index on (stream, version) holds its insert until the first
   * commits, then refuses it: decided again on fresh facts, it gives the result the store would have given after the
   * first append. Returns its outcome and the stream's version after both.
   */
  const race = <A, E>(
    label: string,
    second: (opened: Effect.Effect.Success<ReturnType<typeof openOver>>, streamId: string) => Effect.Effect<A, E>
  ) =>
    Effect.scoped(
      Effect.gen(function* () {
        const opened = yield* openOver(label)
        const { sql, store } = opened
        const streamId = `${label}-${crypto.randomUUID()}`
        const appended = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const first = yield* sql
          .withTransaction(
            Effect.zipLeft(
              store.append(streamId, [event(1)]),
              Effect.zipRight(Deferred.succeed(appended, undefined), Deferred.await(release))
            )
          )
          .pipe(Effect.fork)
        yield* Deferred.await(appended)
        const waiting = yield* sql.withTransaction(second(opened, streamId)).pipe(Effect.either, Effect.fork)
        yield* Effect.sleep("300 millis")
        assert.isTrue(Option.isNone(yield* Fiber.poll(waiting)), "the second waits on the unique index")
        yield* Deferred.succeed(release, undefined)
        assert.strictEqual((yield* Fiber.join(first)).version, 1)
        const outcome = yield* Fiber.join(waiting)
        return { outcome, version: yield* store.streamVersion(streamId) }
      })
    )

  it.live("an append with any expected version writes after the other's commit", () =>
    Effect.gen(function* () {
      const { outcome, version } = yield* race("race_one", ({ store }, streamId) => store.append(streamId, [event(2)]))
      assert.deepStrictEqual(
        Either.map(outcome, (result) => result.version),
        Either.right(2)
      )
      assert.strictEqual(version, 2)
    })
  )

  it.live("a multi-stream append writes after the other's commit", () =>
    Effect.gen(function* () {
      const { outcome, version } = yield* race("race_many", ({ store }, streamId) =>
        store.appendMany([{ streamId, events: [event(2)] }])
      )
      assert.deepStrictEqual(
        Either.map(outcome, (results) => results.map((result) => result.version)),
        Either.right([2])
      )
      assert.strictEqual(version, 2)
    })
  )

  it.live("an import of another version 1 fails as a conflict, not a storage fault", () =>
    Effect.gen(function* () {
      const { outcome, version } = yield* race("race_import", ({ admin }, streamId) =>
        admin.importEvents([importedFirst(streamId)])
      )
      assert.isTrue(Either.isLeft(outcome) && outcome.left._tag === "ImportConflict", String(outcome))
      assert.strictEqual(version, 1)
    })
  )
})
