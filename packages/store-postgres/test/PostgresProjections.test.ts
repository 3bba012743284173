// Projections, snapshotting handlers and time travel on PostgreSQL: the conformance suite over the store's own pool and
// over an application's PgClient (checkpoints and snapshots: PostgresCheckpointsSnapshots.test.ts).
import type { CheckpointStore, EventStore, SnapshotStore } from "@chronicle/core"
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { projectionSuite } from "@chronicle/testkit/vitest"
import type { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Layer, Redacted } from "effect"
import { PostgresCheckpointStore, PostgresEventStore, PostgresSnapshotStore } from "../src/index.js"

// Each set of stores has a database of its own, as each SQLite layer has its own file: the suites read everything.
const url = await testDatabase("projections")
const clientUrl = await testDatabase("projections_client")

type Stores =
  | EventStore.EventStore
  | SqlClient.SqlClient
  | CheckpointStore.CheckpointStore
  | SnapshotStore.SnapshotStore

/** Checkpoints and snapshots beside the event store, over one client. */
const withSideStores = <E>(events: Layer.Layer<EventStore.EventStore | SqlClient.SqlClient, E>) =>
  Layer.provideMerge(Layer.mergeAll(PostgresCheckpointStore.layer(), PostgresSnapshotStore.layer()), events)

const layers: Record<string, Layer.Layer<Stores, unknown>> = {
  "PostgreSQL (a pool of its own)": withSideStores(Layer.suspend(() => PostgresEventStore.layerWithClient({ url }))),
  "PostgreSQL over the application's PgClient": withSideStores(
    Layer.provideMerge(
      PostgresEventStore.layerFromClient(),
      Layer.suspend(() => PgClient.layer({ url: Redacted.make(clientUrl) }))
    )
  )
}

for (const [name, layer] of Object.entries(layers)) {
  projectionSuite(name, layer)
}
