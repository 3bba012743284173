// Projections, snapshotting handlers and time travel on PostgreSQL: the conformance suite over the store's own pool and
// over an application's PgClient (checkpoints and snapshots: PostgresCheckpointsSnapshots.test.ts).
import { testDatabase } from "@chronicle/postgres-server/vitest"
import { projectionSuite } from "@chronicle/testkit/vitest"
import { sideStores } from "./fixtures/sideStores.js"

// Each set of stores has a database of its own, as each SQLite layer has its own file: the suites read everything.
const url = await testDatabase("projections")
const clientUrl = await testDatabase("projections_client")

const layers = sideStores(url, clientUrl)

for (const [name, layer] of Object.entries(layers)) {
  projectionSuite(name, layer)
}
