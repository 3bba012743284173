import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { storageFaultSuite } from "@chronicle/testkit/vitest"
import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { afterAll } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqliteEventStore } from "../src/index.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-faults-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The events table renamed away under the store: every statement on it fails. */
const dropEvents = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql.unsafe(`ALTER TABLE "chronicle_events" RENAME TO "chronicle_events_gone"`)
)

storageFaultSuite(
  "SqliteEventStore.layerWithClient (its own connection)",
  SqliteEventStore.layerWithClient({ filename: path.join(dir, "own.db") }),
  dropEvents
)
storageFaultSuite(
  "SqliteEventStore.layerFromClient (@effect/sql-sqlite-node SqliteClient)",
  SqliteEventStore.layerFromClient().pipe(
    Layer.provideMerge(SqliteClient.layer({ filename: path.join(dir, "client.db") }))
  ),
  dropEvents
)
