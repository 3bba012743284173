/**
 * The SQLite store's tables and their migrations, for operators: where each table stands (`status`, which writes
 * nothing) and applying what is pending (`migrate`), over the `SqlClient` in context. `chronicle migrate` runs on it.
 * The store's layers migrate their tables as they open, so applications need none of this.
 *
 * @since 0.1.0
 */
import { SqlSchema } from "@chronicle/sql"
import { dialect } from "./internal/dialect.js"

/**
 * The table names, each with its store's default: `tables.events` and `migrationsTable` as for `SqliteEventStore`,
 * `checkpoints` and `snapshots` as for `SqliteCheckpointStore` and `SqliteSnapshotStore`.
 *
 * @since 0.1.0
 * @category models
 */
export type Options = SqlSchema.Options

const operations = SqlSchema.operations(dialect)

/**
 * Where each table stands: whether it exists, its applied and its pending migrations. Reads only.
 *
 * @since 0.1.0
 * @category migrations
 */
export const status: SqlSchema.Operations["status"] = operations.status

/**
 * Applies every table's pending migrations (each table's in one `BEGIN IMMEDIATE` transaction); returns what it applied, per table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: SqlSchema.Operations["migrate"] = operations.migrate
