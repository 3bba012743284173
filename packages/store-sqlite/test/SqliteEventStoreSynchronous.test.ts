import * as path from "node:path"
import { EventStore } from "@chronicle/core"
import { assert, describe, it } from "@effect/vitest"
import * as SqlClient from "@effect/sql/SqlClient"
import { Context, Effect, Layer } from "effect"
import { SqliteEventStore } from "../src/index.js"
import { tempDir } from "./fixtures/tempDir.js"

const levels = { OFF: 0, NORMAL: 1, FULL: 2, EXTRA: 3 } as const

/** Opens the store, appends, and reads `PRAGMA synchronous` before and after the write; closes it again. */
const synchronousOf = (config: SqliteEventStore.Config) =>
  Effect.scoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(SqliteEventStore.layerWithClient(config))
      const sql = Context.get(context, SqlClient.SqlClient)
      const read = Effect.map(sql<{ synchronous: number }>`PRAGMA synchronous`, (rows) => rows[0]!.synchronous)
      const before = yield* read
      yield* Context.get(context, EventStore.EventStore).append("synchronous-1", [{ type: "Noted", data: {} }])
      return [before, yield* read] as const
    })
  )

describe("SqliteEventStore synchronous", () => {
  it.scoped("defaults to NORMAL, on a new database file and on a reopened one, before and after writes", () =>
    Effect.gen(function* () {
      const filename = path.join(yield* tempDir("synchronous-default"), "db.sqlite")
      assert.strictEqual(SqliteEventStore.defaultSynchronous, "NORMAL")
      assert.deepStrictEqual(yield* synchronousOf({ filename }), [1, 1])
      assert.deepStrictEqual(yield* synchronousOf({ filename }), [1, 1])
    })
  )

  it.scoped("honours every level, on a new database file and on a reopened one", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("synchronous-levels")
      for (const [level, value] of Object.entries(levels)) {
        const filename = path.join(dir, `${level}.sqlite`)
        const synchronous = level as SqliteEventStore.Synchronous
        assert.deepStrictEqual(yield* synchronousOf({ filename, synchronous }), [value, value], `${level}, new file`)
        assert.deepStrictEqual(yield* synchronousOf({ filename, synchronous }), [value, value], `${level}, reopened`)
      }
    })
  )

  it.scoped("rejects an unknown level with StorageError, before opening anything", () =>
    Effect.gen(function* () {
      const filename = path.join(yield* tempDir("synchronous-invalid"), "db.sqlite")
      const synchronous = "SOMETIMES" as SqliteEventStore.Synchronous
      const error = yield* Effect.flip(Layer.build(SqliteEventStore.layer({ filename, synchronous })))
      assert.strictEqual(error._tag, "StorageError")
    })
  )
})
