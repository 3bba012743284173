// Every option of the PostgreSQL store, each shown to be honoured: table names, the connection settings (timeouts,
// pool size, application name), polling, LISTEN and its own URL; and LISTEN/NOTIFY as a hint that survives the
// listening connection being killed, and takes any payload.
import * as net from "node:net"
import { EventStore, Position } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Chunk, Context, Effect, Fiber, Layer, Option, Stream } from "effect"
import { PostgresEventStore } from "../src/index.js"

const url = await testDatabase("options")

const build = <A, E>(layer: Layer.Layer<A, E>) => Layer.build(layer)

const openWithClient = (config: Partial<PostgresEventStore.Config> = {}) =>
  Effect.map(build(PostgresEventStore.layerWithClient({ url, ...config })), (context) => ({
    store: Context.get(context, EventStore.EventStore),
    sql: Context.get(context, SqlClient.SqlClient)
  }))

const openStore = (config: Partial<PostgresEventStore.Config> = {}) =>
  Effect.map(build(PostgresEventStore.layer({ url, ...config })), (context) =>
    Context.get(context, EventStore.EventStore)
  )

const tableNames = (sql: SqlClient.SqlClient) =>
  Effect.map(
    sql<{ readonly name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
    (rows) => rows.map((row) => row.name)
  )

const event = (n: number) => ({ type: "Noted", data: { n } })

/** The first event of `streamId` a subscription from the head delivers, or none within `within`. */
const nextEventOf = (store: EventStore.EventStore["Type"], streamId: string) =>
  Effect.gen(function* () {
    const head = yield* store.headPosition
    return yield* Effect.fork(
      store.subscribe({ after: head }).pipe(
        Stream.filter((e) => e.streamId === streamId),
        Stream.runHead
      )
    )
  })

/** Waits until `ready` holds, checking every 20 ms, for at most `seconds`. */
const eventually = <E, R>(ready: Effect.Effect<boolean, E, R>, seconds = 10) =>
  Effect.gen(function* () {
    for (let i = 0; i < seconds * 50; i++) {
      if (yield* ready) return
      yield* Effect.sleep("20 millis")
    }
    assert.fail("the condition was not met in time")
  })

/** The backends LISTENing on the database, by application name. */
const listeners = (sql: SqlClient.SqlClient) =>
  sql<{ readonly pid: number; readonly application_name: string }>`
    SELECT pid, application_name FROM pg_stat_activity
    WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`

describe("PostgresEventStore options", () => {
  it.scoped("custom table names and migrations table are the ones created and written; defaults are absent", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* openWithClient({
        tables: { events: "ledger_events" },
        migrationsTable: "ledger_migrations"
      })
      yield* store.append("tables-1", [event(1), event(2)])
      const names = yield* tableNames(sql)
      assert.includeMembers(names, ["ledger_events", "ledger_migrations"])
      for (const absent of ["chronicle_events", "chronicle_migrations", "effect_sql_migrations"]) {
        assert.notInclude(names, absent)
      }
      const rows = yield* sql<{
        readonly n: string
      }>`SELECT COUNT(*) AS n FROM ledger_events WHERE stream_id = 'tables-1'`
      assert.strictEqual(Number(rows[0]!.n), 2)
      const migrations = yield* sql<{ readonly migration_id: number; readonly name: string }>`
        SELECT migration_id, name FROM ledger_migrations`
      assert.deepStrictEqual(
        migrations.map((m) => [m.migration_id, m.name]),
        [
          [1, "create_events"],
          [2, "tags"]
        ]
      )
    })
  )

  it.scoped("rejects table names that are not plain identifiers with InvalidIdentifier, creating nothing", () =>
    Effect.gen(function* () {
      const bad = [
        { tables: { events: 'events"; DROP TABLE x; --' } },
        { tables: { events: "1events" } },
        { tables: { events: "pg_events" } },
        { tables: { events: "e".repeat(64) } },
        { migrationsTable: "my-migrations" },
        { tables: { events: "same" }, migrationsTable: "SAME" }
      ]
      for (const options of bad) {
        const error = yield* Effect.flip(build(PostgresEventStore.layer({ url, ...options })))
        assert.strictEqual(error._tag, "InvalidIdentifier", JSON.stringify(options))
      }
      const { sql } = yield* openWithClient({ tables: { events: "e".repeat(63) }, migrationsTable: "long_m" })
      assert.include(yield* tableNames(sql), "e".repeat(63))
      // Its tags table is named within PostgreSQL's 63 bytes, apart from the events table.
      assert.isTrue((yield* tableNames(sql)).some((name) => name.startsWith("e".repeat(45)) && name.endsWith("_tags")))
      assert.notInclude(yield* tableNames(sql), "same")
    })
  )

  it.scoped("statementTimeout, idleInTransactionTimeout and applicationName are the connections' settings", () =>
    Effect.gen(function* () {
      const { sql } = yield* openWithClient({
        statementTimeout: "1500 millis",
        idleInTransactionTimeout: "2 seconds",
        applicationName: "options-test"
      })
      const [settings] = yield* sql<{ readonly statement: string; readonly idle: string; readonly name: string }>`
        SELECT current_setting('statement_timeout') AS statement,
               current_setting('idle_in_transaction_session_timeout') AS idle,
               current_setting('application_name') AS name`
      assert.deepStrictEqual(settings, { statement: "1500ms", idle: "2s", name: "options-test" })
      const cancelled = yield* Effect.flip(sql`SELECT pg_sleep(5)`)
      assert.include(String(cancelled.cause), "statement timeout")
      // With 0, the server's own settings stay (none here).
      const { sql: plain } = yield* openWithClient({ statementTimeout: 0, idleInTransactionTimeout: 0 })
      const [defaults] = yield* plain<{ readonly statement: string; readonly idle: string }>`
        SELECT current_setting('statement_timeout') AS statement,
               current_setting('idle_in_transaction_session_timeout') AS idle`
      assert.deepStrictEqual(defaults, { statement: "0", idle: "0" })
      // The listening connection has the name too, marked as such.
      yield* eventually(
        Effect.map(listeners(sql), (rows) => rows.some((row) => row.application_name === "options-test (listen)"))
      )
    })
  )

  it.scoped("maxConnections bounds the pool", () =>
    Effect.gen(function* () {
      const { sql, store } = yield* openWithClient({ maxConnections: 2, applicationName: "options-max" })
      const count = sql<{ readonly n: string }>`
        SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = 'options-max'`
      let most = 0
      yield* Effect.all(
        Array.from({ length: 20 }, (_, i) =>
          Effect.zipRight(
            store.append(`max-${i}`, [event(i)]),
            Effect.map(count, (rows) => {
              most = Math.max(most, Number(rows[0]!.n))
            })
          )
        ),
        { concurrency: "unbounded" }
      )
      assert.isAtLeast(most, 1)
      assert.isAtMost(most, 2)
    })
  )

  it.live("connectTimeout: a server that never answers fails the layer with StorageError in time", () =>
    Effect.gen(function* () {
      const silent = net.createServer(() => {})
      yield* Effect.async<void>((resume) => {
        silent.listen(0, "127.0.0.1", () => resume(Effect.void))
      })
      const port = (silent.address() as net.AddressInfo).port
      yield* Effect.addFinalizer(() => Effect.sync(() => silent.close()))
      const started = Date.now()
      const error = yield* Effect.flip(
        build(
          PostgresEventStore.layer({ url: `postgres://nobody:x@127.0.0.1:${port}/none`, connectTimeout: "300 millis" })
        )
      )
      assert.strictEqual(error._tag, "StorageError")
      if (error._tag === "StorageError") assert.strictEqual(error.operation, "EventStore.connect")
      assert.isBelow(Date.now() - started, 3000)
    }).pipe(Effect.scoped)
  )

  it.scopedLive("pollInterval: without LISTEN, a subscriber sees another store's appends at that interval", () =>
    Effect.gen(function* () {
      const writer = yield* openStore()
      const fast = yield* openStore({ listen: false, pollInterval: "20 millis" })
      const slow = yield* openStore({ listen: false, pollInterval: "1 hour" })
      const fastFiber = yield* nextEventOf(fast, "poll-1")
      const slowFiber = yield* nextEventOf(slow, "poll-1")
      yield* Effect.sleep("100 millis")
      yield* writer.append("poll-1", [event(1)])
      const seen = yield* Fiber.join(fastFiber).pipe(Effect.timeout("5 seconds"))
      assert.isTrue(Option.isSome(seen))
      yield* Effect.sleep("500 millis")
      assert.isNull(slowFiber.unsafePoll(), "a subscriber that neither listens nor polls soon has seen nothing")
    })
  )

  it.scopedLive("LISTEN: another store's append wakes a subscriber at once, without polling", () =>
    Effect.gen(function* () {
      const writer = yield* openStore()
      const listening = yield* openStore({ pollInterval: "1 hour" })
      // Let the subscriber reach the head (its first read) and the listener connect.
      const fiber = yield* nextEventOf(listening, "listen-1")
      yield* Effect.sleep("300 millis")
      yield* writer.append("listen-1", [event(1)])
      const seen = yield* Fiber.join(fiber).pipe(Effect.timeout("5 seconds"))
      assert.isTrue(Option.isSome(seen))
    })
  )

  it.scopedLive("LISTEN wakes on any payload, an empty one too (a writer that notifies by hand)", () =>
    Effect.gen(function* () {
      const { sql } = yield* openWithClient({ tables: { events: "foreign_events" }, migrationsTable: "foreign_m" })
      const listening = yield* openStore({
        tables: { events: "foreign_events" },
        migrationsTable: "foreign_m",
        pollInterval: "1 hour"
      })
      const fiber = yield* nextEventOf(listening, "by-hand")
      yield* Effect.sleep("300 millis")
      yield* sql`INSERT INTO foreign_events (stream_id, version, event_id, type, data, metadata, recorded_at)
        VALUES ('by-hand', 1, gen_random_uuid(), 'Noted', '{}', '{}', 0)`
      yield* sql`NOTIFY foreign_events`
      const seen = yield* Fiber.join(fiber).pipe(Effect.timeout("5 seconds"))
      assert.isTrue(Option.isSome(seen))
    })
  )

  it.scopedLive("a killed listening connection reconnects, and live subscriptions go on hearing of appends", () =>
    Effect.gen(function* () {
      const { sql, store: writer } = yield* openWithClient()
      const listening = yield* openStore({ pollInterval: "1 hour", applicationName: "options-killed" })
      const name = "options-killed (listen)"
      const pids = Effect.map(listeners(sql), (rows) =>
        rows.filter((row) => row.application_name === name).map((row) => row.pid)
      )
      yield* eventually(Effect.map(pids, (found) => found.length === 1))
      const [first] = yield* pids
      const head = yield* listening.headPosition
      const received: Array<string> = []
      yield* Effect.fork(
        listening.subscribe({ after: head }).pipe(
          Stream.filter((e) => e.streamId === "killed"),
          Stream.runForEach((e) => Effect.sync(() => void received.push(Position.format(e.position))))
        )
      )
      yield* writer.append("killed", [event(1)])
      yield* eventually(Effect.sync(() => received.length === 1))
      // Kill the listening backend: the listener connects again.
      yield* sql`SELECT pg_terminate_backend(${first!})`
      yield* eventually(Effect.map(pids, (found) => found.length === 1 && found[0] !== first))
      for (let n = 2; n <= 4; n++) {
        yield* writer.append("killed", [event(n)])
        yield* eventually(Effect.sync(() => received.length === n))
      }
      assert.strictEqual(new Set(received).size, 4)
    })
  )

  it.scopedLive("listenUrl is where the store LISTENs", () =>
    Effect.gen(function* () {
      const { sql } = yield* openWithClient()
      const listenUrl = new URL(url)
      listenUrl.searchParams.set("application_name", "from-listen-url")
      yield* openStore({ listenUrl: listenUrl.toString(), applicationName: "options-listen-url" })
      yield* eventually(
        Effect.map(listeners(sql), (rows) => rows.some((row) => row.application_name === "from-listen-url"))
      )
      const names = (yield* listeners(sql)).map((row) => row.application_name)
      assert.notInclude(names, "options-listen-url (listen)")
      // With listen: false, nothing LISTENs.
      yield* openStore({ listen: false, applicationName: "options-no-listen" })
      yield* Effect.sleep("300 millis")
      assert.notInclude(
        (yield* listeners(sql)).map((row) => row.application_name),
        "options-no-listen (listen)"
      )
    })
  )

  it.scoped("readAll reads the whole store in pages, as the front pages it", () =>
    Effect.gen(function* () {
      const store = yield* openStore({ tables: { events: "paged_events" }, migrationsTable: "paged_m" })
      yield* store.append(
        "paged",
        Array.from({ length: 2500 }, (_, n) => event(n))
      )
      const read = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll({ pageSize: 1000 })))
      assert.deepStrictEqual(
        read.map((e) => (e.data as { n: number }).n),
        Array.from({ length: 2500 }, (_, n) => n)
      )
    })
  )
})
