/**
 * The SQLite store's tables and their migrations, for operators: where each table stands (`status`, which writes
 * nothing) and applying what is pending (`migrate`), over the `SqlClient` in context. `chronicle migrate` runs on it.
 * The store's layers migrate their tables as they open, so applications need none of this.
 *
 * @since 0.1.0
 */
import type { StorageError } from "@chronicle/core"
import { SqlSchema } from "@chronicle/sql"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect } from "effect"
import { dialect } from "./internal/dialect.js"

/**
 * The table names, each with its store's default: `tables.events` and `migrationsTable` as for `SqliteEventStore`,
 * `checkpoints` and `snapshots` as for `SqliteCheckpointStore` and `SqliteSnapshotStore`.
 *
 * @since 0.1.0
 * @category models
 */
export type Options = SqlSchema.Options

/**
 * Where each table stands: whether it exists, its applied and its pending migrations.
 *
 * @since 0.1.0
 * @category migrations
 */
export const status = (
  options: Options = {}
): Effect.Effect<
  ReadonlyArray<SqlSchema.TableStatus>,
  StorageError.StorageError | SqlSchema.InvalidIdentifier,
  SqlClient.SqlClient
> => Effect.flatMap(SqlSchema.tables(dialect, options), (tables) => SqlSchema.status(dialect, tables))

/**
 * Applies every table's pending migrations; returns what it applied, per table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate = (
  options: Options = {}
): Effect.Effect<
  ReadonlyArray<{ readonly table: SqlSchema.Table; readonly applied: ReadonlyArray<SqlSchema.Migration> }>,
  StorageError.StorageError | SqlSchema.InvalidIdentifier,
  SqlClient.SqlClient
> => Effect.flatMap(SqlSchema.tables(dialect, options), (tables) => SqlSchema.migrate(dialect, tables))
