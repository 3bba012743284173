import * as fs from "node:fs"
import * as path from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect } from "effect"
import { SqliteEventStore, SqliteSchema } from "../src/index.js"
import { tempDir } from "./fixtures/tempDir.js"

const fixture = path.join(import.meta.dirname, "fixtures", "release-528223d.sqlite")

const summary = (
  statuses: ReadonlyArray<{
    kind: string
    exists: boolean
    applied: ReadonlyArray<{ id: number }>
    pending: ReadonlyArray<{ id: number; name: string }>
  }>
) =>
  statuses.map((s) => ({
    kind: s.kind,
    exists: s.exists,
    applied: s.applied.map((m) => m.id),
    pending: s.pending.map((m) => `${m.id}_${m.name}`)
  }))

describe("SqliteSchema", () => {
  it.scoped("status on a new file lists every migration as pending and creates nothing; migrate applies them", () =>
    Effect.gen(function* () {
      const filename = path.join(yield* tempDir("schema"), "new.db")
      const client = SqliteClient.layer({ filename })
      const before = yield* SqliteSchema.status().pipe(Effect.provide(client))
      assert.deepStrictEqual(summary(before), [
        {
          kind: "events",
          exists: false,
          applied: [],
          pending: ["1_create_events", "2_index_chosen_ids_only", "3_tags", "4_types_indexed_in_runs"]
        },
        { kind: "checkpoints", exists: false, applied: [], pending: ["1_create_checkpoints", "2_positions_as_text"] },
        { kind: "snapshots", exists: false, applied: [], pending: ["1_create_snapshots"] }
      ])
      assert.deepStrictEqual(summary(yield* SqliteSchema.status().pipe(Effect.provide(client))), summary(before))
      const applied = yield* SqliteSchema.migrate().pipe(Effect.provide(client))
      assert.deepStrictEqual(
        applied.map((a) => [a.table.kind, a.applied.map((m) => m.id)]),
        [
          ["events", [1, 2, 3, 4]],
          ["checkpoints", [1, 2]],
          ["snapshots", [1]]
        ]
      )
      const after = yield* SqliteSchema.status().pipe(Effect.provide(client))
      assert.deepStrictEqual(summary(after), [
        { kind: "events", exists: true, applied: [1, 2, 3, 4], pending: [] },
        { kind: "checkpoints", exists: true, applied: [1, 2], pending: [] },
        { kind: "snapshots", exists: true, applied: [1], pending: [] }
      ])
      assert.deepStrictEqual(
        (yield* SqliteSchema.migrate().pipe(Effect.provide(client))).flatMap((a) => a.applied),
        []
      )
    })
  )

  it.scoped(
    "a file the event store opened has its events table migrated; the first release's file has its later migrations pending",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir("schema-release")
        const opened = path.join(dir, "opened.db")
        yield* Effect.provide(Effect.void, SqliteEventStore.layer({ filename: opened }))
        const status = yield* SqliteSchema.status().pipe(Effect.provide(SqliteClient.layer({ filename: opened })))
        assert.deepStrictEqual(
          status.map((s) => [s.kind, s.pending.length]),
          [
            ["events", 0],
            ["checkpoints", 2],
            ["snapshots", 1]
          ]
        )
        const copy = path.join(dir, "release.db")
        fs.copyFileSync(fixture, copy)
        const release = yield* SqliteSchema.status().pipe(Effect.provide(SqliteClient.layer({ filename: copy })))
        assert.deepStrictEqual(
          summary(release).map((s) => [s.kind, s.exists, s.pending]),
          [
            ["events", true, ["2_index_chosen_ids_only", "3_tags", "4_types_indexed_in_runs"]],
            ["checkpoints", true, ["1_create_checkpoints", "2_positions_as_text"]],
            ["snapshots", true, ["1_create_snapshots"]]
          ]
        )
      })
  )

  it.effect("custom table names are honoured", () =>
    Effect.gen(function* () {
      const status = yield* SqliteSchema.status({
        tables: { events: "my_events" },
        migrationsTable: "my_migrations",
        checkpoints: { table: "my_checkpoints" },
        snapshots: { table: "my_snapshots", migrationsTable: "snap_migrations" }
      }).pipe(Effect.provide(SqliteClient.layer({ filename: ":memory:" })))
      assert.deepStrictEqual(
        status.map((s) => [s.table, s.migrationsTable]),
        [
          ["my_events", "my_migrations"],
          ["my_checkpoints", "my_checkpoints_migrations"],
          ["my_snapshots", "snap_migrations"]
        ]
      )
    })
  )
})
