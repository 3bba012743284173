// Storage faults on PostgreSQL: the events table taken away under the store (its own pool, and the application's
// PgClient), and every operation fails with a StorageError naming it.
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { storageFaultSuite } from "@chronicle/testkit/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
import { PostgresEventStore } from "../src/index.js"

const url = await testDatabase("faults")
const clientUrl = await testDatabase("faults_client")

/** The events table renamed away under the store: every statement on it fails. */
const dropEvents = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql.unsafe(`ALTER TABLE "chronicle_events" RENAME TO "chronicle_events_gone"`)
)

storageFaultSuite(
  "PostgresEventStore.layerWithClient (a pool of its own)",
  Layer.suspend(() => PostgresEventStore.layerWithClient({ url })),
  dropEvents
)
storageFaultSuite(
  "PostgresEventStore.layerFromClient (the application's PgClient)",
  PostgresEventStore.layerFromClient().pipe(
    Layer.provideMerge(Layer.suspend(() => PgClient.layer({ url: Redacted.make(clientUrl) })))
  ),
  dropEvents
)
