import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { eventStoreSuite } from "@chronicle/testkit/vitest"
import { afterAll } from "@effect/vitest"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Layer } from "effect"
import { SqliteEventStore } from "../src/index.js"
import * as AsyncClient from "./fixtures/asyncClient.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-suite-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

eventStoreSuite("SqliteEventStore.layer (file)", SqliteEventStore.layer({ filename: path.join(dir, "events.db") }))
eventStoreSuite("SqliteEventStore.layer (:memory:)", SqliteEventStore.layer({ filename: ":memory:" }))
eventStoreSuite(
  "SqliteEventStore.layerFromClient (@effect/sql-sqlite-node SqliteClient)",
  SqliteEventStore.layerFromClient({ tables: { events: "client_events" } }).pipe(
    Layer.provide(SqliteClient.layer({ filename: path.join(dir, "client.db") }))
  )
)
eventStoreSuite(
  "SqliteEventStore.layerFromClient (a client whose statements answer asynchronously)",
  SqliteEventStore.layerFromClient().pipe(Layer.provide(AsyncClient.layer(path.join(dir, "async.db"))))
)
