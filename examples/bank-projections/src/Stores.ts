/**
 * The stores every example here runs on — events, checkpoints, snapshots and the `account_balances` table in one
 * SQLite file, over one connection — and the command line they share: `--db PATH`, `--fresh`, `--help`, with
 * one-line errors (see `@chronicle/example-cli`).
 *
 * @since 0.1.0
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { CheckpointStore, EventStore, SnapshotStore, StorageError } from "@chronicle/core"
import { CommandLine, DatabaseFile, Program } from "@chronicle/example-cli"
import { SqliteCheckpointStore, SqliteEventStore, SqliteSnapshotStore } from "@chronicle/store-sqlite"
import type { SqlClient } from "@effect/sql"
import { type Effect, Layer } from "effect"

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

/** Where the examples keep their files unless told otherwise: `examples/bank-projections/.chronicle/`. */
const directory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", ".chronicle")

/**
 * An example program: its name (`example:NAME` runs it), what it does, and flags of its own besides `--db` and
 * `--fresh`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Example<Flags extends Record<string, CommandLine.Flag>> {
  readonly name: string
  readonly summary: string
  readonly flags: Flags
}

/**
 * Runs an example as a command-line program on its SQLite file: `examples/bank-projections/.chronicle/NAME.db` (or
 * under `CHRONICLE_DATA_DIR`), or `--db PATH`; `--fresh` deletes it first.
 *
 * @since 0.1.0
 * @category running
 */
export const main = <const Flags extends Record<string, CommandLine.Flag>, E>(
  example: Example<Flags>,
  program: (values: CommandLine.Values<Flags>) => Effect.Effect<void, E, Stores>
): void => {
  const own = Object.entries(example.flags).map(([name, flag]) =>
    flag._tag === "Switch" ? ` [--${name}]` : ` [--${name} ${flag.placeholder}]`
  )
  const commandLine = CommandLine.make({
    name: `example:${example.name}`,
    usage: `npx -y pnpm@10.34.8 example:${example.name} [--fresh] [--db PATH]${own.join("")}`,
    summary: example.summary,
    flags: { ...DatabaseFile.flags(`examples/bank-projections/.chronicle/${example.name}.db`), ...example.flags },
    notes: ["CHRONICLE_DATA_DIR=DIR keeps the default file in DIR instead."]
  })
  Program.main(commandLine, (values) => {
    // The compiler cannot narrow the merged generic flags back to `db` and `fresh`; they are DatabaseFile's.
    const file = values as unknown as CommandLine.Values<ReturnType<typeof DatabaseFile.flags>>
    return DatabaseFile.use(file, { directory, name: `${example.name}.db` }, layer, program(values))
  })
}
