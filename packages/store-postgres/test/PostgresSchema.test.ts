// PostgresSchema: where each table of a database stands (reading only) and applying the pending migrations, for
// `chronicle migrate --pg URL`.
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { PostgresEventStore, PostgresSchema } from "../src/index.js"

const emptyUrl = await testDatabase("schema_empty")
const openedUrl = await testDatabase("schema_opened")
const client = (url: string) => Layer.suspend(() => PgClient.layer({ url: Redacted.make(url) }))

const summary = (statuses: ReadonlyArray<SqlStatus>) =>
  statuses.map((s) => ({
    kind: s.kind,
    exists: s.exists,
    applied: s.applied.map((m) => m.id),
    pending: s.pending.map((m) => `${m.id}_${m.name}`)
  }))

interface SqlStatus {
  readonly kind: string
  readonly exists: boolean
  readonly applied: ReadonlyArray<{ readonly id: number }>
  readonly pending: ReadonlyArray<{ readonly id: number; readonly name: string }>
}

const tableNames = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.map(
    sql<{ readonly name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    (rows) => rows.map((r) => r.name)
  )
)

/** The indexes, triggers and functions of the public schema, by name: what a later migration finds by its name. */
const schemaObjects = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.map(
    sql<{ readonly kind: string; readonly name: string }>`
      SELECT 'index' AS kind, indexname AS name FROM pg_indexes WHERE schemaname = 'public'
      UNION ALL SELECT 'trigger', tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal
      UNION ALL SELECT 'function', proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public'
      ORDER BY 1, 2`,
    (rows) => rows.map((r) => `${r.kind} ${r.name}`)
  )
)

describe("PostgresSchema", () => {
  it.effect(
    "status on an empty database lists every migration as pending and creates nothing; migrate applies them",
    () =>
      Effect.gen(function* () {
        const before = yield* PostgresSchema.status()
        assert.deepStrictEqual(summary(before), [
          { kind: "events", exists: false, applied: [], pending: ["1_create_events", "2_tags"] },
          { kind: "checkpoints", exists: false, applied: [], pending: ["1_create_checkpoints"] },
          { kind: "snapshots", exists: false, applied: [], pending: ["1_create_snapshots"] }
        ])
        assert.deepStrictEqual(yield* tableNames, [])
        const applied = yield* PostgresSchema.migrate()
        assert.deepStrictEqual(
          applied.map((a) => [a.table.kind, a.table.table, a.applied.map((m) => m.id)]),
          [
            ["events", "chronicle_events", [1, 2]],
            ["checkpoints", "chronicle_checkpoints", [1]],
            ["snapshots", "chronicle_snapshots", [1]]
          ]
        )
        assert.deepStrictEqual(yield* schemaObjects, [
          "function chronicle_events_index_tags",
          "index chronicle_checkpoints_migrations_pkey",
          "index chronicle_checkpoints_pkey",
          "index chronicle_events_pkey",
          "index chronicle_events_stream_id_event_id_key",
          "index chronicle_events_stream_id_version_key",
          "index chronicle_events_tags_pkey",
          "index chronicle_events_types",
          "index chronicle_migrations_pkey",
          "index chronicle_snapshots_migrations_pkey",
          "index chronicle_snapshots_pkey",
          "trigger chronicle_events_index_tags"
        ])
        assert.deepStrictEqual(summary(yield* PostgresSchema.status()), [
          { kind: "events", exists: true, applied: [1, 2], pending: [] },
          { kind: "checkpoints", exists: true, applied: [1], pending: [] },
          { kind: "snapshots", exists: true, applied: [1], pending: [] }
        ])
        assert.deepStrictEqual(yield* tableNames, [
          "chronicle_checkpoints",
          "chronicle_checkpoints_migrations",
          "chronicle_events",
          "chronicle_events_tags",
          "chronicle_migrations",
          "chronicle_snapshots",
          "chronicle_snapshots_migrations"
        ])
        assert.deepStrictEqual(
          (yield* PostgresSchema.migrate()).flatMap((a) => a.applied),
          []
        )
      }).pipe(Effect.provide(client(emptyUrl)))
  )

  it.effect("a database the event store opened has its events table migrated, and the others pending", () =>
    Effect.gen(function* () {
      yield* Effect.provide(Effect.void, PostgresEventStore.layer({ url: openedUrl }))
      const status = yield* PostgresSchema.status().pipe(Effect.provide(client(openedUrl)))
      assert.deepStrictEqual(summary(status), [
        { kind: "events", exists: true, applied: [1, 2], pending: [] },
        { kind: "checkpoints", exists: false, applied: [], pending: ["1_create_checkpoints"] },
        { kind: "snapshots", exists: false, applied: [], pending: ["1_create_snapshots"] }
      ])
    })
  )

  it.effect("custom table names are honoured; invalid ones are InvalidIdentifier", () =>
    Effect.gen(function* () {
      const options = {
        tables: { events: "my_events" },
        migrationsTable: "my_migrations",
        checkpoints: { table: "my_checkpoints" },
        snapshots: { table: "my_snapshots", migrationsTable: "snap_migrations" }
      }
      const status = yield* PostgresSchema.status(options)
      assert.deepStrictEqual(
        status.map((s) => [s.table, s.migrationsTable, s.exists]),
        [
          ["my_events", "my_migrations", false],
          ["my_checkpoints", "my_checkpoints_migrations", false],
          ["my_snapshots", "snap_migrations", false]
        ]
      )
      yield* PostgresSchema.migrate(options)
      assert.isTrue((yield* PostgresSchema.status(options)).every((s) => s.exists && s.pending.length === 0))
      for (const bad of [{ tables: { events: "pg_events" } }, { checkpoints: { table: "x; DROP TABLE y" } }]) {
        assert.strictEqual((yield* Effect.flip(PostgresSchema.status(bad)))._tag, "InvalidIdentifier")
      }
    }).pipe(Effect.provide(client(openedUrl)))
  )
})
