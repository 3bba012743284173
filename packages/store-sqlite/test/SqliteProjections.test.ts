import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { CheckpointStore, type EventStore, Position, type SnapshotStore } from "@chronicle/core"
import { checkpointStoreSuite, projectionSuite, snapshotStoreSuite } from "@chronicle/testkit/vitest"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer, Schema } from "effect"
import { SqliteCheckpointStore, SqliteEventStore, SqliteSnapshotStore } from "../src/index.js"
import * as AsyncClient from "./fixtures/asyncClient.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-projections-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Checkpoints and snapshots beside the event store, over its connection or the application's client. */
const withSideStores = <E>(events: Layer.Layer<EventStore.EventStore | SqlClient.SqlClient, E>) =>
  Layer.provideMerge(Layer.mergeAll(SqliteCheckpointStore.layer(), SqliteSnapshotStore.layer()), events)

/** Event store, checkpoints and snapshots in one database file, over one connection. */
const stores = (file: string) => withSideStores(SqliteEventStore.layerWithClient({ filename: path.join(dir, file) }))

/** The same over an application's client: `SqliteClient`, or one whose statements answer asynchronously. */
const overClient = <E>(client: Layer.Layer<SqlClient.SqlClient, E>) =>
  withSideStores(Layer.provideMerge(SqliteEventStore.layerFromClient(), client))

type Stores =
  | EventStore.EventStore
  | SqlClient.SqlClient
  | CheckpointStore.CheckpointStore
  | SnapshotStore.SnapshotStore

const layers: Record<string, (file: string) => Layer.Layer<Stores, unknown>> = {
  "SQLite (owned connection)": (file: string) => stores(file),
  "SQLite over SqliteClient": (file: string) =>
    overClient(SqliteClient.layer({ filename: path.join(dir, `client-${file}`) })),
  "SQLite over an asynchronous client": (file: string) => overClient(AsyncClient.layer(path.join(dir, `async-${file}`)))
}

for (const [name, layer] of Object.entries(layers)) {
  checkpointStoreSuite(name, layer("checkpoints.db"))
  snapshotStoreSuite(name, layer("snapshots.db"))
  projectionSuite(name, layer("projections.db"))
}

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
      const snapshots = yield* SqliteSnapshotStore.make({ table: "my_snapshots", migrationsTable: "my_versions" })
      yield* checkpoints.commit("p", { from: Position.start, to: at("3") }, Effect.void)
      yield* snapshots.save({ streamId: "s", version: 1, schemaVersion: "v", state: {} })
      const tables = yield* sql<{ readonly name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`
      const names = tables.map((t) => t.name)
      assert.includeMembers(names, ["my_checkpoints", "my_checkpoints_migrations", "my_snapshots", "my_versions"])
      assert.notInclude(names, SqliteCheckpointStore.defaultTable)
      assert.notInclude(names, SqliteSnapshotStore.defaultTable)
      assert.notInclude(names, "my_snapshots_migrations")
      const versions = yield* sql<{ readonly name: string }>`SELECT name FROM my_versions`
      assert.deepStrictEqual(versions, [{ name: "create_snapshots" }])
      const [row] = yield* sql<{ readonly position: string }>`SELECT position FROM my_checkpoints WHERE name = 'p'`
      assert.strictEqual(row?.position, "3")
      const bad = yield* Effect.flip(SqliteCheckpointStore.make({ table: "x; DROP TABLE y" }))
      assert.strictEqual(bad._tag, "InvalidIdentifier")
      const badSnapshots = yield* Effect.flip(SqliteSnapshotStore.make({ table: "1abc" }))
      assert.strictEqual(badSnapshots._tag, "InvalidIdentifier")
      const sameTable = yield* Effect.flip(SqliteCheckpointStore.make({ table: "cp", migrationsTable: "CP" }))
      assert.strictEqual(sameTable._tag, "InvalidIdentifier")
      const badMigrations = yield* Effect.flip(SqliteSnapshotStore.make({ migrationsTable: "sqlite_versions" }))
      assert.strictEqual(badMigrations._tag, "InvalidIdentifier")
    }).pipe(Effect.provide(SqliteEventStore.layerWithClient({ filename: path.join(dir, "names.db") })))
  )
})
