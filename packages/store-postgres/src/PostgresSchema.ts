/**
 * The PostgreSQL store's tables and their migrations, for operators: where each table stands (`status`, which reads
 * the catalog and the migrations tables and writes nothing) and applying what is pending (`migrate`: each table's
 * migrations in one transaction, under the advisory lock the store's layers take), over the `SqlClient` in context.
 * `chronicle migrate --pg URL` runs on it. The store's layers migrate their tables as they open, so applications need
 * none of this.
 *
 * @since 0.1.0
 */
import { SqlSchema } from "@chronicle/sql"
import { dialect } from "./internal/dialect.js"

/**
 * The table names, each with its store's default: `tables.events` and `migrationsTable` as for `PostgresEventStore`,
 * `checkpoints` and `snapshots` as for `PostgresCheckpointStore` and `PostgresSnapshotStore`.
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
 * Applies every table's pending migrations (each table's in one transaction, after an advisory lock on its migrations table's name); returns what it applied, per table.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrate: SqlSchema.Operations["migrate"] = operations.migrate
