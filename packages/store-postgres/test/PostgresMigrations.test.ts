// Processes that start together on an empty database: each runs the migrations, under an advisory lock on the
// migrations table's name, so one creates the tables and the others find them made.
import { EventStore } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Context, Effect, Layer } from "effect"
import { PostgresCheckpointStore, PostgresEventStore, PostgresSnapshotStore } from "../src/index.js"

const url = await testDatabase("migrations")

describe("PostgreSQL migrations", () => {
  it.scoped("eight stores built at once on an empty database, each with a pool of its own, all start", () =>
    Effect.gen(function* () {
      const stores = Layer.provideMerge(
        Layer.mergeAll(PostgresCheckpointStore.layer(), PostgresSnapshotStore.layer()),
        PostgresEventStore.layerWithClient({ url })
      )
      const built = yield* Effect.all(
        Array.from({ length: 8 }, () => Layer.build(stores)),
        { concurrency: "unbounded" }
      )
      for (const [i, context] of built.entries()) {
        yield* Context.get(context, EventStore.EventStore).append(`started-${i}`, [{ type: "Started", data: { i } }])
      }
      const sql = Context.get(built[0]!, SqlClient.SqlClient)
      for (const table of [
        "chronicle_migrations",
        "chronicle_checkpoints_migrations",
        "chronicle_snapshots_migrations"
      ]) {
        const rows = yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM ${sql(table)}`
        assert.deepStrictEqual(
          rows.map((row) => row.migration_id).sort(),
          table === "chronicle_migrations" ? [1, 2] : [1],
          table
        )
      }
      const [count] = yield* sql<{ readonly n: string }>`SELECT COUNT(*) AS n FROM chronicle_events`
      assert.strictEqual(Number(count!.n), 8)
    })
  )
})
