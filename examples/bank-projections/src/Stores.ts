/**
 * The stores every example here runs on — events, checkpoints, snapshots and the `account_balances` table in one
 * SQLite file over one connection, or in one PostgreSQL database over one pool — and the command line they share:
 * `--db PATH`, `--fresh`, `--pg URL`, `--help`, with one-line errors (see `@chronicle/example-cli`).
 *
 * @since 0.1.0
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { CheckpointStore, EventStore, SnapshotStore, StorageError } from "@chronicle/core"
import { CommandLine, Program, Storage } from "@chronicle/example-cli"
import { PostgresCheckpointStore, PostgresEventStore, PostgresSnapshotStore } from "@chronicle/store-postgres"
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

/**
 * The stores in one PostgreSQL database, over one pool (a projection's page and its checkpoint commit in one
 * transaction with the read model's table).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPostgres = (
  url: string
): Layer.Layer<
  Stores,
  PostgresEventStore.MakeError | StorageError.StorageError | PostgresEventStore.InvalidIdentifier
> =>
  Layer.provideMerge(
    Layer.mergeAll(PostgresCheckpointStore.layer(), PostgresSnapshotStore.layer()),
    PostgresEventStore.layerWithClient({ url })
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
 * under `CHRONICLE_DATA_DIR`), or `--db PATH`; `--fresh` deletes it first; or on PostgreSQL with `--pg URL` (or
 * `CHRONICLE_PG_URL`).
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
    usage: `npx -y pnpm@10.34.8 example:${example.name} [--fresh] [--db PATH | --pg URL]${own.join("")}`,
    summary: example.summary,
    flags: { ...Storage.flags(`examples/bank-projections/.chronicle/${example.name}.db`), ...example.flags },
    exclusive: Storage.exclusive,
    notes: ["CHRONICLE_DATA_DIR=DIR keeps the default file in DIR instead.", Storage.note]
  })
  Program.main(commandLine, (values) => {
    // The compiler cannot narrow the merged generic flags back to `db`, `fresh` and `pg`; they are Storage's.
    const store = values as unknown as CommandLine.Values<ReturnType<typeof Storage.flags>>
    return Storage.use(
      store,
      { directory, name: `${example.name}.db` },
      { sqlite: layer, postgres: layerPostgres },
      program(values)
    )
  })
}
