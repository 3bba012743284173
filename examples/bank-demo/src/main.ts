/**
 * `pnpm demo`: the bank demonstration on a SQLite file (default), a file you name (`--db PATH`), or in memory
 * (`--memory`). `--fresh` deletes the file first; without it a second run continues the history.
 *
 * @since 0.1.0
 */
import { existsSync, mkdirSync, rmSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { InMemoryEventStore } from "@chronicle/store-memory"
import { SqliteEventStore } from "@chronicle/store-sqlite"
import { Command, Options } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Option } from "effect"
import * as Demo from "./Demo.js"

/** Where the demo keeps its events unless told otherwise. */
const defaultDatabase = resolve(dirname(fileURLToPath(import.meta.url)), "..", ".chronicle", "bank-demo.db")

const db = Options.text("db").pipe(
  Options.withDescription("SQLite database file to use (created if missing)"),
  Options.optional
)
const memory = Options.boolean("memory").pipe(Options.withDescription("use the in-memory store instead of SQLite"))
const fresh = Options.boolean("fresh").pipe(Options.withDescription("delete the database file first"))

const demo = Command.make("bank-demo", { db, memory, fresh }, ({ db, fresh, memory }) => {
  if (memory)
    return Console.log("Store: in memory (nothing is kept)").pipe(
      Effect.zipRight(Demo.run),
      Effect.provide(InMemoryEventStore.layer)
    )
  const filename = resolve(Option.getOrElse(db, () => defaultDatabase))
  return Effect.gen(function* () {
    if (fresh) for (const suffix of ["", "-wal", "-shm"]) rmSync(filename + suffix, { force: true })
    const existed = existsSync(filename)
    mkdirSync(dirname(filename), { recursive: true })
    yield* Console.log(`Store: SQLite file ${filename}${existed ? " (continuing its history)" : " (new)"}`)
    yield* Demo.run.pipe(Effect.provide(SqliteEventStore.layer({ filename })))
  })
})

const cli = Command.run(demo, { name: "Chronicle bank demo", version: "0.1.0" })

cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
