/**
 * The SQLite backend (`--db FILE`): checks the file before anything opens it (a command that reads never creates a
 * file, and never migrates one), then opens `SqliteEventStore` (with its `StoreAdmin`) and, when the file has the
 * table, `SqliteCheckpointStore`. Failures that SQLite traces to the file become one line naming it.
 *
 * The `chronicle` bin's own module (not exported).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { CheckpointStore } from "@chronicle/core"
import { SqliteCheckpointStore, SqliteEventStore, SqliteSchema } from "@chronicle/store-sqlite"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { type Access, type Backend, causes, judge, type Services, StoreUnavailable } from "./Backend.js"

const sqliteHeader = "SQLite format 3\u0000"

/** Where a relative path starts: where the command was typed (`INIT_CWD` under npm and pnpm scripts). */
const resolve = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file)

const problems: ReadonlyArray<readonly [string, string]> = [
  ["SQLITE_NOTADB", "is not a Chronicle database: it is not a SQLite file"],
  ["SQLITE_CORRUPT", "is damaged (SQLite finds it corrupt)"],
  ["SQLITE_READONLY", "is read-only"],
  ["SQLITE_CANTOPEN", "cannot be opened (check that it and its directory may be read and written)"],
  ["SQLITE_FULL", "cannot grow: the disk is full"],
  ["SQLITE_BUSY", "is locked by another process; let it finish, then run this again"],
  ["SQLITE_PERM", "may not be written (check its permissions)"],
  ["SQLITE_IOERR", "cannot be read or written (an I/O error)"]
]

/** SQLite's result code in an error or its causes (`SQLITE_READONLY_DBMOVED`, ...), if any. */
const sqliteCode = (error: unknown): string | undefined =>
  causes(error)
    .map((e) => e.code)
    .find((code): code is string => typeof code === "string" && code.startsWith("SQLITE_"))

/** A failure SQLite traces to the file, as one line naming it; anything else as its own message. */
const explain =
  (file: string) =>
  (error: unknown): StoreUnavailable => {
    if (error instanceof StoreUnavailable) return error
    const code = sqliteCode(error)
    const known = problems.find(([prefix]) => code === prefix || code?.startsWith(`${prefix}_`))
    const detail = error instanceof Error ? error.message : String(error)
    return new StoreUnavailable({ problem: known === undefined ? `${file}: ${detail}` : `${file} ${known[1]}` })
  }

const unavailable = (problem: string) => new StoreUnavailable({ problem })

/** What is at the path: nothing, a directory, an empty file, a SQLite file, or another file. */
const inspect = (file: string): "missing" | "directory" | "empty" | "sqlite" | "other" => {
  let stats: fs.Stats
  try {
    stats = fs.statSync(resolve(file))
  } catch {
    return "missing"
  }
  if (stats.isDirectory()) return "directory"
  if (stats.size === 0) return "empty"
  const buffer = Buffer.alloc(sqliteHeader.length)
  const fd = fs.openSync(resolve(file), "r")
  try {
    fs.readSync(fd, buffer, 0, buffer.length, 0)
  } finally {
    fs.closeSync(fd)
  }
  return buffer.toString("latin1") === sqliteHeader ? "sqlite" : "other"
}

/** The file's tables and migrations, read without writing (an absent file reads as an empty database). */
const status = (file: string, exists: boolean) =>
  SqliteSchema.status().pipe(
    Effect.provide(SqliteClient.layer(exists ? { filename: resolve(file), readonly: true } : { filename: ":memory:" })),
    Effect.mapError(explain(file))
  )

/** Checks the file is one the access can use; returns whether it has a checkpoint table. */
const check = (file: string, access: Access): Effect.Effect<{ readonly checkpoints: boolean }, StoreUnavailable> =>
  Effect.gen(function* () {
    const found = yield* Effect.try({ try: () => inspect(file), catch: explain(file) })
    if (found === "directory") return yield* unavailable(`${file} is a directory, not a database file`)
    if (found === "other") return yield* unavailable(`${file} is not a Chronicle database: it is not a SQLite file`)
    if (found === "missing" || found === "empty") {
      if (access === "write") return { checkpoints: false }
      return yield* unavailable(
        found === "missing" ? `no such file: ${file}` : `${file} is empty, not a Chronicle database`
      )
    }
    const tables = yield* status(file, true)
    return yield* judge(file, tables, { missingEvents: "refuse", run: `chronicle migrate --db ${file}` })
  })

/** The SQLite backend of a file, as the user typed its path. */
export const backend = (file: string): Backend => ({
  label: `SQLite file ${file}`,
  services: (access) =>
    Layer.unwrapEffect(
      Effect.map(check(file, access), ({ checkpoints }): Layer.Layer<Services, StoreUnavailable> => {
        const events = SqliteEventStore.layerWithClient({ filename: resolve(file) })
        const checkpointStore = checkpoints
          ? SqliteCheckpointStore.layer()
          : Layer.effect(CheckpointStore.CheckpointStore, CheckpointStore.makeInMemory())
        return Layer.provideMerge(checkpointStore, events).pipe(Layer.mapError(explain(file)))
      })
    ),
  status: Effect.flatMap(
    Effect.try({ try: () => inspect(file), catch: explain(file) }),
    (found): Effect.Effect<ReadonlyArray<import("@chronicle/sql").SqlSchema.TableStatus>, StoreUnavailable> => {
      if (found === "directory") return Effect.fail(unavailable(`${file} is a directory, not a database file`))
      if (found === "other")
        return Effect.fail(unavailable(`${file} is not a Chronicle database: it is not a SQLite file`))
      return status(file, found === "sqlite")
    }
  ),
  migrate: Effect.flatMap(Effect.try({ try: () => inspect(file), catch: explain(file) }), (found) => {
    if (found === "directory") return Effect.fail(unavailable(`${file} is a directory, not a database file`))
    if (found === "other")
      return Effect.fail(unavailable(`${file} is not a Chronicle database: it is not a SQLite file`))
    return SqliteSchema.migrate().pipe(
      Effect.provide(SqliteClient.layer({ filename: resolve(file) })),
      Effect.mapError(explain(file))
    )
  })
})
