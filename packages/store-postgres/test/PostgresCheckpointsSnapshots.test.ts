// Checkpoints and snapshots on PostgreSQL: the conformance suites over the store's own pool and over an application's
// PgClient, a read model that commits with its checkpoint, and the table options.
import { CheckpointStore, Position } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { checkpointStoreSuite, snapshotStoreSuite } from "@chronicle/testkit/vitest"
import { assert, describe, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Effect, Layer, Schema } from "effect"
import { PostgresCheckpointStore, PostgresEventStore, PostgresSnapshotStore } from "../src/index.js"
import { sideStores, withSideStores } from "./fixtures/sideStores.js"

// Each set of stores has a database of its own, as each SQLite layer has its own file: the suites read everything.
const url = await testDatabase("side_stores")
const clientUrl = await testDatabase("side_stores_client")

const layers = sideStores(url, clientUrl)

for (const [name, layer] of Object.entries(layers)) {
  checkpointStoreSuite(name, layer)
  snapshotStoreSuite(name, layer)
}

const at = Schema.decodeSync(Position.FromString)

describe("PostgresCheckpointStore", () => {
  it.effect("commits the read-model update and the checkpoint in one transaction", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const checkpoints = yield* CheckpointStore.CheckpointStore
      yield* sql`CREATE TABLE read_model (id integer PRIMARY KEY, label text NOT NULL)`
      yield* checkpoints.commit(
        "tx",
        { from: Position.start, to: at("7781:5") },
        sql`INSERT INTO read_model (id, label) VALUES (1, 'one')`
      )
      const failed = yield* Effect.flip(
        checkpoints.commit(
          "tx",
          { from: at("7781:5"), to: at("7790:9") },
          Effect.zipRight(sql`INSERT INTO read_model (id, label) VALUES (2, 'two')`, Effect.fail("refused" as const))
        )
      )
      assert.strictEqual(failed, "refused")
      const rows = yield* sql<{ readonly id: number }>`SELECT id FROM read_model ORDER BY id`
      assert.deepStrictEqual(
        rows.map((r) => r.id),
        [1]
      )
      assert.deepStrictEqual(yield* checkpoints.load("tx"), at("7781:5"))
    }).pipe(Effect.provide(withSideStores(Layer.suspend(() => PostgresEventStore.layerWithClient({ url })))))
  )

  it.effect("honours its table names and rejects invalid ones", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const checkpoints = yield* PostgresCheckpointStore.make({ table: "my_checkpoints" })
      const snapshots = yield* PostgresSnapshotStore.make({ table: "my_snapshots", migrationsTable: "my_versions" })
      yield* checkpoints.commit("p", { from: Position.start, to: at("3:1") }, Effect.void)
      yield* snapshots.save({ streamId: "s", version: 1, schemaVersion: "v", state: {} })
      const tables = yield* sql<{
        readonly name: string
      }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`
      const names = tables.map((t) => t.name)
      assert.includeMembers(names, ["my_checkpoints", "my_checkpoints_migrations", "my_snapshots", "my_versions"])
      assert.notInclude(names, "my_snapshots_migrations")
      const versions = yield* sql<{ readonly name: string }>`SELECT name FROM my_versions`
      assert.deepStrictEqual(versions, [{ name: "create_snapshots" }])
      const [row] = yield* sql<{ readonly position: string }>`SELECT position FROM my_checkpoints WHERE name = 'p'`
      assert.strictEqual(row?.position, "3:1")
      for (const bad of [{ table: "x; DROP TABLE y" }, { table: "1abc" }, { table: "pg_checkpoints" }]) {
        assert.strictEqual((yield* Effect.flip(PostgresCheckpointStore.make(bad)))._tag, "InvalidIdentifier")
      }
      const sameTable = yield* Effect.flip(PostgresSnapshotStore.make({ table: "cp", migrationsTable: "CP" }))
      assert.strictEqual(sameTable._tag, "InvalidIdentifier")
      const tooLong = yield* Effect.flip(PostgresSnapshotStore.make({ table: "s".repeat(64) }))
      assert.strictEqual(tooLong._tag, "InvalidIdentifier")
    }).pipe(Effect.provide(Layer.suspend(() => PostgresEventStore.layerWithClient({ url }))))
  )
})
