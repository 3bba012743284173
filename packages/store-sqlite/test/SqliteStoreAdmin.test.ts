import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { StoreAdmin } from "@chronicle/core"
import { storeAdminSuite } from "@chronicle/testkit/vitest"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { SqliteEventStore } from "../src/index.js"
import * as AsyncClient from "./fixtures/asyncClient.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chronicle-sqlite-admin-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

storeAdminSuite("SqliteEventStore.layer (file)", SqliteEventStore.layer({ filename: path.join(dir, "admin.db") }))
storeAdminSuite("SqliteEventStore.layer (:memory:)", SqliteEventStore.layer({ filename: ":memory:" }))
storeAdminSuite(
  "SqliteEventStore.layerFromClient (@effect/sql-sqlite-node SqliteClient)",
  SqliteEventStore.layerFromClient().pipe(Layer.provide(SqliteClient.layer({ filename: path.join(dir, "client.db") })))
)
storeAdminSuite(
  "SqliteEventStore.layerFromClient (a client whose statements answer asynchronously)",
  SqliteEventStore.layerFromClient().pipe(Layer.provide(AsyncClient.layer(path.join(dir, "async.db"))))
)

describe("SQLite StoreAdmin", () => {
  it.effect("the size of a database file is its pages; an in-memory database has no size on disk", () =>
    Effect.gen(function* () {
      const file = path.join(dir, "size.db")
      const onDisk = yield* StoreAdmin.stats.pipe(Effect.provide(SqliteEventStore.layer({ filename: file })))
      assert.strictEqual(onDisk.size._tag, "Known")
      if (onDisk.size._tag === "Known") assert.strictEqual(onDisk.size.bytes, fs.statSync(file).size)
      const inMemory = yield* StoreAdmin.stats.pipe(Effect.provide(SqliteEventStore.layer({ filename: ":memory:" })))
      assert.deepStrictEqual(inMemory.size, { _tag: "Unknown" })
    })
  )
})
