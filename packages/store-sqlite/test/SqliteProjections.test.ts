import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { CheckpointStore, Position } from "@chronicle/core"
import { checkpointStoreSuite, projectionSuite, snapshotStoreSuite } from "@chronicle/testkit/vitest"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Effect, Layer, Schema } from "effect"
import { SqliteCheckpointStore, SqliteEventStore, SqliteSnapshotStore } from "../src/index.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-projections-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Event store, checkpoints and snapshots in one database file, over one connection. */
const stores = (file: string) =>
  Layer.provideMerge(
    Layer.mergeAll(SqliteCheckpointStore.layer(), SqliteSnapshotStore.layer()),
    SqliteEventStore.layerWithClient({ filename: path.join(dir, file) })
  )

checkpointStoreSuite("SQLite", stores("checkpoints.db"))
snapshotStoreSuite("SQLite", stores("snapshots.db"))
projectionSuite("SQLite", stores("projections.db"))

const at = Schema.decodeSync(Position.FromString)

describe("SqliteCheckpointStore", () => {
  it.effect("commits the read-model update and the checkpoint in one transaction", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const checkpoints = yield* CheckpointStore.CheckpointStore
      yield* sql`CREATE TABLE read_model (id INTEGER PRIMARY KEY, label TEXT NOT NULL)`
      yield* checkpoints.commit(
        "tx",
        { from: Position.start, to: at("5") },
        sql`INSERT INTO read_model (id, label) VALUES (1, 'one')`
      )
      const failed = yield* Effect.flip(
        checkpoints.commit(
          "tx",
          { from: at("5"), to: at("9") },
          Effect.zipRight(sql`INSERT INTO read_model (id, label) VALUES (2, 'two')`, Effect.fail("refused" as const))
        )
      )
      assert.strictEqual(failed, "refused")
      const rows = yield* sql<{ readonly id: number }>`SELECT id FROM read_model ORDER BY id`
      assert.deepStrictEqual(
        rows.map((r) => r.id),
        [1]
      )
      assert.deepStrictEqual(yield* checkpoints.load("tx"), at("5"))
    }).pipe(Effect.provide(stores("transaction.db")))
  )

  it.effect("honours its table name and rejects invalid ones", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const checkpoints = yield* SqliteCheckpointStore.make({ table: "my_checkpoints" })
      const snapshots = yield* SqliteSnapshotStore.make({ table: "my_snapshots" })
      yield* checkpoints.commit("p", { from: Position.start, to: at("3") }, Effect.void)
      yield* snapshots.save({ streamId: "s", version: 1, schemaVersion: "v", state: {} })
      const tables = yield* sql<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
      const names = tables.map((t) => t.name)
      assert.include(names, "my_checkpoints")
      assert.include(names, "my_snapshots")
      assert.notInclude(names, SqliteCheckpointStore.defaultTable)
      assert.notInclude(names, SqliteSnapshotStore.defaultTable)
      const [row] = yield* sql<{ readonly position: string }>`SELECT position FROM my_checkpoints WHERE name = 'p'`
      assert.strictEqual(row?.position, "3")
      const bad = yield* Effect.flip(SqliteCheckpointStore.make({ table: "x; DROP TABLE y" }))
      assert.strictEqual(bad._tag, "InvalidIdentifier")
      const badSnapshots = yield* Effect.flip(SqliteSnapshotStore.make({ table: "1abc" }))
      assert.strictEqual(badSnapshots._tag, "InvalidIdentifier")
    }).pipe(Effect.provide(SqliteEventStore.layerWithClient({ filename: path.join(dir, "names.db") })))
  )
})
