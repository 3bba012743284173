/**
 * The stores every example here runs on: events, checkpoints, snapshots and the `account_balances` table in one
 * SQLite file, over one connection.
 *
 * @since 0.1.0
 */
import { mkdirSync, rmSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { CheckpointStore, EventStore, SnapshotStore, StorageError } from "@chronicle/core"
import { SqliteCheckpointStore, SqliteEventStore, SqliteSnapshotStore } from "@chronicle/store-sqlite"
import { Command, Options } from "@effect/cli"
import type { SqlClient } from "@effect/sql"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option } from "effect"

/**
 * Everything the examples use.
 *
 * @since 0.1.0
 * @category models
 */
export type Stores =
  | EventStore.EventStore
  | CheckpointStore.CheckpointStore
  | SnapshotStore.SnapshotStore
  | SqlClient.SqlClient

/**
 * The stores on one SQLite file.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  filename: string
): Layer.Layer<Stores, SqliteEventStore.MakeError | StorageError.StorageError | SqliteEventStore.InvalidIdentifier> =>
  Layer.provideMerge(
    Layer.mergeAll(SqliteCheckpointStore.layer(), SqliteSnapshotStore.layer()),
    SqliteEventStore.layerWithClient({ filename })
  )

/**
 * The database an example uses unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultDatabase = (name: string): string =>
  resolve(dirname(fileURLToPath(import.meta.url)), "..", ".chronicle", `${name}.db`)

/**
 * Runs an example as a command-line program: `--db PATH` picks the database file, `--fresh` deletes it first.
 *
 * @since 0.1.0
 * @category running
 */
export const main = <E>(name: string, program: Effect.Effect<void, E, Stores>): void => {
  const db = Options.text("db").pipe(
    Options.withDescription("SQLite database file (created if missing)"),
    Options.optional
  )
  const fresh = Options.boolean("fresh").pipe(Options.withDescription("delete the database file first"))
  const command = Command.make(name, { db, fresh }, ({ db, fresh }) =>
    Effect.gen(function* () {
      const filename = resolve(Option.getOrElse(db, () => defaultDatabase(name)))
      if (fresh) for (const suffix of ["", "-wal", "-shm"]) rmSync(filename + suffix, { force: true })
      mkdirSync(dirname(filename), { recursive: true })
      yield* Console.log(`Store: SQLite file ${filename}`)
      yield* program.pipe(Effect.provide(layer(filename)))
    })
  )
  Command.run(command, { name, version: "0.1.0" })(process.argv).pipe(
    Effect.provide(NodeContext.layer),
    NodeRuntime.runMain
  )
}
